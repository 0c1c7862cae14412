// npm run load [-- --rooms 1000 --seconds 20 --rate 0.5 --setup both|sqlite|pg --write]
// N rooms of two clients each over real WebSockets on loopback, against real server processes: the
// SQLite default (one process), and PostgreSQL + Redis with the two clients of every room on different
// processes, so every message crosses Redis. Each client says a ~300-character ciphertext every
// 1/rate seconds (jittered); relay latency is from one client's send to the other client's receipt.
// Bounded: at most 5,000 rooms and 300 s per setup. --json prints the results as JSON; --profile DIR
// writes the servers' CPU profiles. --write updates the "Load" section of docs/benchmarks.md.

import { cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import type { ServerMessage } from '@steady/protocol';
import { ProgressBar } from '../packages/learn/src/progress.ts';
import { createRoom, keys, sleep, up } from '../packages/server/testing/peers.ts';
import { freePort, startPostgres, startRedis } from '../packages/server/testing/services.ts';
import { writeSection } from './sections.ts';
import { cdfSvg } from './cdf.ts';
import { writeFileSync } from 'node:fs';

const { values: v } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '0.5' },
    setup: { type: 'string', default: 'both' },
    write: { type: 'boolean', default: false },
    profile: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const ROOMS = Number(v.rooms);
const SECONDS = Number(v.seconds);
const RATE = Number(v.rate);
const REPEAT = Number(v.repeat);
const WARMUP = 2;
// --profile DIR: each server process writes a V8 CPU profile there when it stops
const nodeArgs = v.profile ? ['--cpu-prof', `--cpu-prof-dir=${v.profile}`] : [];
if (
  !(ROOMS >= 1 && ROOMS <= 5000) ||
  !(SECONDS >= 3 && SECONDS <= 300) ||
  !(RATE > 0 && RATE <= 20) ||
  !['both', 'sqlite', 'pg'].includes(v.setup!) ||
  !(Number.isInteger(REPEAT) && REPEAT >= 1 && REPEAT <= 9)
) {
  console.error(
    'usage: npm run load -- [--rooms 1..5000] [--seconds 3..300] [--rate 0.01..20 per client per second] [--setup both|sqlite|pg] [--repeat 1..9] [--json] [--write] [--profile DIR]',
  );
  process.exit(2);
}

const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

interface Result {
  setup: string;
  processes: number;
  sockets: number;
  sent: number;
  delivered: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  ackP99: number;
  errors: number;
  dups: number;
  lost: number;
  rssMiB: number;
  /** The load generator's own event-loop delay: part of every latency it measures. */
  clientLagP99: number;
  /** Every relay latency, sorted (for the plot; left out of --json). */
  latencies: number[];
}

const rss = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

async function drive(setup: string, ports: number[], servers: ChildProcess[]): Promise<Result> {
  const sockets: WebSocket[] = [];
  const sentAt = new Map<string, number>();
  /** Messages sent inside the measured window: their relays count even if they land just after it. */
  const measured = new Set<string>();
  const relayed = new Set<string>();
  let dups = 0;
  const relay: number[] = [];
  const ack: number[] = [];
  let errors = 0;
  let measuring = false;
  const body = () =>
    Buffer.from(Array.from({ length: 225 }, () => Math.floor(Math.random() * 256))).toString('base64url'); // like AES-GCM output

  const bar = new ProgressBar(`${setup}: rooms`, ROOMS);
  const rooms: { id: string; token: string }[] = [];
  for (let i = 0; i < ROOMS; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, ROOMS - i) }, async () => {
        const k = keys();
        return { id: await createRoom(ports[0]!, k.verifier), token: k.token };
      }),
    );
    rooms.push(...batch);
    bar.tick(batch.length);
  }
  bar.end();

  const open = new ProgressBar(`${setup}: sockets`, ROOMS * 2);
  const join = (port: number, room: { id: string; token: string }) =>
    new Promise<WebSocket>((ok, fail) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      ws.once('error', fail);
      ws.once('open', () =>
        ws.send(JSON.stringify({ type: 'hello', room: room.id, auth: room.token, since: 0 })),
      );
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as ServerMessage;
        if (m.type === 'welcome') ok(ws);
        else if (m.type === 'msg') {
          const t = sentAt.get(m.id);
          if (t !== undefined && measured.has(m.id)) {
            if (relayed.has(m.id)) dups++;
            else relay.push(performance.now() - t);
            relayed.add(m.id);
          }
        } else if (m.type === 'ack') {
          const t = sentAt.get(m.id);
          if (t !== undefined && measured.has(m.id)) ack.push(performance.now() - t);
        } else if (m.type === 'error') errors++;
      });
    });
  const pairs: [WebSocket, WebSocket][] = [];
  for (let i = 0; i < ROOMS; i += 50) {
    const batch = await Promise.all(
      rooms
        .slice(i, i + 50)
        .map(
          async (r) =>
            [await join(ports[0]!, r), await join(ports[ports.length - 1]!, r)] as [WebSocket, WebSocket],
        ),
    );
    pairs.push(...batch);
    for (const p of batch) sockets.push(...p);
    open.tick(batch.length * 2);
  }
  open.end(`${sockets.length} open`);

  // Each client talks on its own jittered clock.
  let n = 0;
  const timers = new Set<NodeJS.Timeout>();
  const period = 1000 / RATE;
  for (const [a, b] of pairs) {
    for (const ws of [a, b]) {
      const tick = () => {
        const id = `m${(n++).toString(36).padStart(7, '0')}`;
        sentAt.set(id, performance.now());
        if (measuring) measured.add(id);
        ws.send(JSON.stringify({ type: 'send', id, body: body() }));
        timers.delete(timer);
        timer = setTimeout(tick, period * (0.5 + Math.random()));
        timers.add(timer);
      };
      let timer = setTimeout(tick, Math.random() * period);
      timers.add(timer);
    }
  }
  const run = new ProgressBar(`${setup}: talking`, WARMUP + SECONDS);
  for (let s = 0; s < WARMUP; s++) {
    await sleep(1000);
    run.tick();
  }
  measuring = true;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const t0 = performance.now();
  let peak = 0;
  for (let s = 0; s < SECONDS; s++) {
    await sleep(1000);
    run.tick();
    peak = Math.max(peak, ...servers.map((c) => rss(c.pid!)));
  }
  measuring = false;
  lag.disable();
  const secs = (performance.now() - t0) / 1000;
  for (const t of timers) clearTimeout(t);
  run.end();
  // let the last relays land (at most 5 s): late ones still count, with their real latency
  for (let t = 0; t < 5000 && relayed.size < measured.size; t += 50) await sleep(50);
  for (const ws of sockets) ws.terminate();
  relay.sort((x, y) => x - y);
  ack.sort((x, y) => x - y);
  return {
    setup,
    processes: servers.length,
    sockets: sockets.length,
    sent: measured.size,
    delivered: relay.length,
    perSecond: relay.length / secs,
    p50: q(relay, 0.5),
    p99: q(relay, 0.99),
    max: relay.at(-1) ?? NaN,
    ackP99: q(ack, 0.99),
    errors,
    dups,
    lost: measured.size - relay.length,
    rssMiB: peak,
    clientLagP99: lag.percentile(99) / 1e6,
    latencies: relay,
  };
}

/** SIGTERM and wait, so a profile or the database is written out. */
const stop = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => {
        c.once('exit', () => r());
        c.kill('SIGTERM');
      });

// Each repeat runs the setups one after the other on fresh servers; the table gives the median of the
// repeats and the spread of p99, because this shared 2-core VM varies from minute to minute.
const runs: Result[] = [];
const cleanup: (() => Promise<void> | void)[] = [];
const clean = async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
};
try {
  for (let rep = 0; rep < REPEAT; rep++) {
    if (v.setup !== 'pg') {
      const dir = mkdtempSync(join(tmpdir(), 'steady-load-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const port = await freePort();
      const server = await up(port, { STEADY_DB: join(dir, 'load.db'), STEADY_DATABASE_URL: '' }, nodeArgs);
      cleanup.push(() => stop(server));
      runs.push(await drive('SQLite, 1 process', [port], [server]));
      await clean();
    }
    if (v.setup !== 'sqlite') {
      const pg = await startPostgres(); // durable: fsync on, as in production
      cleanup.push(() => pg.stop());
      const redis = await startRedis();
      cleanup.push(() => redis.stop());
      const env = { STEADY_DATABASE_URL: await pg.database(), STEADY_REDIS_URL: redis.url };
      const ports = [await freePort(), await freePort()];
      const servers = [await up(ports[0]!, env, nodeArgs), await up(ports[1]!, env, nodeArgs)];
      cleanup.push(async () => void (await Promise.all(servers.map(stop))));
      runs.push(await drive('PostgreSQL + Redis, 2 processes', ports, servers));
      await clean();
    }
  }
} finally {
  await clean();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const results = [...new Set(runs.map((r) => r.setup))].map((setup) => {
  const rs = runs.filter((r) => r.setup === setup);
  const m = (k: keyof Result) => median(rs.map((r) => r[k] as number));
  const sum = (k: keyof Result) => rs.reduce((a, r) => a + (r[k] as number), 0);
  return {
    ...rs[0]!,
    sent: sum('sent'),
    delivered: sum('delivered'),
    errors: sum('errors'),
    dups: sum('dups'),
    lost: sum('lost'),
    perSecond: m('perSecond'),
    p50: m('p50'),
    p99: m('p99'),
    max: Math.max(...rs.map((r) => r.max)),
    ackP99: m('ackP99'),
    rssMiB: Math.max(...rs.map((r) => r.rssMiB)),
    clientLagP99: m('clientLagP99'),
    p99s: rs.map((r) => r.p99),
  };
});

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const ok = (r: Result) => (r.p99 < 50 && r.lost === 0 && r.errors === 0 && r.dups === 0 ? 'met' : 'missed');
const lines = [
  `| setup | server processes | sockets | messages sent (all runs) | relayed | relayed/s | relay p50 ms | relay p99 ms | p99 of each run | max ms | ack p99 ms | errors | relayed twice | not relayed | peak RSS per process MiB | client event-loop delay p99 ms | p99 < 50 ms |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ...results.map(
    (r) =>
      `| ${r.setup} | ${r.processes} | ${r.sockets} | ${r.sent} | ${r.delivered} | ${f(r.perSecond, 0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${r.p99s.map((x) => f(x, 1)).join(', ')} | ${f(r.max, 1)} | ${f(r.ackP99, 2)} | ${r.errors} | ${r.dups} | ${r.lost} | ${f(r.rssMiB, 0)} | ${f(r.clientLagP99, 1)} | ${ok(r)} |`,
  ),
];
console.log(
  v.json
    ? JSON.stringify(
        results.map(({ latencies: _, ...r }) => r),
        null,
        2,
      )
    : lines.join('\n'),
);
if (v.write) {
  const cmd = `npm run load -- --rooms ${ROOMS} --seconds ${SECONDS} --rate ${RATE} --repeat ${REPEAT} --setup ${v.setup} --write`;
  // the default pace has its own section; other paces (a saturation run, say) get one each
  const pace = RATE === 0.5 ? '' : `-rate-${RATE}`;
  const plot = `docs/load${pace}.svg`;
  const pooled = (setup: string) =>
    runs
      .filter((r) => r.setup === setup)
      .flatMap((r) => r.latencies)
      .sort((a, b) => a - b);
  writeFileSync(
    plot,
    cdfSvg(
      `Relay latency, ${ROOMS} rooms, ~${f(ROOMS * 2 * RATE, 0)} msg/s offered (all runs pooled)`,
      results.map((r) => ({ name: r.setup, values: pooled(r.setup) })),
      50,
    ),
  );
  writeSection(
    'docs/benchmarks.md',
    `load${pace}`,
    [
      pace
        ? `### Load at ${f(ROOMS * 2 * RATE, 0)} messages/s offered (\`--rate ${RATE}\`)`
        : '## Load: rooms over WebSockets (`npm run load`)',
      '',
      `Command: \`${cmd}\`, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}. Both setups in the same run, alternating, ${REPEAT} time${REPEAT > 1 ? 's' : ''} each; latencies and rates are medians over the runs, counts are totals.`,
      `${ROOMS} rooms × 2 clients; each client sends a 300-character ciphertext every ${f(1 / RATE, 1)} s on average (jittered), so about ${f(ROOMS * 2 * RATE, 0)} messages/s offered; ${SECONDS} s measured after ${WARMUP} s of warm-up. Relay = one client's send to the other client's receipt; ack = send to the sender's acknowledgement (after the durable write). In the PostgreSQL setup the two clients of each room sit on different server processes, so every relay crosses Redis. PostgreSQL runs with fsync on; SQLite with WAL and synchronous=FULL. Rate limits are off (\`STEADY_RATE=0\`: every client shares one address); with Redis they would add one pipelined Redis call per message. The load generator runs in one process on the same 2 cores as the servers (and PostgreSQL and Redis), so these are lower bounds; its own event-loop delay is in the table.`,
      '',
      ...lines,
      '',
      `![Relay latency by percentile, both setups](${plot.replace('docs/', '')})`,
      '',
      '"Not relayed" counts messages sent in a measured window whose relay had not arrived 5 s after it closed (none are lost: the stores hold them; see docs/reliability.md).',
    ].join('\n'),
  );
  console.error('updated docs/benchmarks.md');
}
process.exit(0);
