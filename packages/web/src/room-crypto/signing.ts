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
