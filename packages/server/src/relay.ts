// Delivery to the sockets of this process: every socket in a room gets every stored message once, in
// order, with no gap. Each socket has a position (the last sequence number it holds). The next message
// goes straight out; anything else (a message that overtook another across processes, or one whose
// publish Redis lost) makes that socket read what it misses from the database.

import type { WebSocket } from 'ws';
import { LIMITS, type ServerMessage, type Stored } from '@steady/protocol';
import type { Hub } from './hub.js';
import type { Store } from './store.js';

interface Peer {
  /** Last sequence number this socket holds. */
  at: number;
  /** A read from the database is running for it; deliveries meanwhile set `again`. */
  busy: boolean;
  again: boolean;
  /** Client ids of its own messages not yet behind its position: the ack brings those, so relaying or
   * reading back passes over them. A stale id (a send that failed) only ever hides its own message. */
  own: Set<string>;
  /** Its welcome came in pages and it has not yet asked for the last one: it stays busy till then. */
  paging: boolean;
}

interface Room {
  peers: Map<WebSocket, Peer>;
  /** Resolves once the hub delivers this room's events here. */
  joined: Promise<void>;
}

export class Relay {
  private rooms = new Map<string, Room>();
  /** Both seats of a room were taken (in any process): set by the app, which closes the seatless sockets. */
  onSeated: (room: string) => void = () => {};

  constructor(
    private store: Store,
    private hub: Hub,
    private send: (s: WebSocket, m: ServerMessage) => void,
    private log: (msg: string) => void,
  ) {
    hub.onEvent = (e) =>
      e.kind === 'msg'
        ? this.deliver(e.room, e.msg)
        : e.kind === 'deleting'
          ? this.tell(e.room, { type: 'deleting', at: e.at })
          : e.kind === 'seated'
            ? this.onSeated(e.room)
            : this.deleted(e.room);
    hub.onResync = () => {
      for (const [room, r] of this.rooms) for (const [s, p] of r.peers) void this.catchUp(room, s, p);
    };
  }

  get sockets(): number {
    let n = 0;
    for (const r of this.rooms.values()) n += r.peers.size;
    return n;
  }

  /** Sockets of this process joined to a room. */
  count(room: string): number {
    return this.rooms.get(room)?.peers.size ?? 0;
  }

  /** Join a socket to a room and welcome it with what was stored after `since`: the first page (at
   * most LIMITS.page of ciphertext); the client asks for each further page, so a long history never
   * sits whole in memory or in one frame, and a reader that stops asking costs nothing more. */
  async join(room: string, socket: WebSocket, since: number): Promise<void> {
    let r = this.rooms.get(room);
    if (!r) this.rooms.set(room, (r = { peers: new Map(), joined: this.hub.join(room) }));
    const peer: Peer = { at: since, busy: true, again: false, own: new Set(), paging: false };
    r.peers.set(socket, peer);
    try {
      await r.joined; // subscribed before reading, so nothing falls between the read and the relay
      await this.welcome(room, socket, peer);
      // a deletion asked for while this person was away: they hear of it first thing
      const d = await this.store.deletion(room);
      if (d && r.peers.get(socket) === peer) this.send(socket, { type: 'deleting', at: d.at });
    } finally {
      if (!peer.paging) peer.busy = false;
    }
    if (!peer.busy && peer.again) void this.catchUp(room, socket, peer);
  }

  /** The next page of a paged welcome. */
  async more(room: string, socket: WebSocket): Promise<void> {
    const peer = this.rooms.get(room)?.peers.get(socket);
    if (!peer?.paging) return;
    try {
      await this.welcome(room, socket, peer);
    } finally {
      if (!peer.paging) peer.busy = false;
    }
    if (!peer.busy && peer.again) void this.catchUp(room, socket, peer);
  }

  private async welcome(room: string, socket: WebSocket, peer: Peer): Promise<void> {
    peer.paging = false;
    const { messages, more } = await this.store.page(room, peer.at, LIMITS.page);
    if (this.rooms.get(room)?.peers.get(socket) !== peer) return;
    this.send(socket, { type: 'welcome', room, messages, ...(more ? { more: true } : {}) });
    peer.at = messages.at(-1)?.seq ?? peer.at;
    peer.paging = more;
  }

  leave(socket: WebSocket, room: string | null): void {
    const r = room ? this.rooms.get(room) : undefined;
    if (!r?.peers.delete(socket) || r.peers.size) return;
    this.rooms.delete(room!);
    this.hub.leave(room!);
  }

  /** A socket's message is about to be stored (its frames take turns, so the ack comes before the next). */
  sending(room: string, socket: WebSocket, id: string): void {
    this.rooms.get(room)?.peers.get(socket)?.own.add(id);
  }

  /** The sender got its ack: it holds that message too. */
  acked(room: string, socket: WebSocket, id: string, seq: number): void {
    const p = this.rooms.get(room)?.peers.get(socket);
    if (!p) return;
    if (seq <= p.at) return void p.own.delete(id);
    if (!p.busy && seq === p.at + 1) {
      p.own.delete(id);
      p.at = seq;
      return;
    }
    void this.catchUp(room, socket, p); // it is missing what came before its own message
  }

  /** Give one message to a socket at its position: send it, or pass over its own. */
  private give(s: WebSocket, p: Peer, m: Stored): void {
    if (!p.own.delete(m.id))
      this.send(s, {
        type: 'msg',
        seq: m.seq,
        id: m.id,
        body: m.body,
        ...(m.t !== undefined ? { t: m.t } : {}),
      });
    p.at = m.seq;
  }

  private deliver(room: string, msg: Stored): void {
    const r = this.rooms.get(room);
    if (!r) return;
    for (const [s, p] of r.peers) {
      if (p.busy) p.again = true;
      else if (msg.seq === p.at + 1) this.give(s, p, msg);
      else if (msg.seq > p.at) void this.catchUp(room, s, p);
    }
  }

  private async catchUp(room: string, s: WebSocket, p: Peer): Promise<void> {
    if (p.busy) return void (p.again = true);
    p.busy = true;
    try {
      do {
        p.again = false;
        // page by page: a socket far behind is cut by the send bound if it cannot keep up
        pages: for (let more = true; more; ) {
          const page = await this.store.page(room, p.at, LIMITS.page);
          more = page.more;
          for (const m of page.messages) {
            if (this.rooms.get(room)?.peers.get(s) !== p || s.readyState !== s.OPEN) return; // left, or said hello again
            if (m.seq !== p.at + 1) break pages;
            this.give(s, p, m);
          }
        }
      } while (p.again);
    } catch (e) {
      this.log(`relay: read-back failed: ${(e as Error).message}`);
    } finally {
      p.busy = false;
    }
  }

  private tell(room: string, m: ServerMessage): void {
    for (const s of this.rooms.get(room)?.peers.keys() ?? []) this.send(s, m);
  }

  private deleted(room: string): void {
    const r = this.rooms.get(room);
    if (!r) return;
    for (const s of r.peers.keys()) this.send(s, { type: 'deleted' });
    this.rooms.delete(room);
    this.hub.leave(room);
  }
}
