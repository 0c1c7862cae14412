// The wire between browser and room server. Bodies are ciphertext (AES-GCM, base64url); the server
// stores and relays them and never learns what they say.

/** Room ids: 16 random bytes (128 bits), base64url. */
export const ROOM_ID = /^[A-Za-z0-9_-]{22}$/;
/** Client message ids: chosen by the sender, unique per room; they make resends idempotent. */
export const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Proof of holding the room key: 32 bytes, hex. The server keeps only its SHA-256. */
export const AUTH = /^[0-9a-f]{64}$/;

export const LIMITS = {
  /** Largest ciphertext body, in characters. */
  body: 64 * 1024,
  /** Largest WebSocket frame, in bytes. */
  frame: 80 * 1024,
  /** Most messages a room keeps. */
  messagesPerRoom: 5000,
  /** Most ciphertext in one welcome frame, in characters: a longer history comes in pages. */
  page: 1024 * 1024,
} as const;

export type ClientMessage =
  /** `seat`: this person's seat token (64 hex, as in x-steady-seat): once two people hold the room's
   * seats, only their sockets are let in; posting takes a free seat. */
  | { type: 'hello'; room: string; auth: string; since: number; seat?: string }
  | { type: 'send'; id: string; body: string }
  /** The next page of history, after a welcome that said `more`. */
  | { type: 'more' }
  | { type: 'ping' };

export interface Stored {
  seq: number;
  id: string;
  body: string;
  /** When the server stored it, by the server's clock (ms since the epoch): the one clock both people's
   * screens share, so the floor times a time-out by it (floor.ts). Absent from servers before it. */
  t?: number;
}

export type ServerMessage =
  /** `more`: the history goes on past this page (at most LIMITS.page); ask for it with {type: 'more'}. */
  | { type: 'welcome'; room: string; messages: Stored[]; more?: boolean }
  /** `t`: when it was stored (the server's clock), as in Stored. */
  | { type: 'ack'; id: string; seq: number; t?: number }
  | { type: 'msg'; seq: number; id: string; body: string; t?: number }
  | { type: 'deleted' }
  /** A member asked to delete the room: it goes at `at` (ms since the epoch); null: it was kept. */
  | { type: 'deleting'; at: number | null }
  | { type: 'pong' }
  | { type: 'error'; code: ErrorCode; message: string; id?: string };

export type ErrorCode =
  | 'bad_json'
  | 'bad_message'
  | 'too_large'
  | 'no_room'
  | 'forbidden'
  | 'not_joined'
  | 'room_full'
  | 'rate_limited'
  /** The server's storage quota is spent, or its disk is full: try later; nothing was stored. */
  | 'server_full'
  /** Too many sockets (for this address, or in this room), or too many hellos on one socket. */
  | 'too_many'
  /** No hello in time, or a reader too slow to keep up: the socket is closed; reconnect. */
  | 'timeout'
  | 'internal';

/** Errors that pass: wait, reconnect and carry on (the web client retries them). */
export const TEMPORARY: readonly ErrorCode[] = [
  'rate_limited',
  'server_full',
  'too_many',
  'timeout',
  'internal',
];

/** Parse and validate a client frame; returns an error message instead of throwing. */
export function parseClient(
  raw: string,
): { ok: true; msg: ClientMessage } | { ok: false; code: ErrorCode; message: string } {
  if (raw.length > LIMITS.frame)
    return { ok: false, code: 'too_large', message: `frame over ${LIMITS.frame} bytes` };
  let x: unknown;
  try {
    x = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not valid JSON' };
  }
  if (!x || typeof x !== 'object' || Array.isArray(x))
    return { ok: false, code: 'bad_message', message: 'frame must be a JSON object' };
  const m = x as Record<string, unknown>;
  switch (m.type) {
    case 'hello':
      if (typeof m.room !== 'string' || !ROOM_ID.test(m.room))
        return { ok: false, code: 'bad_message', message: 'hello.room must be a room id' };
      if (typeof m.auth !== 'string' || !AUTH.test(m.auth))
        return { ok: false, code: 'bad_message', message: 'hello.auth must be 64 hex characters' };
      if (typeof m.since !== 'number' || !Number.isInteger(m.since) || m.since < 0)
        return { ok: false, code: 'bad_message', message: 'hello.since must be a non-negative integer' };
      if (m.seat !== undefined && (typeof m.seat !== 'string' || !AUTH.test(m.seat)))
        return { ok: false, code: 'bad_message', message: 'hello.seat must be 64 hex characters' };
      return {
        ok: true,
        msg: {
          type: 'hello',
          room: m.room,
          auth: m.auth,
          since: m.since,
          ...(m.seat !== undefined ? { seat: m.seat as string } : {}),
        },
      };
    case 'send':
      if (typeof m.id !== 'string' || !CLIENT_ID.test(m.id))
        return {
          ok: false,
          code: 'bad_message',
          message: 'send.id must be 8-64 characters of [A-Za-z0-9_-]',
        };
      if (typeof m.body !== 'string' || m.body.length === 0)
        return { ok: false, code: 'bad_message', message: 'send.body must be a non-empty string' };
      if (m.body.length > LIMITS.body)
        return { ok: false, code: 'too_large', message: `send.body over ${LIMITS.body} characters` };
      return { ok: true, msg: { type: 'send', id: m.id, body: m.body } };
    case 'ping':
      return { ok: true, msg: { type: 'ping' } };
    case 'more':
      return { ok: true, msg: { type: 'more' } };
    default:
      return { ok: false, code: 'bad_message', message: 'unknown frame type' };
  }
}
