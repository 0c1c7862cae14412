// The room's log as this device reads it: bodies are decrypted as they arrive (in parallel), but every
// event is verified and applied strictly in the server's sequence order, one after another, whatever
// order the decryptions finish in. Each event must be signed by the key its sender announced in their
// join (or added later for another device of theirs); each device of a sender numbers its events 1, 2,
// 3, ... and chains each to its previous one by hash, and says how many events of the log it had seen.
// The device is named in the signed payload (`dev`, a hash of its key) and must be the key that signed,
// so two devices of one person writing at once never reuse a number. From that the log tells, and reports:
// - forged: signed by a key that is not the one bound to the named person (a link-holder, or the other
//   member, writing as someone else), an inner `by` that differs from the signer, or a `dev` whose key
//   did not sign it;
// - stranger: an event from someone who never joined;
// - replayed: an event already in the log again (same ciphertext or re-encrypted) under a new id;
// - reordered: an event placed before one its device sent earlier, or before what its sender had seen;
// - missing: a gap in a device's numbers (the server dropped or is holding back events);
// - unreadable: a body that does not open with the room key in this room, or is malformed.
// Refused events never reach the floor. The rules depend only on the log, so both people refuse the same.

import type { FloorEvent, Stored } from '@steady/protocol';
import {
  deviceOf,
  importPublic,
  openEvent,
  sealEvent,
  TooLarge,
  verify,
  type Identity,
  type Opened,
  type Payload,
  type RoomKey,
} from './room-crypto/index.ts';

export type Notice =
  | { kind: 'forged'; seq: number; name: string | null }
  | { kind: 'stranger'; seq: number }
  | { kind: 'replayed'; seq: number; name: string }
  | { kind: 'reordered'; seq: number; name: string }
  | { kind: 'missing'; seq: number; name: string; count: number }
  | { kind: 'forked'; seq: number; name: string }
  | { kind: 'unreadable'; seq: number }
  | { kind: 'lost-key' }
  | { kind: 'too-large'; bytes: number };

export function describeNotice(n: Notice): string {
  switch (n.kind) {
    case 'forged':
      return `A message claiming to be from ${n.name ?? 'someone in this room'} was not signed by their device, so it was dropped. Someone else holding the link may be writing as them.`;
    case 'stranger':
      return 'A message from someone who never joined this room was dropped.';
    case 'replayed':
      return `A message from ${n.name} was sent again as if new, so the copy was dropped.`;
    case 'reordered':
      return `A message from ${n.name} arrived out of its order, so it was set aside: the server may have reordered or held back part of the conversation.`;
    case 'missing':
      return `${n.count === 1 ? 'A message' : `${n.count} messages`} from ${n.name} never arrived: the server may have dropped ${n.count === 1 ? 'it' : 'them'}.`;
    case 'forked':
      return `${n.name} sent two different messages with the same number (the room open twice on one device?). Both are shown.`;
    case 'unreadable':
      return 'A message that does not open with this room’s key was dropped (damaged, or not from this room).';
    case 'lost-key':
      return 'This device no longer has the signing key you joined with, so the other person will not accept your messages. Open the room on the device you joined from.';
    case 'too-large':
      return `That message is too long to send (${n.bytes} bytes). Shorten it and send again.`;
  }
}

/** This device's own counter and chain between reloads. */
export interface ChainState {
  n: number;
  prev: string;
  /** The device the count belongs to (deviceOf its key): a count kept for another key is not this one's. */
  dev?: string;
}

export interface LogOptions {
  room: string;
  key: RoomKey;
  /** This device's participant id in the room. */
  me: string;
  identity: Identity;
  onEvents(events: FloorEvent[]): void;
  onNotice(n: Notice): void;
  /** Where the own counter survives a reload (localStorage in the app; memory in tests). */
  chain?: { load(): ChainState | null; save(s: ChainState): void };
  /** Decrypt and read a body: openEvent, unless a test slows it down. */
  open?: (body: string, seq: number) => Promise<Opened | null>;
}

/** One device of a person: its key, and its own count. */
interface Device {
  key: CryptoKey;
  public: string;
  /** Highest counter accepted from this device, and the hash of that payload. */
  n: number;
  prev: string;
}

interface Signer {
  /** By device id: the key of their join first, then any key they added for another device (`add`). */
  devices: Map<string, Device>;
  publics: string[];
  name: string;
}

export class RoomLog {
  private signers = new Map<string, Signer>();
  /** Hashes of every payload accepted: a replay repeats one. */
  private hashes = new Set<string>();
  /**
   * Events admitted to the log so far (signed and numbered right): what `seen` counts. An event set
   * aside as moved ahead still counts, so one moved event does not make every later one look moved.
   */
  private admitted = 0;
  private last = 0;
  private applying: Promise<void> = Promise.resolve();
  private sealing: Promise<unknown> = Promise.resolve();
  private own: ChainState = { n: 0, prev: '' };
  private lost = false;
  /** This device's id in the log (deviceOf its public key). */
  private dev: Promise<string>;

  constructor(private o: LogOptions) {
    this.dev = deviceOf(o.identity.public);
    const stored = o.chain?.load();
    if (stored) this.own = stored;
  }

  /** The stored count, if it is this device's (or from before counts named their device). */
  private mine(s: ChainState | null | undefined, dev: string): ChainState | null {
    return s && (s.dev === undefined || s.dev === dev) ? s : null;
  }

  /**
   * Take stored messages (in any batches, each message once). Decryption starts at once; application
   * waits its turn. Resolves when these messages have been applied.
   */
  push(msgs: Stored[]): Promise<void> {
    const fresh: Stored[] = [];
    for (const m of [...msgs].sort((a, b) => a.seq - b.seq)) {
      if (m.seq <= this.last) continue; // already taken
      fresh.push(m);
      this.last = m.seq;
    }
    const open = this.o.open ?? ((body: string) => openEvent(this.o.key, this.o.room, body));
    const opening = fresh.map((m) => ({
      seq: m.seq,
      t: m.t,
      opened: open(m.body, m.seq).catch(() => null),
    }));
    const run = this.applying.then(async () => {
      const out: FloorEvent[] = [];
      for (const m of opening) {
        const e = await this.admit(m.seq, await m.opened);
        // when the server stored it: the floor times a time-out by this, never by the sender's word
        if (e) out.push(typeof m.t === 'number' ? { ...e, t: m.t } : e);
      }
      if (out.length) this.o.onEvents(out);
      this.checkLost();
    });
    this.applying = run.catch(() => {});
    return run;
  }

  /** Sign and seal one of this device's events; sealing takes turns so the counter never repeats. */
  seal(e: FloorEvent, add?: string): Promise<string> {
    const run = this.sealing.then(async () => {
      const dev = await this.dev;
      if (!this.mine(this.own, dev)) this.own = { n: 0, prev: '', dev };
      // another tab of this room on this device may have sent since: continue its count, not repeat it
      const stored = this.mine(this.o.chain?.load(), dev);
      if (stored && stored.n > this.own.n) this.own = stored;
      const p: Payload = {
        v: 2,
        room: this.o.room,
        by: this.o.me,
        dev,
        n: this.own.n + 1,
        prev: this.own.prev,
        seen: this.admitted,
        ...(e.kind === 'join' ? { key: this.o.identity.public } : {}),
        ...(add ? { add } : {}),
        e,
      };
      try {
        const { body, hash } = await sealEvent(this.o.key, this.o.identity, p);
        this.keep({ n: p.n, prev: hash, dev });
        return body;
      } catch (err) {
        if (err instanceof TooLarge) this.o.onNotice({ kind: 'too-large', bytes: err.bytes });
        throw err;
      }
    });
    this.sealing = run.catch(() => {});
    return run;
  }

  /**
   * Read back one of this device's own sealed events still waiting in the outbox (after a reload its
   * plaintext is gone from memory): it must open with the room key and carry this device's signature.
   * It is shown as pending only; it reaches the floor through `push`, in sequence order, like any event.
   */
  async readOwn(body: string): Promise<FloorEvent | null> {
    const opened = await (this.o.open ?? ((b: string) => openEvent(this.o.key, this.o.room, b)))(
      body,
      0,
    ).catch(() => null);
    if (!opened || opened.payload.by !== this.o.me || opened.payload.e.by !== this.o.me) return null;
    this.ownKey ??= importPublic(this.o.identity.public);
    const key = await this.ownKey;
    return key && (await verify(key, opened.signature, opened.bytes)) ? opened.payload.e : null;
  }
  private ownKey?: Promise<CryptoKey | null>;

  /** The device of theirs that signed: the one the payload names (only its key is tried), or for an
   * event from before devices were named, whichever of their keys verifies. */
  private async signedBy(
    s: Signer,
    dev: string | undefined,
    sig: Uint8Array<ArrayBuffer>,
    bytes: Uint8Array<ArrayBuffer>,
  ): Promise<Device | null> {
    if (dev !== undefined) {
      const d = s.devices.get(dev);
      return d && (await verify(d.key, sig, bytes)) ? d : null;
    }
    for (const d of s.devices.values()) if (await verify(d.key, sig, bytes)) return d;
    return null;
  }

  /** After each batch: this device's key is not among the ones its person signs with (see lost-key). */
  private checkLost(): void {
    const mine = this.signers.get(this.o.me);
    if (this.lost || !mine || mine.publics.includes(this.o.identity.public)) return;
    this.lost = true;
    this.o.onNotice({ kind: 'lost-key' });
  }

  private keep(s: ChainState): void {
    this.own = s;
    this.o.chain?.save(s);
  }

  private async admit(seq: number, opened: Opened | null): Promise<FloorEvent | null> {
    const say = (n: Notice) => {
      this.o.onNotice(n);
      return null;
    };
    if (!opened) return say({ kind: 'unreadable', seq });
    const { payload: p, signature, bytes, hash } = opened;
    if (p.e.by !== p.by) return say({ kind: 'forged', seq, name: this.signers.get(p.e.by)?.name ?? null });
    let s = this.signers.get(p.by);
    let d: Device | null;
    if (!s) {
      // The first join of a person binds their key; it must be signed by that key.
      if (p.e.kind !== 'join' || !p.key) return say({ kind: 'stranger', seq });
      const key = await importPublic(p.key);
      const dev = await deviceOf(p.key);
      if (!key || (p.dev !== undefined && p.dev !== dev) || !(await verify(key, signature, bytes)))
        return say({ kind: 'forged', seq, name: null });
      d = { key, public: p.key, n: 0, prev: '' };
      s = { devices: new Map([[dev, d]]), publics: [p.key], name: p.e.name.slice(0, 40) || 'someone' };
      this.signers.set(p.by, s);
    } else if (
      (p.key !== undefined && !s.publics.includes(p.key)) ||
      !(d = await this.signedBy(s, p.dev, signature, bytes))
    )
      return say({ kind: 'forged', seq, name: s.name });
    // numbers count per device: one device's events never collide with another's
    if (p.n <= d.n) return say({ kind: this.hashes.has(hash) ? 'replayed' : 'reordered', seq, name: s.name });
    if (p.n > d.n + 1) this.o.onNotice({ kind: 'missing', seq, name: s.name, count: p.n - d.n - 1 });
    else if (p.prev !== d.prev) this.o.onNotice({ kind: 'forked', seq, name: s.name });
    d.n = p.n;
    d.prev = hash;
    this.hashes.add(hash);
    if (p.add && !s.publics.includes(p.add)) {
      // signed by a key already theirs: their seat on another device signs with this one from now on
      const added = await importPublic(p.add);
      if (added) {
        s.devices.set(await deviceOf(p.add), { key: added, public: p.add, n: 0, prev: '' });
        s.publics.push(p.add);
      }
    }
    // this device's own count, when storage was cleared: only from events this device signed
    if (p.by === this.o.me && d.public === this.o.identity.public) {
      const dev = await this.dev;
      if (p.n > (this.mine(this.own, dev)?.n ?? 0)) this.keep({ n: p.n, prev: hash, dev });
    }
    // Its sender had seen more of the log than stands before it here: the server moved it earlier.
    const moved = p.seen > this.admitted;
    this.admitted++;
    return moved ? say({ kind: 'reordered', seq, name: s.name }) : p.e;
  }
}
