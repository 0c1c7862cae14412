// One object store in this browser's IndexedDB, opened per transaction: what the practice attempts and the
// listening sessions both keep on the device. A transaction resolves on commit, not on its request: a
// stored record is one that survives a reload.

/** A store's transaction runner: `tx('readwrite', (s) => s.put(x))`. */
export type Tx = <T>(
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest<T> | undefined,
) => Promise<T | undefined>;

export function objectStore(db: string, store: string, indexes: readonly string[]): Tx {
  const open = (): Promise<IDBDatabase> =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(db, 1);
      req.onupgradeneeded = () => {
        const s = req.result.createObjectStore(store, { keyPath: 'id' });
        for (const i of indexes) s.createIndex(i, i);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
    });
  return async (mode, fn) => {
    const d = await open();
    try {
      return await new Promise((resolve, reject) => {
        const t = d.transaction(store, mode);
        const req = fn(t.objectStore(store));
        t.oncomplete = () => resolve(req ? req.result : undefined);
        t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
        t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
      });
    } finally {
      d.close();
    }
  };
}
