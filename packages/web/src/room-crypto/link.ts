// The room link (as excalidraw's getCollaborationLinkData): /room/<id>#k=<key>. The key sits in the
// fragment, which browsers never send to a server, nor put in a Referer header.

import { ROOM_ID } from '@steady/protocol';
import { SECRET } from './encryption.ts';

export function roomLink(origin: string, room: string, secret: string): string {
  if (!ROOM_ID.test(room)) throw new Error(`not a room id: ${room}`);
  if (!SECRET.test(secret)) throw new Error('not a room key');
  return `${origin}/room/${room}#k=${secret}`;
}

/** The key from a fragment (`#k=...`); a plain message when it is missing or cut short. */
export function keyFromFragment(hash: string): { secret: string } | { error: string } {
  const k = new URLSearchParams(hash.replace(/^#/, '')).get('k');
  if (!k) return { error: 'This link has no key (the part after #k=). Ask for the full link.' };
  if (!SECRET.test(k))
    return {
      error: 'The key in this link is damaged or cut short (the part after #k=). Ask for the full link.',
    };
  return { secret: k };
}

/** A whole link: its room and key, or what is wrong with it. */
export function parseRoomLink(href: string): { room: string; secret: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { error: 'This is not a link.' };
  }
  const m = /^\/room\/([^/]+)\/?$/.exec(url.pathname);
  if (!m || !ROOM_ID.test(m[1]!)) return { error: 'This link does not lead to a room.' };
  const k = keyFromFragment(url.hash);
  return 'error' in k ? k : { room: m[1]!, secret: k.secret };
}
