// Practice attempts in this browser's IndexedDB: they never leave the device.
import type { Attempt } from '@steady/practice';

const DB = 'steady-practice';
const STORE = 'attempts';

function openAttemptsDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore(STORE, { keyPath: 'id' });
      s.createIndex('at', 'at');
      s.createIndex('scenario', 'scenario');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function tx<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  const db = await openAttemptsDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      // resolve on commit, not on the request: a stored attempt is one that survives a reload
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export const attempts = {
  add: (a: Attempt) => tx('readwrite', (s) => void s.add(a)),
  all: async (): Promise<Attempt[]> => (await tx<Attempt[]>('readonly', (s) => s.index('at').getAll())) ?? [],
  clear: () => tx('readwrite', (s) => void s.clear()),
};
