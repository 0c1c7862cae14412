// The room's connection: sends sealed events, keeps every unacknowledged one (in localStorage, so a
// reload keeps it too) and resends it after each reconnect; the server ignores duplicates by id.

import { TEMPORARY, type ServerMessage, type Stored } from '@steady/protocol';

export interface ConnectionEvents {
  onMessages(msgs: Stored[]): void;
  /** 'waiting': a passing refusal (rate limited, server full, busy): the detail says why; it retries. */
  onStatus(s: 'connecting' | 'online' | 'offline' | 'waiting' | 'deleted' | 'error', detail?: string): void;
}

export class Connection {
  private ws?: WebSocket;
  private since = 0;
  private pending: { id: string; body: string }[];
  private closed = false;
  private retry = 500;
  private waiting = false;
  /** A message was refused for a while ('waiting' shown); its ack brings the status back to online. */
  private held = false;
  private readonly storeKey: string;

  constructor(
    private room: string,
    private auth: string,
    private ev: ConnectionEvents,
  ) {
    this.storeKey = `steady:pending:${room}`;
    this.pending = JSON.parse(localStorage.getItem(this.storeKey) ?? '[]');
    this.connect();
  }

  get unsent(): number {
    return this.pending.length;
  }

  send(id: string, body: string): void {
    this.pending.push({ id, body });
    this.save();
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'send', id, body }));
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private save(): void {
    localStorage.setItem(this.storeKey, JSON.stringify(this.pending));
  }

  private connect(): void {
    this.ev.onStatus('connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () =>
      ws.send(JSON.stringify({ type: 'hello', room: this.room, auth: this.auth, since: this.since }));
    ws.onmessage = (e) => {
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
        this.pending = this.pending.filter((x) => x.id !== m.id);
        this.save();
        if (p) this.accept([{ seq: m.seq, id: m.id, body: p.body }]);
        if (this.held) {
          this.held = false; // the refused message went through: the wait is over
          this.ev.onStatus('online');
        }
      } else if (m.type === 'deleted') {
        this.closed = true;
        this.ev.onStatus('deleted');
      } else if (m.type === 'error') {
        if (m.code === 'no_room' || m.code === 'forbidden') this.closed = true;
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
        this.ev.onStatus('error', m.message);
      }
    };
    ws.onclose = () => {
      if (this.closed) return;
      if (this.waiting) this.waiting = false;
      else this.ev.onStatus('offline');
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 8000);
    };
  }

  /** Deliver in order, exactly once per sequence number. */
  private accept(msgs: Stored[]): void {
    const fresh = msgs.filter((m) => m.seq > this.since).sort((a, b) => a.seq - b.seq);
    const inOrder: Stored[] = [];
    for (const m of fresh) {
      if (m.seq > this.since + 1) {
        // a gap (an ack raced a relay): ask again from where we are
        this.ws?.send(JSON.stringify({ type: 'hello', room: this.room, auth: this.auth, since: this.since }));
        return;
      }
      inOrder.push(m);
      this.since = m.seq;
    }
    if (inOrder.length) this.ev.onMessages(inOrder);
  }
}
