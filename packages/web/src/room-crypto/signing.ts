// A signing key per person and room (ECDSA P-256 with SHA-256, which every WebCrypto has), made on the
// device. The private half is generated non-extractable: scripts can use it to sign but never read it
// out, and it is stored as a CryptoKey object (IndexedDB, identity.ts), never as text. The public half
// is announced in the person's `join`, and every event they send is signed with it.

import { b64url, fromB64url } from './encoding.ts';

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** WebCrypto's ECDSA P-256 signatures are IEEE P1363: r || s, 32 bytes each. */
export const SIGNATURE_BYTES = 64;

export interface Identity {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as announced: uncompressed point, base64url (87 characters). */
  public: string;
}

export async function newIdentity(): Promise<Identity> {
  const pair = await crypto.subtle.generateKey(ALG, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, public: b64url(raw) };
}

/** A public key as announced in a join; null when it is not a P-256 point. */
export async function importPublic(announced: string): Promise<CryptoKey | null> {
  try {
    const raw = fromB64url(announced);
    if (raw.length !== 65 || raw[0] !== 4) return null;
    return await crypto.subtle.importKey('raw', raw, ALG, true, ['verify']);
  } catch {
    return null;
  }
}

export async function sign(id: Identity, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign(SIG, id.privateKey, data));
}

export async function verify(
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (signature.length !== SIGNATURE_BYTES) return false;
  try {
    return await crypto.subtle.verify(SIG, key, signature, data);
  } catch {
    return false;
  }
}

/** The parts of a P-256 key pair carried by a seat link (JWK x, y, d: base64url, 43 characters each). */
export interface Grant {
  x: string;
  y: string;
  d: string;
}

/** A key pair made to hand a seat to another device: exported once into the seat link, then the
 * device that opens the link keeps it non-extractable. */
export async function newGrant(): Promise<{ grant: Grant; public: string }> {
  const pair = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { grant: { x: jwk.x!, y: jwk.y!, d: jwk.d! }, public: b64url(raw) };
}

/** The identity a seat link hands over: the private half imported non-extractable. */
export async function fromGrant(g: Grant): Promise<Identity> {
  const jwk = { kty: 'EC', crv: 'P-256', x: g.x, y: g.y };
  const privateKey = await crypto.subtle.importKey('jwk', { ...jwk, d: g.d }, ALG, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', jwk, ALG, true, ['verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
  return { privateKey, publicKey, public: b64url(raw) };
}
