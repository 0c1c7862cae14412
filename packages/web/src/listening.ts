// Listening sessions in this browser's IndexedDB: they never leave the device, and can be exported and
// deleted. One record per session: what was written, what Steady said back, and the summary once done.
import type { ListenResult, Safety } from '@steady/engine';

export interface StoredTurn {
  text: string;
  reflection: string;
  correction?: boolean;
  safety?: Safety | null;
}
export interface StoredSession {
  id: string;
  at: number;
  turns: StoredTurn[];
  result: ListenResult | null;
}

const DB = 'steady-listen';
const STORE = 'sessions';

function openSessionsDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE, { keyPath: 'id' }).createIndex('at', 'at');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function tx<T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  const db = await openSessionsDb();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      // resolve on commit: a saved message is one that survives a reload
      t.oncomplete = () => resolve(req ? req.result : undefined);
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

export const listening = {
  save: (s: StoredSession) => tx('readwrite', (st) => st.put(s)),
  /** The latest session, finished or not. */
  latest: async (): Promise<StoredSession | null> => {
    const all = (await tx<StoredSession[]>('readonly', (st) => st.index('at').getAll())) ?? [];
    return all.at(-1) ?? null;
  },
  remove: (id: string) => tx('readwrite', (st) => st.delete(id)),
};
