// Bounds that keep one address, one socket or one room from taking the server's memory, disk or
// sockets (issue 15). Each is a number in BOUNDS, overridable in ServerOptions and, for the ones an
// operator tunes, by an environment variable read in main.ts (documented in docs/security-availability.md).

export interface Bounds {
  /** Sockets one address may hold open at once (0: no cap). */
  socketsPerAddress: number;
  /** Sockets joined to one room at once: its two members, each on a few devices. */
  socketsPerRoom: number;
  /** Sockets of one seat (one person's devices and tabs) joined to its room at once. */
  socketsPerSeat: number;
  /** Hellos one socket may say: a burst, refilled at `hellosPerMinute` (a reconnect is a new socket). */
  hellos: number;
  hellosPerMinute: number;
  /** A socket that has not joined a room by then is closed. */
  helloMs: number;
  /** Every this often the server pings each socket; one that has not answered the last ping is cut. */
  heartbeatMs: number;
  /** A socket whose unsent output passes this (it reads slower than the room writes) is cut; it
   * reconnects and reads from where it was. */
  bufferedBytes: number;
  /** Ciphertext one address may store across all rooms, per hour (a burst of the same size; 0: none). */
  bytesPerAddressPerHour: number;
  /** Rooms idle (no write, no hello) this many days are deleted (0: never). */
  idleDays: number;
}

export const BOUNDS: Bounds = {
  socketsPerAddress: 64,
  socketsPerRoom: 8,
  socketsPerSeat: 4,
  hellos: 10,
  hellosPerMinute: 30,
  helloMs: 10_000,
  heartbeatMs: 30_000,
  bufferedBytes: 4 * 1024 * 1024,
  bytesPerAddressPerHour: 64 * 1024 * 1024,
  idleDays: 30,
};

/** The key an address is counted under: an IPv4 address as it is; an IPv6 address by its /64, since
 * one household or one rented server is handed a whole /64 and could otherwise rotate through it. */
export function addressKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const bare = ip.split('%')[0]!.toLowerCase();
  let groups: string[];
  if (bare.includes('::')) {
    const [head, tail] = bare.split('::') as [string, string];
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  } else groups = bare.split(':');
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/** A small token bucket for one socket's hellos (no map: it lives and dies with the socket). */
export function bucket(burst: number, perMinute: number, now: () => number = Date.now): () => boolean {
  let tokens = burst;
  let at = now();
  return () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) * perMinute) / 60_000);
    at = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
