// The room's log as one person's screen holds it: the events the server stored (in order, decrypted)
// and the outbox, their own events not yet acknowledged. The outbox shows at once, marked as waiting,
// survives a reload (Connection keeps the sealed copies in localStorage) and is sent once: every event
// has a client id, and the server stores a client id once however often it is resent.
import { useEffect, useRef, useState } from 'react';
import { asFloorEvent, type FloorEvent } from '@steady/protocol';
import { Connection, type Outgoing, type Status } from './connection';
import { open, randomId, seal, type RoomKey } from './crypto';
import { forgetRoom } from './drafts';

export interface Sent {
  id: string;
  event: FloorEvent;
}

export interface RoomLog {
  /** Stored events, in the server's order. */
  events: FloorEvent[];
  /** This device's events still waiting for the server, in the order they were sent. */
  pending: Sent[];
  status: Status;
  /** The server's log has been read once (so an empty floor means an empty room). */
  loaded: boolean;
  /** The browser believes it has a network (navigator.onLine). */
  online: boolean;
  problem: string | null;
  /** When a deletion someone asked for will happen (ms since the epoch), or null. */
  deleteAt: number | null;
  emit(e: FloorEvent): Promise<void>;
  retry(): void;
}

export function useRoomLog(id: string, key: RoomKey | null): RoomLog {
  const [events, setEvents] = useState<FloorEvent[]>([]);
  const [pending, setPending] = useState<Sent[]>([]);
  const [status, setStatus] = useState<Status>('connecting');
  const [online, setOnline] = useState(() => navigator.onLine);
  const [problem, setProblem] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [deleteAt, setDeleteAt] = useState<number | null>(null);
  const conn = useRef<Connection | null>(null);
  // Plaintext of what this device sent, by client id: a pending message shows without a decrypt, and
  // its ack turns it into a stored event in the same render, so it never blinks out.
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
    // Decrypting is async: one chain keeps batches (and outbox updates) in the order they arrived.
    let chain = Promise.resolve();
    const later = (f: () => Promise<void>) => {
      chain = chain.then(f, f);
    };
    const read = async (cid: string, body: string): Promise<FloorEvent | null> =>
      plain.current.get(cid) ?? asFloorEvent(await open(key, body));
    const c = new Connection(id, key.auth, {
      onStatus: (s, detail) => {
        setStatus(s);
        if (s === 'online') later(async () => setLoaded(true)); // after the welcome's messages
        if (s === 'deleted') {
          setProblem('This conversation was deleted for good.');
          forgetRoom(id); // and so is what this device kept of it
        } else if (s === 'error' && detail) setProblem(detail);
      },
      onDeleting: setDeleteAt,
      onMessages: (msgs) =>
        later(async () => {
          const opened: FloorEvent[] = [];
          for (const m of msgs) {
            const e = await read(m.id, m.body);
            if (e) opened.push(e);
          }
          setEvents((prev) => [...prev, ...opened]);
        }),
      onPending: (list: Outgoing[]) =>
        later(async () => {
          const out: Sent[] = [];
          for (const p of list) {
            const e = await read(p.id, p.body);
            if (e) plain.current.set(p.id, e);
            if (e) out.push({ id: p.id, event: e });
          }
          setPending(out);
        }),
    });
    conn.current = c;
    return () => {
      c.close();
      conn.current = null;
      setEvents([]);
    };
  }, [id, key]);

  const emit = async (e: FloorEvent): Promise<void> => {
    if (!key || !conn.current) return;
    const cid = randomId();
    const sent: FloorEvent = e.at === undefined ? { ...e, at: Date.now() } : e; // when, for the export
    plain.current.set(cid, sent);
    const body = await seal(key, sent);
    conn.current?.send(cid, body);
  };
  return {
    events,
    pending,
    status,
    loaded,
    online,
    problem,
    deleteAt,
    emit,
    retry: () => conn.current?.reconnectNow(),
  };
}
