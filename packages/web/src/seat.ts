// A person's seat in a room, on this device: the id their events carry (`me`, seen by the other person)
// and a secret only their own devices hold. The server keeps the SHA-256 of a token made from the
// secret, so only the two members may delete the room. A seat link (the room link plus the seat) moves
// the seat to another device; it is taken off the address bar as soon as it is read.
import { randomId, type Grant } from './room-crypto/index.ts';

export interface Seat {
  me: string;
  secret: string;
  /** Handed over by the seat link just opened: the signing key this device takes (identity.ts). */
  grant?: Grant;
}

const hex = (buf: ArrayBuffer): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (s: string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));

const B = '([A-Za-z0-9_-]{43})';
const SEAT = new RegExp(`^([A-Za-z0-9_-]{8,64})\\.([A-Za-z0-9_-]{16,64})(?:\\.${B}\\.${B}\\.${B})?$`);

// Each room's seat as first read on this page. Reading a seat link takes it off the address bar, so a
// second read would lose its grant: React may render a component again from scratch (a lazily loaded
// page's first render can be thrown away and redone), and its useMemo with it.
const read = new Map<string, Seat>();

/** This device's seat in a room: taken from a seat link if the address has one, else kept or made. */
export function seatOf(room: string): Seat {
  let seat = read.get(room);
  if (!seat) read.set(room, (seat = readSeat(room)));
  return seat;
}

function readSeat(room: string): Seat {
  const meKey = `steady:me:${room}`;
  const secretKey = `steady:seat:${room}`;
  const params = new URLSearchParams(location.hash.slice(1));
  const moved = SEAT.exec(params.get('seat') ?? '');
  if (moved) {
    localStorage.setItem(meKey, moved[1]!);
    localStorage.setItem(secretKey, moved[2]!);
    params.delete('seat');
    history.replaceState(null, '', `${location.pathname}#${params.toString()}`);
  }
  let me = localStorage.getItem(meKey);
  if (!me) localStorage.setItem(meKey, (me = randomId()));
  let secret = localStorage.getItem(secretKey);
  if (!secret) localStorage.setItem(secretKey, (secret = randomId() + randomId()));
  const grant = moved?.[3] ? { x: moved[3], y: moved[4]!, d: moved[5]! } : undefined;
  return { me, secret, ...(grant ? { grant } : {}) };
}

/** The token shown to the server for a member's requests, and the verifier it keeps. */
export async function seatToken(s: Seat): Promise<{ token: string; verifier: string }> {
  const token = await sha256(`steady-seat:${s.secret}`);
  return { token, verifier: await sha256(token) };
}

/** The room link that carries this seat: for one's own other device only. */
export function seatLink(s: Seat, g?: Grant | null): string {
  const params = new URLSearchParams(location.hash.slice(1));
  // with a signing key for the other device (its public half already added by this one: outbox.ts)
  params.set('seat', `${s.me}.${s.secret}${g ? `.${g.x}.${g.y}.${g.d}` : ''}`);
  return `${location.origin}${location.pathname}#${params.toString()}`;
}

/** Register this device's seat with the server (once a member; again is harmless). */
export async function registerSeat(room: string, auth: string, s: Seat): Promise<void> {
  const { verifier } = await seatToken(s);
  await fetch(`/api/rooms/${room}/seats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-steady-auth': auth },
    body: JSON.stringify({ verifier }),
  });
}
