// Opening a room from anywhere in the app, optionally with a first message ready in the speaker's box
// (the start-up from /listen). The message waits in this tab's sessionStorage, never on the server,
// until the person sends it themself in the room.
import { newRoomKey } from './crypto';
import { roomLink } from './room-crypto/index.ts';

const firstKey = (id: string) => `steady:first:${id}`;

/** A new room on the server, known to it only by the key's verifier; the secret stays here. */
export async function createRoom(): Promise<{ id: string; secret: string }> {
  const k = await newRoomKey();
  const r = await fetch('/api/rooms', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifier: k.verifier }),
  });
  if (!r.ok) throw new Error(`the server said ${r.status}`);
  const { id } = (await r.json()) as { id: string };
  return { id, secret: k.secret };
}

export async function openRoom(first?: string): Promise<void> {
  const { id, secret } = await createRoom();
  if (first?.trim()) sessionStorage.setItem(firstKey(id), first.trim());
  location.href = roomLink(location.origin, id, secret);
}

/**
 * The first message waiting for this room, for the speaker's box; once the room has heard its first
 * words (`said`), it is spent and forgotten.
 */
export function firstMessage(said: string | undefined): string {
  const id = /^\/room\/([A-Za-z0-9_-]{22})/.exec(location.pathname)?.[1];
  if (!id) return '';
  if (said) {
    sessionStorage.removeItem(firstKey(id));
    return '';
  }
  return sessionStorage.getItem(firstKey(id)) ?? '';
}
