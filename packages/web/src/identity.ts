// This device's signing key for a room, kept in IndexedDB as a CryptoKey object: the private half was
// made non-extractable, so not even this app's own scripts can read it out, only sign with it. One key
// per room, so two rooms cannot be linked by their keys.

import { fromGrant, newIdentity, type Grant, type Identity } from './room-crypto/index.ts';

const DB = 'steady-room';
const STORE = 'identities';

function db(): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
  });
}

function call<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T> {
  return db().then((d) =>
    new Promise<T>((ok, fail) => {
      const t = d.transaction(STORE, mode);
      const req = f(t.objectStore(STORE));
      // on commit, not on the request: a key made here must survive a reload
      t.oncomplete = () => ok(req.result as T);
      t.onerror = () => fail(t.error ?? req.error);
      t.onabort = () => fail(t.error ?? new Error('aborted'));
    }).finally(() => d.close()),
  );
}

/**
 * The device's identity in this room, made on first use. Where IndexedDB is unavailable (some private
 * modes) the key lives only as long as the page: a reload then cannot sign as the same person, and the
 * room says so (the "lost key" notice) rather than failing silently.
 */
export async function deviceIdentity(room: string): Promise<Identity> {
  try {
    const had = await call<Identity | undefined>('readonly', (s) => s.get(room));
    if (had?.privateKey && had.public) return had;
    const made = await newIdentity();
    try {
      await call('readwrite', (s) => s.add(made, room));
      return made;
    } catch {
      // another tab made one first: use that one
      return (await call<Identity | undefined>('readonly', (s) => s.get(room))) ?? made;
    }
  } catch {
    return newIdentity();
  }
}

/** Take the identity a seat link handed over (another device of the same person), in place of any. */
export async function adoptIdentity(room: string, g: Grant): Promise<Identity> {
  const id = await fromGrant(g);
  await call('readwrite', (s) => s.put(id, room)).catch(() => {});
  return id;
}

export async function forgetIdentity(room: string): Promise<void> {
  await call('readwrite', (s) => s.delete(room)).catch(() => {});
}

/** The own counter and chain, next to the room's other per-device state in localStorage. */
export const localChain = (room: string) => ({
  load: () => {
    try {
      const s = JSON.parse(localStorage.getItem(`steady:chain:${room}`) ?? 'null');
      return s && Number.isSafeInteger(s.n) && typeof s.prev === 'string' ? s : null;
    } catch {
      return null;
    }
  },
  save: (s: { n: number; prev: string }) => localStorage.setItem(`steady:chain:${room}`, JSON.stringify(s)),
});
