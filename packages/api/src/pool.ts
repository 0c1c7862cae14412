// The engine off the HTTP thread. The engine is synchronous: a long check would hold the event loop,
// and with it every other request, the health check included. So the work runs on worker threads and
// the HTTP thread only waits. Each job has a time budget: past it the thread is ended (the only way to
// stop synchronous work) and replaced, and the request answered 503 `timeout`. When every thread is
// busy and the queue is full, a request is answered 503 `busy` at once rather than waiting unseen.
// A thread that cannot load the engine when the server starts stops the start (nothing would ever
// work); a replacement that cannot load later is tried again with backoff, and while no thread is up
// requests are answered 503 `restarting` at once.
import { Worker } from 'node:worker_threads';
import { InputError, type LensOptions } from '@steady/engine';

export interface Job {
  lens: 'hear' | 'check' | 'soften';
  item?: { text?: string; reply?: string; to?: string };
  items?: { text?: string; reply?: string; to?: string }[];
  opts: LensOptions;
}

/** A refusal the HTTP layer answers with 503 and this code. */
export class Overload extends Error {
  constructor(
    readonly code: 'busy' | 'timeout' | 'restarting',
    message: string,
  ) {
    super(message);
  }
}

export interface PoolOptions {
  /** Engine threads (default 1: `steady serve` already runs one process per core). */
  threads?: number;
  /** Time budget per request, in ms (default 10 s). */
  timeoutMs?: number;
  /** Requests that may wait for a thread (default 32); more are refused as busy. */
  queue?: number;
  /** First wait before starting a thread again after a replacement failed to start, in ms (default
   * 1 s); it doubles with each failure in a row, up to 30 s. */
  restartMs?: number;
  /** The thread's entry and its workerData: the engine worker, unless a test gives one that fails. */
  entry?: URL;
  workerData?: unknown;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** It failed to start and waits out its backoff before the next try. */
  down?: boolean;
  job?: { id: number; done: (r: unknown) => void; fail: (e: Error) => void; timer: NodeJS.Timeout };
}

const ENTRY = new URL('./engine-worker.mjs', import.meta.url);

export class EnginePool {
  private slots: Slot[] = [];
  /** Requests waiting for a thread; the budget counts from arrival, so waiting spends it too. */
  private waiting: {
    job: Job;
    done: (r: unknown) => void;
    fail: (e: Error) => void;
    deadline: number;
    timer: NodeJS.Timeout;
  }[] = [];
  private next = 1;
  private closed = false;
  readonly timeoutMs: number;
  private readonly queue: number;
  private readonly restartMs: number;
  /** Some thread has loaded the engine: from then on a thread that fails to start is tried again. */
  private up = false;
  /** Failures to start in a row since a thread last came up: the backoff's exponent. */
  private failures = 0;

  constructor(private o: PoolOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.queue = o.queue ?? 32;
    this.restartMs = o.restartMs ?? 1000;
    for (let i = 0; i < (o.threads ?? 1); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(this.o.entry ?? ENTRY, { workerData: this.o.workerData }),
      ready: false,
    };
    slot.worker.on(
      'message',
      (m: { ready?: true; id?: number; result?: unknown; error?: { input: boolean; message: string } }) => {
        if (m.ready) {
          slot.ready = true;
          this.up = true;
          this.failures = 0;
          return this.pump();
        }
        const job = slot.job;
        if (!job || job.id !== m.id) return;
        clearTimeout(job.timer);
        slot.job = undefined;
        if (m.error) job.fail(m.error.input ? new InputError(m.error.message) : new Error(m.error.message));
        else job.done(m.result);
        this.pump();
      },
    );
    slot.worker.on('error', (e) => {
      if (!slot.ready) return this.unstarted(slot, e);
      this.replace(slot, e);
    });
    // a thread that ended on its own (out of memory): its job fails, another thread takes its place
    slot.worker.on('exit', () => {
      if (!this.slots.includes(slot) || slot.down) return;
      if (!slot.ready) return this.unstarted(slot, new Error('the engine thread stopped while loading'));
      this.replace(slot, new Error('the engine thread stopped'));
    });
    slot.worker.unref();
    return slot;
  }

  /** Set when a thread could not start at the server's start: every request fails with it, and ready()
   * rejects. */
  private broken: Error | undefined;

  /** A thread could not load the engine. At the start, the engine itself cannot load: stop and say why.
   * Later (a replacement; memory or a file briefly missing): try again after a backoff, meanwhile
   * refusing what no thread can take. */
  private unstarted(slot: Slot, e: Error): void {
    if (slot.down || this.closed) return;
    if (!this.up) {
      this.fail(e);
      return;
    }
    slot.down = true;
    void slot.worker.terminate();
    const wait = Math.min(30_000, this.restartMs * 2 ** this.failures++);
    setTimeout(() => {
      const i = this.slots.indexOf(slot);
      if (!this.closed && i >= 0) this.slots[i] = this.spawn();
    }, wait).unref();
    if (this.slots.some((s) => s.ready)) return;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.fail(this.restarting());
    }
  }

  private restarting(): Overload {
    return new Overload(
      'restarting',
      'the engine is restarting after a thread failed to start; try again in a moment',
    );
  }

  private fail(e: Error): void {
    this.broken = e;
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.fail(e);
    }
    for (const s of this.slots) void s.worker.terminate();
    this.slots = [];
  }

  /** A thread that failed or ran over: end it, fail its job, start another. */
  private replace(slot: Slot, why: Error): void {
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      clearTimeout(job.timer);
      job.fail(why);
    }
    void slot.worker.terminate();
    if (this.closed) return;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots[i] = this.spawn();
  }

  run(job: Job): Promise<unknown> {
    return new Promise((done, fail) => {
      if (this.broken) return fail(this.broken);
      if (this.closed) return fail(new Overload('busy', 'the server is shutting down'));
      // no thread up and one waiting out its backoff: say so now rather than hold the request
      if (!this.slots.some((s) => s.ready) && this.slots.some((s) => s.down)) return fail(this.restarting());
      if (this.waiting.length >= this.queue && !this.slots.some((s) => s.ready && !s.job))
        return fail(new Overload('busy', 'the server is busy; try again in a moment'));
      const w = {
        job,
        done,
        fail,
        deadline: Date.now() + this.timeoutMs,
        timer: setTimeout(() => {
          const i = this.waiting.indexOf(w);
          if (i < 0) return;
          this.waiting.splice(i, 1);
          fail(this.late());
        }, this.timeoutMs),
      };
      this.waiting.push(w);
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.job || !this.waiting.length) continue;
      const { job, done, fail, deadline, timer: queued } = this.waiting.shift()!;
      clearTimeout(queued);
      const id = this.next++;
      const timer = setTimeout(() => this.replace(slot, this.late()), Math.max(1, deadline - Date.now()));
      slot.job = { id, done, fail, timer };
      slot.worker.postMessage({ ...job, id });
    }
  }

  private late(): Overload {
    return new Overload('timeout', `the request took longer than ${this.timeoutMs / 1000}s; send less text`);
  }

  /** Resolves once every thread has loaded the engine (the server listens only then). */
  ready(): Promise<void> {
    return new Promise((ok, no) => {
      const check = () =>
        this.broken
          ? no(new Error(`the engine could not start: ${this.broken.message}`))
          : this.slots.every((s) => s.ready)
            ? ok()
            : setTimeout(check, 20);
      check();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.fail(new Overload('busy', 'the server is shutting down'));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
