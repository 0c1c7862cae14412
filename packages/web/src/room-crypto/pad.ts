// Padding to size buckets: the plaintext is framed as [4-byte length][data][zeros] and grown to the
// smallest bucket that holds it. Every control event (join, confirm, more, pass, time-out, resume) and
// any utterance under about 800 bytes seal to the same length; longer text reveals only its bucket.

/**
 * The bucket sizes in bytes. The top one is the largest whose sealed body (12-byte IV and 16-byte tag,
 * base64url) fits the server's LIMITS.body; a test holds it to that.
 */
export const BUCKETS = [1024, 4096, 16384, 48 * 1024 - 1024] as const;
export const MAX_DATA = BUCKETS.at(-1)! - 4;

export class TooLarge extends Error {
  constructor(readonly bytes: number) {
    super(`a message of ${bytes} bytes is over the ${MAX_DATA}-byte limit of a room`);
  }
}

export function pad(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const size = BUCKETS.find((b) => b >= data.length + 4);
  if (!size) throw new TooLarge(data.length);
  const out = new Uint8Array(size); // zero-filled
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(data, 4);
  return out;
}

/** The data inside a padded plaintext, or null when the frame does not hold together. */
export function unpad(padded: Uint8Array): Uint8Array<ArrayBuffer> | null {
  if (!(BUCKETS as readonly number[]).includes(padded.length)) return null;
  const n = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (n > padded.length - 4) return null;
  for (let i = 4 + n; i < padded.length; i++) if (padded[i] !== 0) return null;
  return padded.slice(4, 4 + n);
}
