// Fan-out of stored messages to every process that has a socket in the room. With one process the hub
// is a function call; with STEADY_REDIS_URL it is Redis pub/sub, one channel per room. Redis is only the
// doorbell: the database is the truth, so a publish lost while Redis restarts is read back from it
// (`onResync`) once the subscription is live again.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Stored } from '@steady/protocol';

export type HubEvent =
  | { room: string; kind: 'msg'; msg: Stored }
  | { room: string; kind: 'deleted' }
  | { room: string; kind: 'deleting'; at: number | null }
  /** Both seats of the room are taken: a socket that holds neither may no longer read it. */
  | { room: string; kind: 'seated' };

export interface Hub {
  /** Called for every event, from this process or another. Set by the relay. */
  onEvent: (e: HubEvent) => void;
  /** Called when deliveries may have been missed (Redis came back): read what is stored. */
  onResync: () => void;
  /** Deliver here at once and to the other processes. */
  publish(e: HubEvent): void;
  /** Start receiving a room's events; resolves once they will arrive. */
  join(room: string): Promise<void>;
  leave(room: string): void;
  /** Whether live fan-out works right now (messages are stored and read back either way). */
  readonly live: boolean;
  close(): Promise<void>;
}

export class LocalHub implements Hub {
  readonly live = true;
  onEvent: (e: HubEvent) => void = () => {};
  onResync: () => void = () => {};
  publish(e: HubEvent): void {
    this.onEvent(e);
  }
  async join(): Promise<void> {}
  leave(): void {}
  async close(): Promise<void> {}
}

const CHANNEL = 'steady:room:';

export class RedisHub implements Hub {
  onEvent: (e: HubEvent) => void = () => {};
  onResync: () => void = () => {};
  /** Tells this process's own publishes apart from the others'. */
  private readonly node = randomBytes(8).toString('hex');
  /** The command connection (publishes; the rate limits share it). */
  readonly client: Redis;
  private sub: Redis;
  private rooms = new Set<string>();

  constructor(
    url: string,
    private log: (msg: string) => void = () => {},
  ) {
    // Retry for ever, at most every second: the server keeps serving from the database meanwhile.
    const retryStrategy = (n: number) => Math.min(n * 100, 1000);
    // auto-pipelining: the publishes of one event-loop turn leave in one write
    this.client = new Redis(url, { retryStrategy, maxRetriesPerRequest: 2, enableAutoPipelining: true });
    // We resubscribe ourselves, so that the read-back runs only after the subscriptions are live.
    this.sub = new Redis(url, { retryStrategy, autoResubscribe: false, maxRetriesPerRequest: null });
    for (const c of [this.client, this.sub]) c.on('error', (e: Error) => this.log(`redis: ${e.message}`));
    let first = true;
    this.sub.on('ready', () => {
      if (first) return void (first = false);
      this.log('redis: reconnected; resubscribing and reading back from the database');
      const rooms = [...this.rooms].map((r) => CHANNEL + r);
      void (rooms.length ? this.sub.subscribe(...rooms) : Promise.resolve())
        .then(() => this.onResync())
        .catch((e: Error) => this.log(`redis: resubscribe failed: ${e.message}`));
    });
    this.sub.on('message', (channel: string, raw: string) => {
      const e = decode(channel, raw);
      if (e && e.from !== this.node) this.onEvent(e.event);
    });
  }

  get live(): boolean {
    return this.client.status === 'ready' && this.sub.status === 'ready';
  }

  /** Resolves when both connections are up (used at start so the first room does not wait). */
  async ready(): Promise<void> {
    await Promise.all([this.client.ping(), this.sub.ping()]);
  }

  publish(e: HubEvent): void {
    this.onEvent(e);
    const wire =
      e.kind === 'msg'
        ? { f: this.node, k: 'm', s: e.msg.seq, i: e.msg.id, b: e.msg.body, t: e.msg.t }
        : e.kind === 'deleting'
          ? { f: this.node, k: 'g', a: e.at }
          : e.kind === 'seated'
            ? { f: this.node, k: 's' }
            : { f: this.node, k: 'd' };
    // A failed publish loses nothing: the message is stored, and the others read it back on resync.
    this.client
      .publish(CHANNEL + e.room, JSON.stringify(wire))
      .catch((err: Error) => this.log(`redis: publish failed: ${err.message}`));
  }

  async join(room: string): Promise<void> {
    if (this.rooms.has(room)) return;
    this.rooms.add(room);
    // While Redis is away, do not hold the welcome hostage: the room is in `rooms`, so it is
    // subscribed (and read back) the moment Redis returns.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((ok) => (timer = setTimeout(ok, 1000)));
    await Promise.race([
      this.sub.subscribe(CHANNEL + room).then(
        () => undefined,
        (e: Error) => this.log(`redis: subscribe failed: ${e.message}`),
      ),
      late,
    ]);
    clearTimeout(timer);
  }

  leave(room: string): void {
    if (!this.rooms.delete(room)) return;
    this.sub.unsubscribe(CHANNEL + room).catch(() => {});
  }

  async close(): Promise<void> {
    this.client.disconnect();
    this.sub.disconnect();
  }
}

/** Read one Redis payload defensively: anything malformed is dropped (the database still has it). */
function decode(channel: string, raw: string): { from: string; event: HubEvent } | null {
  if (!channel.startsWith(CHANNEL)) return null;
  const room = channel.slice(CHANNEL.length);
  let x: { f?: unknown; k?: unknown; s?: unknown; i?: unknown; b?: unknown; a?: unknown; t?: unknown };
  try {
    x = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof x?.f !== 'string') return null;
  if (x.k === 'd') return { from: x.f, event: { room, kind: 'deleted' } };
  if (x.k === 's') return { from: x.f, event: { room, kind: 'seated' } };
  if (x.k === 'g' && (x.a === null || Number.isInteger(x.a)))
    return { from: x.f, event: { room, kind: 'deleting', at: x.a as number | null } };
  if (x.k === 'm' && Number.isInteger(x.s) && typeof x.i === 'string' && typeof x.b === 'string') {
    const t = Number.isInteger(x.t) ? { t: x.t as number } : {};
    return { from: x.f, event: { room, kind: 'msg', msg: { seq: x.s as number, id: x.i, body: x.b, ...t } } };
  }
  return null;
}
