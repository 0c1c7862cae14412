// The room's cryptography in one place: the key and its link, sealing with padding, per-person signing.
export * from './encoding.ts';
export * from './encryption.ts';
export * from './envelope.ts';
export * from './link.ts';
export * from './pad.ts';
export * from './signing.ts';
