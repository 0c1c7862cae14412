// The room server: Fastify with one WebSocket route. It checks that a client holds the room key (by a
// token derived from it), stores ciphertext, acknowledges only after the write, and relays to the other
// sockets in the room, in this process or (through Redis) in another. It never imports the engine and
// never sees plaintext.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import type { WebSocket } from 'ws';
import { AUTH, LIMITS, ROOM_ID, parseClient, type ErrorCode, type ServerMessage } from '@steady/protocol';
import {
  isPostgres,
  openStore,
  SEATS_PER_ROOM,
  STORE_DEFAULTS,
  StoreError,
  type Store,
  type StoreOptions,
} from './store.js';
import { BOUNDS, addressKey, bucket, type Bounds } from './guard.js';
import { LocalHub, RedisHub, type Hub } from './hub.js';
import { Relay } from './relay.js';
import { RedisLimits, localLimiter, type Limiter } from './limits.js';

export interface ServerOptions {
  /** A SQLite file path, or a postgres:// URL (then several processes may share rooms). */
  db: string;
  /** redis:// URL: live messages fan out to the other processes sharing the database. */
  redis?: string;
  /** Built web app to serve (packages/web/dist); omitted in API-only tests. */
  web?: string;
  logger?: boolean;
  /** Where the log goes (tests read it); stdout by default. Errors are logged even without `logger`. */
  logStream?: NodeJS.WritableStream;
  /** Per minute: rooms created and sockets opened per IP address, messages sent per room. 0 turns one off.
   * `concurrentPerIp` caps the sockets one address holds open at once; `bytesPerIpPerHour` the
   * ciphertext it stores. */
  limits?: {
    roomsPerIp?: number;
    socketsPerIp?: number;
    messagesPerRoom?: number;
    concurrentPerIp?: number;
    bytesPerIpPerHour?: number;
  };
  /** Connection and room bounds (guard.ts BOUNDS); the per-address ones are in `limits`. */
  bounds?: Partial<Omit<Bounds, 'socketsPerAddress' | 'bytesPerAddressPerHour'>>;
  /** Storage caps: bytes per room and for the whole server. */
  storage?: Pick<StoreOptions, 'roomBytes' | 'totalBytes'>;
  /** The clock that dates stored messages (a time-out is timed by it); tests move it. Date.now by default. */
  clock?: () => number;
  /** Behind a reverse proxy: trust its X-Forwarded-For (Fastify's trustProxy: true, or the proxy's
   * addresses, comma-separated). Off by default, so a client cannot pick its own address for the limits. */
  trustProxy?: boolean | string;
  /** How long a deletion asked for by one member waits for the other (ms); default DELETE_GRACE_MS. */
  deleteGraceMs?: number;
}

/** A day: the other person is told and can export before the conversation goes (docs/room.md). */
export const DELETE_GRACE_MS = 24 * 60 * 60 * 1000;

// Generous for two people talking; tight enough that one address cannot flood the disk or the relay.
export const RATE = { roomsPerIp: 60, socketsPerIp: 120, messagesPerRoom: 600 } as const;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export const CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

export async function buildServer(o: ServerOptions): Promise<{ app: FastifyInstance; store: Store }> {
  if (o.redis && !isPostgres(o.db))
    throw new Error(
      'Redis fan-out needs a shared PostgreSQL database (a postgres:// URL), not a SQLite file',
    );
  const store = await openStore(o.db, { ...o.storage, ...(o.clock ? { clock: o.clock } : {}) });
  // No request bodies or message text in logs: only method, url and status.
  const app = Fastify({
    logger: {
      level: o.logger ? 'info' : 'error',
      stream: o.logStream,
      serializers: { req: (r) => ({ method: r.method, url: r.url.replace(/#.*/, '') }) },
    },
    bodyLimit: 4096,
    trustProxy: o.trustProxy ?? false,
  });
  const bounds: Bounds = {
    ...BOUNDS,
    ...o.bounds,
    socketsPerAddress: o.limits?.concurrentPerIp ?? BOUNDS.socketsPerAddress,
    bytesPerAddressPerHour: o.limits?.bytesPerIpPerHour ?? BOUNDS.bytesPerAddressPerHour,
  };
  const hub: Hub = o.redis ? new RedisHub(o.redis, (m) => app.log.warn(m)) : new LocalHub();
  if (hub instanceof RedisHub) await hub.ready();
  const rate = { ...RATE, ...o.limits };
  // with Redis, one budget per room or address across all processes
  const shared = hub instanceof RedisHub ? new RedisLimits(hub.client, (m) => app.log.warn(m)) : null;
  const limiter = (name: string, n: number): Limiter | null =>
    n ? (shared ? shared.limiter(name, n, Math.ceil(n / 3)) : localLimiter(n, Math.ceil(n / 3))) : null;
  const roomLimit = limiter('rooms', rate.roomsPerIp);
  const socketLimit = limiter('sockets', rate.socketsPerIp);
  const messageLimit = limiter('messages', rate.messagesPerRoom);
  const perHour = bounds.bytesPerAddressPerHour;
  const byteLimit: Limiter | null = perHour
    ? shared
      ? shared.limiter('bytes', perHour / 60, perHour)
      : localLimiter(perHour / 60, perHour)
    : null;

  // One error shape for every route; the original error goes to the log, never to the client.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof StoreError) {
      app.log.error(
        { err: (err.cause as Error)?.message, code: (err.cause as { code?: string })?.code },
        'write failed',
      );
      return reply
        .code(507)
        .send({ error: 'server_full', message: 'the server is out of storage; try again later' });
    }
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: 'bad_request', message: err.message });
    app.log.error({ err: err.message, code: err.code }, 'request failed');
    return reply.code(500).send({ error: 'internal', message: 'the server could not do that; try again' });
  });

  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer'); // the fragment never leaves the browser; the path need not either
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
  });

  await app.register(websocket, { options: { maxPayload: LIMITS.frame } });

  // For a load balancer: 503 when the database does not answer, or answers but cannot write (a full
  // disk). Redis down is degraded, not dead: messages are still stored and read back, only live relay
  // across processes waits for it.
  app.get('/api/health', async (_req, reply) => {
    const db = await store.ping();
    const writes = db && store.writable;
    return reply.code(writes ? 200 : 503).send({
      ok: writes,
      database: db ? 'up' : 'down',
      ...(db && !writes ? { writes: 'failing' } : {}),
      ...(o.redis ? { redis: hub.live ? 'up' : 'down' } : {}),
    });
  });

  const full = (): boolean => store.used >= (o.storage?.totalBytes ?? STORE_DEFAULTS.totalBytes);
  app.post('/api/rooms', async (req, reply) => {
    if (full() || !store.writable)
      return reply
        .code(507)
        .send({ error: 'server_full', message: 'the server is full; it takes no new rooms for now' });
    const wait = (await roomLimit?.take(addressKey(req.ip))) ?? 0;
    if (wait)
      return reply
        .code(429)
        .header('Retry-After', String(wait))
        .send({ error: 'rate_limited', message: `too many rooms from this address; retry in ${wait}s` });
    const body = req.body as { verifier?: unknown } | undefined;
    if (!body || typeof body.verifier !== 'string' || !AUTH.test(body.verifier)) {
      return reply
        .code(400)
        .send({ error: 'bad_request', message: 'body must be {"verifier": 64 hex characters}' });
    }
    const id = randomBytes(16).toString('base64url'); // 128 random bits
    await store.createRoom(id, body.verifier);
    return reply.code(201).send({ id });
  });

  const matches = (auth: string, verifier: string): boolean =>
    timingSafeEqual(Buffer.from(sha256(auth)), Buffer.from(verifier));

  /** The room, checked against the auth token: its verifier, or the reply already sent. */
  const member = async (
    req: FastifyRequest,
    reply: FastifyReply,
    seat: boolean,
  ): Promise<{ id: string; seat: string } | null> => {
    const { id } = req.params as { id: string };
    const auth = String(req.headers['x-steady-auth'] ?? '');
    const token = String(req.headers['x-steady-seat'] ?? '');
    if (!ROOM_ID.test(id) || !AUTH.test(auth)) {
      await reply
        .code(400)
        .send({ error: 'bad_request', message: 'room id and x-steady-auth header required' });
      return null;
    }
    const v = await store.verifier(id);
    if (!v) {
      await reply.code(404).send({ error: 'no_room', message: 'no such room' });
      return null;
    }
    if (!matches(auth, v)) {
      await reply.code(403).send({ error: 'forbidden', message: 'the auth token does not match this room' });
      return null;
    }
    if (!seat) return { id, seat: '' };
    if (!AUTH.test(token) || !(await store.seats(id)).includes(sha256(token))) {
      await reply.code(403).send({
        error: 'not_member',
        message: 'only the two people in the room may do that (x-steady-seat)',
      });
      return null;
    }
    return { id, seat: sha256(token) };
  };

  // A member registers their seat (the SHA-256 of a token only their devices hold); two per room.
  app.post('/api/rooms/:id/seats', async (req, reply) => {
    const m = await member(req, reply, false);
    if (!m) return;
    const body = req.body as { verifier?: unknown } | undefined;
    if (!body || typeof body.verifier !== 'string' || !AUTH.test(body.verifier))
      return reply
        .code(400)
        .send({ error: 'bad_request', message: 'body must be {"verifier": 64 hex characters}' });
    const r = await store.addSeat(m.id, body.verifier);
    if (r === 'gone') return reply.code(404).send({ error: 'no_room', message: 'no such room' });
    if (r === 'full') return reply.code(409).send({ error: 'room_full', message: 'this room has two seats' });
    return reply.code(204).send();
  });

  const deleteNow = async (id: string): Promise<void> => {
    await store.deleteRoom(id);
    hub.publish({ room: id, kind: 'deleted' });
  };

  // Deleting is a member's request, and the other person hears of it first: the room goes when both
  // have asked, or after the grace period (time to export), unless someone keeps it meanwhile.
  app.delete('/api/rooms/:id', async (req, reply) => {
    const m = await member(req, reply, true);
    if (!m) return;
    const [seats, pending] = await Promise.all([store.seats(m.id), store.deletion(m.id)]);
    if (seats.length < 2 || (pending && pending.by !== m.seat)) {
      await deleteNow(m.id); // no one else to tell, or both have asked
      return reply.code(200).send({ deleted: true });
    }
    const at = pending?.at ?? Date.now() + grace;
    if (!pending) {
      await store.setDeletion(m.id, { at, by: m.seat });
      hub.publish({ room: m.id, kind: 'deleting', at });
    }
    return reply.code(202).send({ deleted: false, at });
  });

  // Either member keeps the room: the pending deletion is called off, and both screens say so.
  app.post('/api/rooms/:id/keep', async (req, reply) => {
    const m = await member(req, reply, true);
    if (!m) return;
    await store.setDeletion(m.id, null);
    hub.publish({ room: m.id, kind: 'deleting', at: null });
    return reply.code(204).send();
  });

  const grace = o.deleteGraceMs ?? DELETE_GRACE_MS;
  // Due deletions are carried out by a sweep; a short grace (tests) sweeps often.
  const sweep = setInterval(
    () => {
      store
        .dueDeletions(Date.now())
        .then((ids) => Promise.all(ids.map(deleteNow)))
        .catch((e: Error) => app.log.warn(`deletion sweep failed: ${e.message}`));
    },
    Math.max(50, Math.min(60_000, grace / 4)),
  );
  sweep.unref();

  // A reader that cannot keep up is cut rather than buffered without end: it reconnects and reads
  // from its position, in pages.
  const send = (s: WebSocket, m: ServerMessage): void => {
    if (s.readyState !== s.OPEN) return;
    s.send(JSON.stringify(m));
    if (s.bufferedAmount > bounds.bufferedBytes) s.terminate();
  };
  const relay = new Relay(store, hub, send, (m) => app.log.warn(m));

  // Heartbeat: a peer that vanished without a close (a phone losing signal) answers no ping; its
  // socket is cut at the next beat instead of holding memory and a room place for hours.
  const alive = new Map<WebSocket, boolean>();
  const beat = setInterval(() => {
    for (const [s, ok] of alive) {
      if (!ok) {
        s.terminate();
        continue;
      }
      alive.set(s, false);
      s.ping();
    }
  }, bounds.heartbeatMs);
  beat.unref();

  // Idle rooms expire: checked at start and then hourly; their sockets are told, as after a delete.
  const prune = async (): Promise<void> => {
    if (!bounds.idleDays) return;
    try {
      const gone = await store.prune(bounds.idleDays * 86_400_000);
      for (const id of gone) hub.publish({ room: id, kind: 'deleted' });
      if (gone.length) app.log.info({ rooms: gone.length }, 'idle rooms pruned');
    } catch (e) {
      app.log.error({ err: (e as Error).message }, 'prune failed');
    }
  };
  const pruning = setInterval(() => void prune(), 3_600_000);
  pruning.unref();
  app.addHook('onReady', prune);

  const open = new Map<string, number>(); // sockets held open, per address key
  // Sockets per seat (room and seat verifier): one person's devices. Per process, like the room's count.
  const seated = new Map<string, number>();
  const ROOM_FULL =
    'this room is for two, and both seats are taken; if one is yours, open it with the seat link from your other device ("Continue on another device")';
  // Sockets joined to a room without holding a seat, per room: when both seats are taken they are closed,
  // so a link-holder who joined early does not go on reading a room that is now two people's.
  // Each is kept with its recheck: one whose own seat token was among the two (another device of a person
  // who posted from elsewhere) is counted under that seat instead.
  const seatless = new Map<string, Map<WebSocket, () => Promise<void>>>();
  const unseat = (room: string | null, socket: WebSocket): void => {
    const set = room ? seatless.get(room) : undefined;
    if (!set) return;
    set.delete(socket);
    if (!set.size) seatless.delete(room!);
  };
  relay.onSeated = (room) => {
    for (const recheck of [...(seatless.get(room)?.values() ?? [])]) void recheck().catch(() => {});
  };
  const fail = (socket: WebSocket, code: ErrorCode, message: string, close?: number): void => {
    send(socket, { type: 'error', code, message });
    if (close) socket.close(close, code);
  };

  app.get('/ws', { websocket: true }, (socket, req) => {
    const addr = addressKey(req.ip);
    let room: string | null = null;
    let refused = false;
    /** The seat this socket named at hello (the SHA-256 of its token), and whether it holds it. */
    let seat: string | null = null;
    let held: string | null = null; // the `seated` key it is counted under
    const hold = (key: string | null): void => {
      if (held) {
        const n = seated.get(held)! - 1;
        if (n) seated.set(held, n);
        else seated.delete(held);
      }
      held = key;
      if (key) seated.set(key, (seated.get(key) ?? 0) + 1);
    };
    const hello = bucket(bounds.hellos, bounds.hellosPerMinute);
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    open.set(addr, (open.get(addr) ?? 0) + 1);
    const helloTimer = setTimeout(() => {
      refused = true;
      fail(socket, 'timeout', `no hello within ${bounds.helloMs / 1000}s`, 1008);
    }, bounds.helloMs);
    // Frames from one socket are handled one after another (the first turn is the connection's rate
    // check): a send right behind its hello must find the room joined, and acks leave in order.
    let turn = (async () => {
      if (bounds.socketsPerAddress && open.get(addr)! > bounds.socketsPerAddress) {
        refused = true;
        return fail(
          socket,
          'too_many',
          'too many connections open from this address; close some first',
          1013,
        );
      }
      const wait = (await socketLimit?.take(addr)) ?? 0;
      if (!wait) return;
      refused = true;
      fail(socket, 'rate_limited', `too many connections from this address; retry in ${wait}s`, 1013);
    })().catch(() => {});
    socket.on('message', (data, isBinary) => {
      alive.set(socket, true);
      turn = turn
        .then(() => handle(data.toString(), isBinary))
        .catch((e: Error) => app.log.error({ err: e.message }, 'ws frame failed'));
    });
    const handle = async (raw: string, isBinary: boolean): Promise<void> => {
      if (refused) return;
      if (isBinary) return send(socket, { type: 'error', code: 'bad_message', message: 'text frames only' });
      const parsed = parseClient(raw);
      if (!parsed.ok) return send(socket, { type: 'error', code: parsed.code, message: parsed.message });
      const m = parsed.msg;
      try {
        if (m.type === 'ping') return send(socket, { type: 'pong' });
        if (m.type === 'more') return room ? await relay.more(room, socket) : undefined;
        if (m.type === 'hello') {
          if (!hello()) {
            refused = true;
            return fail(socket, 'too_many', 'too many hellos on one connection; reconnect', 1008);
          }
          const v = await store.verifier(m.room);
          if (!v)
            return send(socket, {
              type: 'error',
              code: 'no_room',
              message: 'no such room (it may have been deleted)',
            });
          if (!matches(m.auth, v))
            return send(socket, {
              type: 'error',
              code: 'forbidden',
              message: 'this link does not hold the key to the room',
            });
          // Two people per room: once both seats are taken, only a socket naming one of them gets in (a
          // seat recovered on another device has the same token). Before that, anyone with the key may
          // read, and posting takes a free seat (below).
          const v2 = m.seat ? sha256(m.seat) : null;
          const seats = await store.seats(m.room);
          const mine = v2 !== null && seats.includes(v2);
          if (!mine && seats.length >= SEATS_PER_ROOM) {
            refused = true;
            return fail(socket, 'room_full', ROOM_FULL, 1008);
          }
          const key = mine ? `${m.room}\n${v2}` : null;
          if (key && key !== held && (seated.get(key) ?? 0) >= bounds.socketsPerSeat) {
            refused = true;
            return fail(
              socket,
              'too_many',
              `this seat has ${bounds.socketsPerSeat} connections open already; close the room on another device`,
              1013,
            );
          }
          if (room !== m.room && relay.count(m.room) >= bounds.socketsPerRoom) {
            refused = true;
            return fail(
              socket,
              'too_many',
              `this room has ${bounds.socketsPerRoom} connections open already; close one on another device`,
              1013,
            );
          }
          // closed while the verifier was read: joining now would leave a dead socket counted in the room
          if (socket.readyState !== socket.OPEN) return;
          clearTimeout(helloTimer);
          relay.leave(socket, room);
          unseat(room, socket);
          room = m.room;
          seat = v2;
          hold(key);
          if (!key) {
            let set = seatless.get(room);
            if (!set) seatless.set(room, (set = new Map()));
            const at = room;
            set.set(socket, async () => {
              const taken = await store.seats(at);
              if (room !== at || held) return; // moved on, or took a seat meanwhile
              unseat(at, socket);
              if (seat && taken.includes(seat)) hold(`${at}\n${seat}`);
              else if (taken.length >= SEATS_PER_ROOM) fail(socket, 'room_full', ROOM_FULL, 1008);
            });
          }
          void store.touch(room).catch(() => {}); // activity keeps the room from expiring
          return await relay.join(room, socket, m.since);
        }
        if (!room)
          return send(socket, {
            type: 'error',
            code: 'not_joined',
            message: 'say hello to a room first',
            id: m.id,
          });
        // only the room's two people post: a socket not yet holding a seat takes a free one with its
        // token. One without a token (a client from before seats, a load test) may post only in a room
        // where no one has taken a seat: the web app takes one with its first post, so from then on
        // every poster is one of at most two seats.
        if (!held) {
          const r = seat
            ? await store.addSeat(room, seat)
            : (await store.seats(room)).length
              ? 'seated'
              : 'ok';
          if (r === 'seated')
            return send(socket, {
              type: 'error',
              code: 'forbidden',
              message: 'this room has members: name your seat at hello (hello.seat) to post',
              id: m.id,
            });
          if (r === 'gone')
            return send(socket, { type: 'error', code: 'no_room', message: 'no such room', id: m.id });
          if (r === 'full')
            return send(socket, { type: 'error', code: 'room_full', message: ROOM_FULL, id: m.id });
          if (seat) {
            hold(`${room}\n${seat}`);
            unseat(room, socket);
            // the second seat taken: every process closes its sockets that hold neither
            if ((await store.seats(room)).length >= SEATS_PER_ROOM) hub.publish({ room, kind: 'seated' });
          }
        }
        // refused before storing, so the client keeps it pending and resends later: nothing is lost
        const slow = (await messageLimit?.take(room)) ?? 0;
        if (slow)
          return send(socket, {
            type: 'error',
            code: 'rate_limited',
            message: `this room is sending too fast; retry in ${slow}s`,
            id: m.id,
          });
        const heavy = (await byteLimit?.take(addr, m.body.length)) ?? 0;
        if (heavy)
          return send(socket, {
            type: 'error',
            code: 'rate_limited',
            message: `this address has stored a lot this hour; retry in ${heavy}s`,
            id: m.id,
          });
        relay.sending(room, socket, m.id);
        const r = await store.append(room, m.id, m.body);
        if ('gone' in r)
          return send(socket, {
            type: 'error',
            code: 'no_room',
            message: 'no such room (it may have been deleted)',
            id: m.id,
          });
        if ('full' in r)
          return send(socket, {
            type: 'error',
            code: 'room_full',
            message:
              r.full === 'messages'
                ? `a room keeps at most ${LIMITS.messagesPerRoom} messages`
                : 'this room holds as much as a room may; start a new one',
            id: m.id,
          });
        if ('quota' in r)
          return send(socket, {
            type: 'error',
            code: 'server_full',
            message: 'the server is full; your message is kept here and sent when there is room',
            id: m.id,
          });
        send(socket, { type: 'ack', id: m.id, seq: r.seq, t: r.t }); // only now is it stored
        relay.acked(room, socket, m.id, r.seq);
        if (r.fresh) hub.publish({ room, kind: 'msg', msg: { seq: r.seq, id: m.id, body: m.body, t: r.t } }); // not a resend: the others have those
      } catch (e) {
        const cause = e instanceof StoreError ? (e.cause as Error & { code?: string }) : (e as Error);
        app.log.error({ err: cause?.message, code: (cause as { code?: string })?.code }, 'ws handler failed');
        if (e instanceof StoreError)
          return send(socket, {
            type: 'error',
            code: 'server_full',
            message: 'the server could not store that (its disk is full); it is kept here and sent later',
            ...(m.type === 'send' ? { id: m.id } : {}),
          });
        send(socket, { type: 'error', code: 'internal', message: 'the server could not handle that frame' });
      }
    };
    socket.on('close', () => {
      clearTimeout(helloTimer);
      alive.delete(socket);
      const n = open.get(addr)! - 1;
      if (n) open.set(addr, n);
      else open.delete(addr);
      relay.leave(socket, room);
      unseat(room, socket);
      hold(null);
    });
  });

  if (o.web && existsSync(o.web)) {
    // Built files: brotli or gzip copies made at build (preCompressed); hashed assets are cached for good,
    // everything else (the shell, the service worker, the manifest) is checked again on every load.
    await app.register(fastifyStatic, {
      root: o.web,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) =>
        res.header(
          'Cache-Control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
    // client-side routes (/room/..., /lens) get the app shell
    app.setNotFoundHandler((req, reply) => {
      if (
        (req.method === 'GET' || req.method === 'HEAD') &&
        !req.url.startsWith('/api/') &&
        !req.url.startsWith('/ws')
      )
        return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
      return reply.code(404).send({ error: 'not_found', message: 'no such route' });
    });
  }
  app.addHook('onClose', async () => {
    clearInterval(beat);
    clearInterval(pruning);
    clearInterval(sweep);
    await hub.close();
    await store.close();
  });
  return { app: app as unknown as FastifyInstance, store };
}

/** STEADY_DATABASE_URL (postgres://) wins; else the SQLite file STEADY_DB, default ./data/steady.db. */
export const defaultDb = (): string =>
  process.env.STEADY_DATABASE_URL || process.env.STEADY_DB || join(process.cwd(), 'data', 'steady.db');
