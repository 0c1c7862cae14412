// End-to-end encryption for a room: an AES-GCM key made in this browser, carried only in the URL
// fragment (which browsers never send to a server). The server gets a token derived from the key, so
// it can tell members from strangers without learning the key.

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromB64url = (s: string): Uint8Array<ArrayBuffer> => {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};
const hex = (buf: ArrayBuffer): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

export interface RoomKey {
  key: CryptoKey;
  /** The fragment form: 32 bytes, base64url. */
  secret: string;
  /** Proof of membership sent to the server: SHA-256("steady-auth" + key). */
  auth: string;
  /** What the server stores: SHA-256 of the auth token. */
  verifier: string;
}

export async function newRoomKey(): Promise<RoomKey> {
  return roomKey(b64url(crypto.getRandomValues(new Uint8Array(32))));
}

export async function roomKey(secret: string): Promise<RoomKey> {
  const raw = fromB64url(secret);
  if (raw.length !== 32) throw new Error('the link is missing its key (the part after #)');
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  const tag = new TextEncoder().encode('steady-auth');
  const auth = hex(await crypto.subtle.digest('SHA-256', new Uint8Array([...tag, ...raw])));
  const verifier = hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(auth)));
  return { key, secret, auth, verifier };
}

export async function seal(k: RoomKey, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      k.key,
      new TextEncoder().encode(JSON.stringify(value)),
    ),
  );
  return `${b64url(iv)}.${b64url(ct)}`;
}

/** Decrypt a body; null when it does not open with this key (tampered, or another room's). */
export async function open(k: RoomKey, body: string): Promise<unknown> {
  try {
    const [iv, ct] = body.split('.');
    const pt = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromB64url(iv!) }, k.key, fromB64url(ct!));
    return JSON.parse(new TextDecoder().decode(pt));
  } catch {
    return null;
  }
}

export const randomId = (): string => b64url(crypto.getRandomValues(new Uint8Array(12)));
