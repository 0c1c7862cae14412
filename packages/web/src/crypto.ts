// Kept for existing imports: the room's cryptography lives in room-crypto/.
export * from './room-crypto/index.ts';
export { importRoomKey as roomKey } from './room-crypto/index.ts';
