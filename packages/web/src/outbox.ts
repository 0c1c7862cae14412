// The room's log as one person's screen holds it: the events the server stored (in order, read by
// RoomLog, the one place that decrypts, verifies and orders incoming events) and the outbox, their own
// events not yet acknowledged. The outbox shows at once, marked as waiting, survives a reload
// (Connection keeps the sealed copies in localStorage) and is sent once: every event has a client id,
// and the server stores a client id once however often it is resent.
import { useEffect, useRef, useState } from 'react';
import type { FloorEvent } from '@steady/protocol';
import { Connection, type Outgoing, type Status } from './connection';
import { newGrant, randomId, type Grant, type RoomKey } from './room-crypto/index.ts';
import { RoomLog, type Notice } from './room-log';
import { adoptIdentity, deviceIdentity, localChain } from './identity';
import { forgetRoom } from './drafts';
import { seatToken, type Seat } from './seat';

export interface Sent {
  id: string;
  event: FloorEvent;
}

export interface RoomView {
  /** Stored events, verified, in the server's order. */
  events: FloorEvent[];
  /** This device's events still waiting for the server, in the order they were sent. */
  pending: Sent[];
  status: Status;
  /** Why the status is 'waiting' (a passing refusal: rate limited, server full, busy). */
  detail: string;
  /** The log can seal and sign (key and this device's identity are ready). */
  ready: boolean;
  /** The server's log has been read once (so an empty floor means an empty room). */
  loaded: boolean;
  /** The browser believes it has a network (navigator.onLine). */
  online: boolean;
  problem: string | null;
  /** What the log refused or noticed (forged, replayed, reordered, too long...): Integrity.tsx. */
  notices: Notice[];
  /** When a deletion someone asked for will happen (ms since the epoch), or null. */
  deleteAt: number | null;
  emit(e: FloorEvent): Promise<void>;
  /** Hand this seat to another device: a key made for it, added (signed by this device) to the log. */
  handOver(name: string): Promise<Grant | null>;
  retry(): void;
}

export function useRoomLog(
  id: string,
  key: RoomKey | null,
  me: string,
  grant?: Grant,
  seat?: Seat,
): RoomView {
  const [events, setEvents] = useState<FloorEvent[]>([]);
  const [pending, setPending] = useState<Sent[]>([]);
  const [status, setStatus] = useState<Status>('connecting');
  const [detail, setDetail] = useState('');
  const [ready, setReady] = useState(false);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [problem, setProblem] = useState<string | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [deleteAt, setDeleteAt] = useState<number | null>(null);
  const conn = useRef<Connection | null>(null);
  const log = useRef<RoomLog | null>(null);
  // Plaintext of what this device sent, by client id: a pending message shows without reading it back.
  const plain = useRef(new Map<string, FloorEvent>());

  useEffect(() => {
    const up = () => setOnline(navigator.onLine);
    addEventListener('online', up);
    addEventListener('offline', up);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', up);
    };
  }, []);

  useEffect(() => {
    if (!key) return;
    let gone = false;
    let c: Connection | undefined;
    // Stored batches and outbox updates take turns in the order they came, so an ack makes the event
    // stored before it leaves the outbox: it never blinks out.
    let chain = Promise.resolve();
    const later = (f: () => Promise<void>) => {
      chain = chain.then(f, f);
    };
    void Promise.all([
      grant ? adoptIdentity(id, grant) : deviceIdentity(id),
      seat ? seatToken(seat).then((s) => s.token) : undefined,
    ]).then(([identity, token]) => {
      if (gone) return;
      // verifies and orders the log: events reach the floor in sequence order, signed by their sender
      const l = new RoomLog({
        room: id,
        key,
        me,
        identity,
        chain: localChain(id),
        onEvents: (evs) => setEvents((prev) => [...prev, ...evs]),
        onNotice: (n) => setNotices((prev) => [...prev, n]),
      });
      log.current = l;
      c = new Connection(
        id,
        key.auth,
        {
          onStatus: (s, why) => {
            setStatus(s);
            setDetail(s === 'waiting' ? (why ?? '') : '');
            if (s === 'online') later(async () => setLoaded(true)); // after the welcome's messages
            if (s === 'deleted') {
              setProblem('This conversation was deleted for good.');
              forgetRoom(id); // and so is what this device kept of it
            } else if (s === 'error' && why) setProblem(why);
          },
          onDeleting: setDeleteAt,
          onMessages: (msgs) => {
            const applied = l.push(msgs); // decryption starts now; the log applies in sequence order
            later(() => applied);
          },
          onPending: (list: Outgoing[]) =>
            later(async () => {
              const out: Sent[] = [];
              for (const p of list) {
                const e = plain.current.get(p.id) ?? (await l.readOwn(p.body));
                if (!e) continue;
                plain.current.set(p.id, e);
                out.push({ id: p.id, event: e });
              }
              setPending(out);
            }),
        },
        token,
      );
      conn.current = c;
      setReady(true);
    });
    return () => {
      gone = true;
      c?.close();
      conn.current = null;
      log.current = null;
      setReady(false);
      setEvents([]);
    };
  }, [id, key, me, grant, seat]);

  const emit = async (e: FloorEvent): Promise<void> => {
    const l = log.current;
    if (!l || !conn.current) return;
    const cid = randomId();
    const sent: FloorEvent = e.at === undefined ? { ...e, at: Date.now() } : e; // when, for the export
    plain.current.set(cid, sent);
    // a message too long to seal is reported by the log (a notice), never sent in part, and its words
    // go back into the draft box, so nothing typed is lost
    const body = await l.seal(sent).catch(() => null);
    if (body) conn.current?.send(cid, body);
    else {
      plain.current.delete(cid);
      // after the composer's own clearing of the box (which follows the send), not before it
      const text = 'text' in e ? e.text : undefined;
      if (text) setTimeout(() => window.dispatchEvent(new CustomEvent('steady:insert', { detail: text })));
    }
  };
  const handOver = async (name: string): Promise<Grant | null> => {
    const l = log.current;
    if (!l || !conn.current) return null;
    const g = await newGrant();
    // a join again changes nothing on the floor (already seated); it carries the new key, signed here
    const e: FloorEvent = { kind: 'join', by: me, name, at: Date.now() };
    const cid = randomId();
    plain.current.set(cid, e);
    const body = await l.seal(e, g.public).catch(() => null);
    if (!body) return null;
    conn.current?.send(cid, body);
    return g.grant;
  };
  return {
    events,
    pending,
    status,
    detail,
    ready,
    loaded,
    online,
    problem,
    notices,
    deleteAt,
    emit,
    handOver,
    retry: () => conn.current?.reconnectNow(),
  };
}
