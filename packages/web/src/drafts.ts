// Drafts kept per room and per box on this device: a reload, a time-out called by the other person or
// a turn of the floor does not lose what someone was halfway through writing.
import { useCallback, useState } from 'react';
import { forgetIdentity } from './identity';

const keyOf = (room: string, box: string) => `steady:draft:${room}:${box}`;

export function useDraft(room: string, box: string): [string, (v: string) => void] {
  const [text, setText] = useState(() => localStorage.getItem(keyOf(room, box)) ?? '');
  const set = useCallback(
    (v: string) => {
      setText(v);
      if (v) localStorage.setItem(keyOf(room, box), v);
      else localStorage.removeItem(keyOf(room, box));
    },
    [room, box],
  );
  return [text, set];
}

/** Everything this device keeps for a room (deleting the room removes it all). */
export function forgetRoom(room: string): void {
  for (const k of Object.keys(localStorage))
    if (k.endsWith(`:${room}`) || k.startsWith(`steady:draft:${room}:`)) localStorage.removeItem(k);
  void forgetIdentity(room); // the signing key too (IndexedDB)
}
