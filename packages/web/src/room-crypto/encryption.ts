// The room key and the sealing of event bodies (as excalidraw's data/encryption): AES-GCM-256 with a
// fresh 96-bit IV per body and the room id as associated data, so a body cut from one room does not
// open in another that happens to share the key. Plaintext is padded to a few fixed sizes first
// (pad.ts), so the server cannot tell a "yes, that's it" from a sentence by its length.

import { b64url, fromB64url, hex, sha256, utf8 } from './encoding.ts';

export interface RoomKey {
  key: CryptoKey;
  /** The fragment form: 32 bytes, base64url (43 characters). */
  secret: string;
  /** Proof of membership sent to the server: SHA-256("steady-auth" + key). */
  auth: string;
  /** What the server stores: SHA-256 of the auth token. */
  verifier: string;
}

export const SECRET = /^[A-Za-z0-9_-]{43}$/;

export async function newRoomKey(): Promise<RoomKey> {
  return importRoomKey(b64url(crypto.getRandomValues(new Uint8Array(32))));
}

/** The key from its fragment form; throws a plain message when the link lost (part of) its key. */
export async function importRoomKey(secret: string): Promise<RoomKey> {
  if (!SECRET.test(secret)) throw new Error('the link is missing its key (the part after #)');
  const raw = fromB64url(secret);
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const auth = hex(await sha256(new Uint8Array([...utf8('steady-auth'), ...raw])));
  const verifier = hex(await sha256(utf8(auth)));
  return { key, secret, auth, verifier };
}

/** The fragment form of a key (it is kept with the key: the CryptoKey itself is not extractable). */
export const exportRoomKey = (k: RoomKey): string => k.secret;

const aad = (room: string) => utf8(`steady-room-v2:${room}`);

/** Encrypt bytes for one room: `iv.ciphertext`, both base64url. */
export async function seal(k: RoomKey, room: string, plain: Uint8Array<ArrayBuffer>): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(room) }, k.key, plain);
  return `${b64url(iv)}.${b64url(new Uint8Array(ct))}`;
}

/** Decrypt a body; null when it does not open with this key in this room (tampered, or another room's). */
export async function open(k: RoomKey, room: string, body: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const [iv, ct, extra] = body.split('.');
    if (!iv || !ct || extra !== undefined) return null;
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64url(iv), additionalData: aad(room) },
      k.key,
      fromB64url(ct),
    );
    return new Uint8Array(pt);
  } catch {
    return null;
  }
}
