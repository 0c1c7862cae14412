// The room's connection: sends sealed events, keeps every unacknowledged one (in localStorage, so a
// reload keeps it too) and resends it after each reconnect; the server ignores duplicates by id, so a
// message sent twice (a resend after a lost ack) is stored and delivered once. A heartbeat and the
// browser's online/offline events tell a dead socket from a quiet one, so "offline" shows at once.

import { TEMPORARY, type ServerMessage, type Stored } from '@steady/protocol';

/** 'waiting': a passing refusal (rate limited, server full, busy): the detail says why; it retries. */
export type Status = 'connecting' | 'online' | 'offline' | 'waiting' | 'deleted' | 'error';

export interface Outgoing {
  id: string;
  body: string;
}

export interface ConnectionEvents {
  onMessages(msgs: Stored[]): void;
  /** 'waiting': a passing refusal (rate limited, server full, busy): the detail says why; it retries. */
  onStatus(s: Status, detail?: string): void;
  /** The outbox changed (a send, an ack): what still waits, in the order it was sent. */
  onPending?(pending: Outgoing[]): void;
  /** A member asked to delete the room: when it goes; null when it was kept. */
  onDeleting?(at: number | null): void;
}

/** What a third person with the link is told when the server refuses them (room_full at hello or send). */
export const ROOM_FULL =
  'This room already has two people, so it cannot take a third. If one of them is you, open the room with the seat link from your other device (“Continue on another device”).';

/** A ping every HEARTBEAT ms; a socket silent for two and a half of them is taken for dead. */
export const HEARTBEAT = 10_000;

export class Connection {
  private ws?: WebSocket;
  private since = 0;
  private pending: Outgoing[];
  private closed = false;
  private retry = 500;
  private waiting = false;
  /** A message was refused for a while ('waiting' shown); its ack brings the status back to online. */
  private held = false;
  private timer?: ReturnType<typeof setTimeout>;
  private beat?: ReturnType<typeof setInterval>;
  private seen = 0;
  private readonly storeKey: string;
  private readonly wentOffline = () => this.ws && this.lost(this.ws);
  private readonly cameOnline = () => this.reconnectNow();

  constructor(
    private room: string,
    private auth: string,
    private ev: ConnectionEvents,
    /** This person's seat token: once the room's two seats are taken, the server lets in only theirs. */
    private seat?: string,
  ) {
    this.storeKey = `steady:pending:${room}`;
    try {
      this.pending = JSON.parse(localStorage.getItem(this.storeKey) ?? '[]');
    } catch {
      this.pending = [];
    }
    addEventListener('offline', this.wentOffline);
    addEventListener('online', this.cameOnline);
    this.ev.onPending?.([...this.pending]);
    this.connect();
  }

  get unsent(): number {
    return this.pending.length;
  }

  send(id: string, body: string): void {
    if (this.pending.some((p) => p.id === id)) return; // one client id, one message
    this.pending.push({ id, body });
    this.save();
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'send', id, body }));
  }

  /** Try again at once (the "Try now" button, or the browser saying it is back online). */
  reconnectNow(): void {
    if (this.closed || this.ws?.readyState === WebSocket.OPEN) return;
    clearTimeout(this.timer);
    this.retry = 500;
    if (this.ws) {
      const ws = this.ws;
      this.ws = undefined;
      ws.onclose = null;
      ws.close();
    }
    this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.beat);
    removeEventListener('offline', this.wentOffline);
    removeEventListener('online', this.cameOnline);
    this.ws?.close();
  }

  private save(): void {
    localStorage.setItem(this.storeKey, JSON.stringify(this.pending));
    this.ev.onPending?.([...this.pending]);
  }

  private connect(): void {
    this.ev.onStatus('connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => {
      this.seen = Date.now();
      clearInterval(this.beat);
      this.beat = setInterval(() => {
        if (Date.now() - this.seen > HEARTBEAT * 2.5) this.lost(ws);
        else if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ping' }));
      }, HEARTBEAT);
      ws.send(JSON.stringify(this.hello()));
    };
    ws.onmessage = (e) => {
      this.seen = Date.now();
      const m = JSON.parse(String(e.data)) as ServerMessage;
      if (m.type === 'welcome') {
        this.accept(m.messages);
        // a long history comes in pages: ask for the next; online once the last is here
        if (m.more) return ws.send(JSON.stringify({ type: 'more' }));
        this.retry = 500;
        this.ev.onStatus('online');
        for (const p of this.pending) ws.send(JSON.stringify({ type: 'send', id: p.id, body: p.body }));
      } else if (m.type === 'msg') this.accept([m]);
      else if (m.type === 'ack') {
        const p = this.pending.find((x) => x.id === m.id);
        if (p)
          this.accept([{ seq: m.seq, id: m.id, body: p.body, ...(m.t !== undefined ? { t: m.t } : {}) }]);
        this.pending = this.pending.filter((x) => x.id !== m.id);
        this.save();
        if (this.held) {
          this.held = false; // the refused message went through: the wait is over
          this.ev.onStatus('online');
        }
      } else if (m.type === 'deleting') this.ev.onDeleting?.(m.at);
      else if (m.type === 'deleted') {
        this.closed = true;
        this.ev.onStatus('deleted');
      } else if (m.type === 'error') {
        // a room whose two seats are someone else's: retrying would only be refused again
        if (m.code === 'no_room' || m.code === 'forbidden' || (m.code === 'room_full' && !m.id))
          this.closed = true;
        if (TEMPORARY.includes(m.code)) {
          // not stored: it stays pending; send it again after the wait. Without an id the server
          // refused the connection and closes it; onclose reconnects with backoff.
          const p = m.id ? this.pending.find((x) => x.id === m.id) : undefined;
          if (p) this.held = true;
          if (p)
            setTimeout(() => {
              if (this.ws === ws && ws.readyState === ws.OPEN)
                ws.send(JSON.stringify({ type: 'send', id: p.id, body: p.body }));
            }, 3000);
          if (!m.id) {
            // the connection itself was refused (or its hello failed): close it, keep saying why
            // through the close, and reconnect after the backoff
            this.waiting = true;
            this.retry = Math.max(this.retry, 4000);
            ws.close();
          }
          this.ev.onStatus('waiting', `${m.message}. Trying again shortly; nothing you wrote is lost.`);
          return;
        }
        // both seats are someone else's: said in the room's words, with the way back for one's own seat
        const full = m.code === 'room_full' && /seats/.test(m.message);
        this.ev.onStatus('error', full ? ROOM_FULL : m.message);
      }
    };
    ws.onclose = () => this.lost(ws);
  }

  /** The socket is gone (closed, silent, or the browser went offline): say so, and come back. */
  private lost(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.ws = undefined;
    clearInterval(this.beat);
    ws.onclose = null;
    ws.onmessage = null;
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    if (this.closed) return;
    // a passing refusal closed it: the status keeps saying why (set when it came) instead of "offline"
    if (this.waiting) this.waiting = false;
    else this.ev.onStatus('offline');
    // offline: the 'online' event brings it back; meanwhile an attempt now and then costs nothing
    this.timer = setTimeout(() => this.connect(), navigator.onLine ? this.retry : 8000);
    this.retry = Math.min(this.retry * 2, 8000);
  }

  private hello() {
    return {
      type: 'hello',
      room: this.room,
      auth: this.auth,
      since: this.since,
      ...(this.seat ? { seat: this.seat } : {}),
    };
  }

  /** Deliver in order, exactly once per sequence number. */
  private accept(msgs: Stored[]): void {
    const fresh = msgs.filter((m) => m.seq > this.since).sort((a, b) => a.seq - b.seq);
    const inOrder: Stored[] = [];
    for (const m of fresh) {
      if (m.seq > this.since + 1) {
        // a gap (an ack raced a relay): ask again from where we are
        this.ws?.send(JSON.stringify(this.hello()));
        return;
      }
      inOrder.push(m);
      this.since = m.seq;
    }
    if (inOrder.length) this.ev.onMessages(inOrder);
  }
}
