// Run the API on every core: a primary forks one worker per core (node:cluster shares the port) and
// replaces any worker that dies.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { buildApi } from './app.js';

export interface ServeOptions {
  port: number;
  host: string;
  workers: number;
  perMinute?: number;
  log?: (line: string) => void;
}

export async function serve(o: ServeOptions): Promise<void> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (o.workers > 1 && cluster.isPrimary) {
    let stopping = false;
    const fork = () => cluster.fork({ STEADY_API_WORKER: '1' });
    for (let i = 0; i < o.workers; i++) fork();
    let ready = 0;
    cluster.on('message', (_w, m: { listening?: string }) => {
      if (m?.listening && ++ready === o.workers) log(`steady serve: ${o.workers} workers on ${m.listening}`);
    });
    cluster.on('exit', (w, code, signal) => {
      if (stopping) return;
      log(`steady serve: worker ${w.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  // per-IP limits are per process: with N workers the effective limit is up to N times this
  const app = buildApi({
    logger: process.env.STEADY_API_LOG === '1',
    perMinute: o.perMinute,
    worker: cluster.worker?.id,
  });
  const address = await app.listen({ port: o.port, host: o.host });
  if (cluster.isWorker) process.send?.({ listening: address });
  else log(`steady serve: listening on ${address}`);
  const close = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
}

export const cores = () => availableParallelism();
