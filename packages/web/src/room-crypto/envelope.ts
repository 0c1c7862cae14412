// A signed event, as sealed into a body: the plaintext is [64-byte signature][payload JSON], padded.
// The payload names the room, the sender (`by`), the sending device (`dev`: a hash of the key that signs),
// that device's counter `n` (1, 2, 3, ... per device of a person), `prev` (SHA-256 of that device's
// previous payload, "" for the first) and `seen` (how many events of the log the sender had accepted when
// signing). The signature covers the exact payload bytes, so there
// is no canonical form to agree on.

import { asFloorEvent, type FloorEvent } from '@steady/protocol';
import { b64url, fromUtf8, sha256, utf8 } from './encoding.ts';
import { open, seal, type RoomKey } from './encryption.ts';
import { pad, unpad } from './pad.ts';
import { SIGNATURE_BYTES, sign, type Identity } from './signing.ts';

export interface Payload {
  v: 2;
  room: string;
  by: string;
  n: number;
  prev: string;
  seen: number;
  /** The signing device: deviceOf(its public key). Each device of a person counts its own events, so two
   * devices writing at once never reuse a number (room-log.ts). Absent in events sealed before it. */
  dev?: string;
  /** The sender's public key: in their join, which binds it to `by` for the rest of the room. */
  key?: string;
  /** A public key its sender (signing with a key already theirs) adds for themself: their seat moved to
   * another device, which signs with that key from now on (Tools.tsx, seat.ts). */
  add?: string;
  e: FloorEvent;
}

export interface Opened {
  payload: Payload;
  /** The signed bytes and their signature, for the verifier. */
  bytes: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
  /** SHA-256 of the payload bytes, base64url: the next event's `prev`, and what a replay repeats. */
  hash: string;
}

const HASH = /^[A-Za-z0-9_-]{43}$/;
const DEV = /^[A-Za-z0-9_-]{16}$/;

/** A device's id in the log: the first 96 bits of SHA-256 of its public key (as announced), base64url.
 * Bound to the key: an event naming a device must verify under that device's key. */
export const deviceOf = async (publicKey: string): Promise<string> =>
  b64url(await sha256(utf8(publicKey))).slice(0, 16);

export const payloadHash = async (bytes: Uint8Array<ArrayBuffer>): Promise<string> =>
  b64url(await sha256(bytes));

/** Sign and seal one event. Throws TooLarge (pad.ts) when it cannot fit a room's largest body. */
export async function sealEvent(
  k: RoomKey,
  id: Identity,
  p: Payload,
): Promise<{ body: string; hash: string }> {
  const bytes = utf8(JSON.stringify(p));
  const signature = await sign(id, bytes);
  const data = new Uint8Array(SIGNATURE_BYTES + bytes.length);
  data.set(signature);
  data.set(bytes, SIGNATURE_BYTES);
  return { body: await seal(k, p.room, pad(data)), hash: await payloadHash(bytes) };
}

/** Decrypt and read one body: null when it does not open in this room or is not a well-formed event. */
export async function openEvent(k: RoomKey, room: string, body: string): Promise<Opened | null> {
  const plain = await open(k, room, body);
  return plain && readPlain(plain, room);
}

/** The second half of openEvent, apart so a test can feed it what it likes. */
export async function readPlain(plain: Uint8Array, room: string): Promise<Opened | null> {
  const data = unpad(plain);
  if (!data || data.length <= SIGNATURE_BYTES) return null;
  const signature = data.slice(0, SIGNATURE_BYTES);
  const bytes = data.slice(SIGNATURE_BYTES);
  let x: unknown;
  try {
    x = JSON.parse(fromUtf8(bytes));
  } catch {
    return null;
  }
  const payload = asPayload(x, room);
  return payload && { payload, bytes, signature, hash: await payloadHash(bytes) };
}

function asPayload(x: unknown, room: string): Payload | null {
  if (!x || typeof x !== 'object') return null;
  const p = x as Record<string, unknown>;
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (p.v !== 2 || p.room !== room || typeof p.by !== 'string' || p.by.length > 64) return null;
  if (!count(p.n) || p.n < 1 || !count(p.seen)) return null;
  if (typeof p.prev !== 'string' || (p.prev !== '' && !HASH.test(p.prev))) return null;
  if (p.dev !== undefined && (typeof p.dev !== 'string' || !DEV.test(p.dev))) return null;
  if (p.key !== undefined && (typeof p.key !== 'string' || p.key.length > 128)) return null;
  if (p.add !== undefined && (typeof p.add !== 'string' || p.add.length > 128)) return null;
  const e = asFloorEvent(p.e);
  if (!e) return null;
  return {
    v: 2,
    room,
    by: p.by,
    n: p.n,
    prev: p.prev,
    seen: p.seen,
    ...(p.dev !== undefined ? { dev: p.dev as string } : {}),
    ...(p.key !== undefined ? { key: p.key as string } : {}),
    ...(p.add !== undefined ? { add: p.add as string } : {}),
    e,
  };
}
