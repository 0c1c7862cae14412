// npm start: serve the built web app and the room server on http://localhost:8080 (PORT), SQLite at
// STEADY_DB (default ./data/steady.db).
import { fileURLToPath } from 'node:url';
import { buildServer, defaultDb } from './app.js';

const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`steady: PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(2);
}
const web = fileURLToPath(new URL('../../web/dist', import.meta.url));
// STEADY_RATE=0 turns the rate limits off (load and fault tests on loopback)
const limits = process.env.STEADY_RATE === '0' ? { roomsPerIp: 0, socketsPerIp: 0, messagesPerRoom: 0 } : undefined;
const { app } = await buildServer({ db: defaultDb(), web, logger: process.env.STEADY_LOG === '1', limits });
const host = process.env.HOST ?? '127.0.0.1';
await app.listen({ port, host });
console.log(`Steady is listening on http://localhost:${port}  (database: ${defaultDb()})`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void app.close().then(() => process.exit(0)));
