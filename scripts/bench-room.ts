// The room's cryptography, measured in Node (WebCrypto, one core): sealing an event (sign + pad +
// AES-GCM) and admitting it (decrypt + verify + order) per event, and the body length per bucket.
// Run: node --import tsx scripts/bench-room.ts [events]
import { performance } from 'node:perf_hooks';
import type { FloorEvent, Stored } from '@steady/protocol';
import { BUCKETS, newIdentity, newRoomKey, pad, seal } from '../packages/web/src/room-crypto/index.ts';
import { RoomLog } from '../packages/web/src/room-log.ts';

const N = Number(process.argv[2] ?? 2000);
const ROOM = 'AAAAAAAAAAAAAAAAAAAAAA';
const key = await newRoomKey();
const me = 'sam-device-1';
const sender = new RoomLog({
  room: ROOM,
  key,
  me,
  identity: await newIdentity(),
  onEvents: () => {},
  onNotice: (n) => {
    throw new Error(`notice while sealing: ${n.kind}`);
  },
});
const text = 'I felt alone at the party, and I did not know how to say it.';
const events: FloorEvent[] = [
  { kind: 'join', by: me, name: 'Sam' },
  ...Array.from({ length: N - 1 }, (): FloorEvent => ({ kind: 'speak', by: me, text })),
];

let t = performance.now();
const stored: Stored[] = [];
for (const [i, e] of events.entries()) stored.push({ seq: i + 1, id: `m${i}`, body: await sender.seal(e) });
const sealMs = performance.now() - t;

let admitted = 0;
const reader = new RoomLog({
  room: ROOM,
  key,
  me: 'alex-device-1',
  identity: await newIdentity(),
  onEvents: (e) => (admitted += e.length),
  onNotice: (n) => {
    throw new Error(`notice while reading: ${n.kind}`);
  },
});
t = performance.now();
await reader.push(stored);
const readMs = performance.now() - t;
if (admitted !== N) throw new Error(`admitted ${admitted} of ${N}`);

console.log(`events: ${N}`);
console.log(
  `seal (sign, pad, encrypt): ${((sealMs / N) * 1000).toFixed(0)} µs/event, ${Math.round(N / (sealMs / 1000))} events/s`,
);
console.log(
  `admit (decrypt, verify, order): ${((readMs / N) * 1000).toFixed(0)} µs/event, ${Math.round(N / (readMs / 1000))} events/s`,
);
for (const b of BUCKETS) {
  const body = await seal(key, ROOM, pad(new Uint8Array(b - 4)));
  console.log(`bucket ${b} B plaintext -> body ${body.length} characters`);
}
