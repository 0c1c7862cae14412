// Practice attempts in this browser's IndexedDB: they never leave the device.
import type { Attempt } from '@steady/practice';
import { objectStore } from './idb';

const tx = objectStore('steady-practice', 'attempts', ['at', 'scenario']);

export const attempts = {
  add: (a: Attempt) => tx('readwrite', (s) => void s.add(a)),
  all: async (): Promise<Attempt[]> => (await tx<Attempt[]>('readonly', (s) => s.index('at').getAll())) ?? [],
  clear: () => tx('readwrite', (s) => void s.clear()),
};
