// A person's seat in a room, on this device: the id their events carry (`me`, seen by the other person)
// and a secret only their own devices hold. The server keeps the SHA-256 of a token made from the
// secret, so only the two members may delete the room. A seat link (the room link plus the seat) moves
// the seat to another device; it is taken off the address bar as soon as it is read.
import { randomId } from './crypto';

export interface Seat {
  me: string;
  secret: string;
}

const hex = (buf: ArrayBuffer): string =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (s: string): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));

const SEAT = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{16,64})$/;

/** This device's seat in a room: taken from a seat link if the address has one, else kept or made. */
export function seatOf(room: string): Seat {
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
  return { me, secret };
}

/** The token shown to the server for a member's requests, and the verifier it keeps. */
export async function seatToken(s: Seat): Promise<{ token: string; verifier: string }> {
  const token = await sha256(`steady-seat:${s.secret}`);
  return { token, verifier: await sha256(token) };
}

/** The room link that carries this seat: for one's own other device only. */
export function seatLink(s: Seat): string {
  const params = new URLSearchParams(location.hash.slice(1));
  params.set('seat', `${s.me}.${s.secret}`);
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
