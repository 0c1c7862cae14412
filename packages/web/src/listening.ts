// Listening sessions in this browser's IndexedDB: they never leave the device, and can be exported and
// deleted. One record per session: what was written, what Steady said back, and the summary once done.
import type { ListenResult, Safety } from '@steady/engine';
import { objectStore } from './idb';

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

const tx = objectStore('steady-listen', 'sessions', ['at']);

export const listening = {
  save: (s: StoredSession) => tx('readwrite', (st) => st.put(s)),
  /** The latest session, finished or not. */
  latest: async (): Promise<StoredSession | null> => {
    const all = (await tx<StoredSession[]>('readonly', (st) => st.index('at').getAll())) ?? [];
    return all.at(-1) ?? null;
  },
  remove: (id: string) => tx('readwrite', (st) => st.delete(id)),
};
