// npm start: serve the built web app and the room server on http://localhost:8080 (PORT), SQLite at
// STEADY_DB (default ./data/steady.db). Scale-out: STEADY_DATABASE_URL=postgres://… and
// STEADY_REDIS_URL=redis://… let several processes (on several ports or machines) share rooms.
import { fileURLToPath } from 'node:url';
import { buildServer, defaultDb } from './app.js';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`steady: PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
const web = fileURLToPath(new URL('../../web/dist', import.meta.url));
// STEADY_RATE=0 turns the rate limits and per-address caps off (load and fault tests on loopback)
const limits =
  process.env.STEADY_RATE === '0'
    ? { roomsPerIp: 0, socketsPerIp: 0, messagesPerRoom: 0, concurrentPerIp: 0, bytesPerIpPerHour: 0 }
    : undefined;
// Operator settings (docs/security-availability.md): a number from the environment, or the default.
const num = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) {
    console.error(`steady: ${name} must be a number, not "${v}"`);
    process.exit(2);
  }
  return Number(v);
};
const mb = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 1024 * 1024));
const idleDays = num('STEADY_IDLE_DAYS');
const helloSeconds = num('STEADY_HELLO_SECONDS');
const storage = { roomBytes: mb(num('STEADY_ROOM_MB')), totalBytes: mb(num('STEADY_QUOTA_MB')) };
const proxy = process.env.STEADY_TRUST_PROXY;
const trustProxy =
  !proxy || proxy === '0' || proxy === 'false' ? false : proxy === '1' || proxy === 'true' ? true : proxy;
const db = defaultDb();
const redis = process.env.STEADY_REDIS_URL || undefined;
if (process.env.STEADY_DATABASE_URL && !redis) {
  console.warn(
    'steady: STEADY_DATABASE_URL without STEADY_REDIS_URL: run one process only; others sharing the database would not relay to each other live',
  );
}
let app: Awaited<ReturnType<typeof buildServer>>['app'];
try {
  ({ app } = await buildServer({
    db,
    redis,
    web,
    logger: process.env.STEADY_LOG === '1',
    limits,
    storage: Object.fromEntries(Object.entries(storage).filter(([, v]) => v !== undefined)),
    bounds: {
      ...(idleDays === undefined ? {} : { idleDays }),
      ...(helloSeconds === undefined ? {} : { helloMs: helloSeconds * 1000 }),
    },
    trustProxy,
  }));
} catch (e) {
  console.error(`steady: could not start: ${(e as Error).message}`);
  process.exit(1);
}
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });
// never print a database password
const shown = db.replace(/\/\/[^@/]*@/, '//…@');
console.log(
  `Steady is listening on http://localhost:${port}  (database: ${shown}${redis ? ', fan-out: Redis' : ''})`,
);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => void app.close().then(() => process.exit(0)));
