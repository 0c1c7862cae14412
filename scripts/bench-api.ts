// npm run bench:api [-- --write]: requests per second and latency of `steady serve` on this machine,
// single requests and batches of 100, with keep-alive clients on loopback. --write updates the
// "Analysis API" section of docs/benchmarks.md.
import { spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { writeSection } from './sections.ts';

const WORKERS = availableParallelism();
const PORT = 18787;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = 32;

const serve = spawn(
  process.execPath,
  [
    'packages/cli/bin/steady.js',
    'serve',
    '--port',
    String(PORT),
    '--workers',
    String(WORKERS),
    '--rate',
    '0',
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
await new Promise<void>((resolve, reject) => {
  let err = '';
  serve.stderr.on('data', (c) => {
    err += c;
    if (/workers on|listening on/.test(err)) resolve();
  });
  serve.on('exit', (c) => reject(new Error(`serve exited ${c}: ${err}`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Number(process.hrtime.bigint() - t) / 1e6)
            : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const replies = [
  "I was only trying to help, you're overreacting.",
  "It sounds like you've felt alone. I'm here. Tell me more?",
  'Whatever.',
  "You're right, I've been on my phone a lot. That's on me.",
];
const single = (i: number) =>
  JSON.stringify({ reply: replies[i % replies.length], to: "You're never really here. I feel invisible." });
const batch = JSON.stringify({
  items: Array.from({ length: 100 }, (_, i) => ({
    reply: replies[i % replies.length],
    to: 'You never listen to me.',
  })),
});

async function drive(name: string, path: string, body: (i: number) => string, items: number) {
  for (let i = 0; i < 50; i++) await post(path, body(i)); // warm up every worker's JIT
  const lat: number[] = [];
  const end = Date.now() + SECONDS * 1000;
  let n = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) lat.push(await post(path, body(n++)));
    }),
  );
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
  const row = {
    name,
    requests: lat.length,
    rps: lat.length / secs,
    items: (lat.length * items) / secs,
    p50: q(0.5),
    p99: q(0.99),
  };
  console.error(
    `${name}: ${row.rps.toFixed(0)} req/s, ${row.items.toFixed(0)} items/s, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms`,
  );
  return row;
}

try {
  const rows = [
    await drive('POST /v1/check, one item', '/v1/check', single, 1),
    await drive('POST /v1/check, batch of 100', '/v1/check', () => batch, 100),
  ];
  if (process.argv.includes('--write')) {
    writeSection(
      'docs/benchmarks.md',
      'api',
      [
        '## Analysis API (`steady serve`)',
        '',
        `Command: \`npm run bench:api -- --write\`, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, Node ${process.version}.`,
        `Server: \`steady serve --workers ${WORKERS}\` (one per core, rate limit off); client: ${CONCURRENCY} keep-alive connections on loopback in one process on the same machine, ${SECONDS} s per row after a warm-up. Both rows measured in the same run.`,
        '',
        '| request | requests | req/s | items/s | p50 ms | p99 ms |',
        '|---|---:|---:|---:|---:|---:|',
        ...rows.map(
          (r) =>
            `| ${r.name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.items.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
        ),
        '',
        `A batch of 100 moves ${(rows[1]!.items / rows[0]!.items).toFixed(1)}× the items per second of single requests: HTTP and JSON overhead, not the engine, bounds single requests. The client shares the 2 cores with the server, so these are lower bounds.`,
      ].join('\n'),
    );
    console.error('updated docs/benchmarks.md');
  }
} finally {
  serve.kill('SIGTERM');
  agent.destroy();
}
