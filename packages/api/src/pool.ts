// The engine off the HTTP thread. The engine is synchronous: a long check would hold the event loop,
// and with it every other request, the health check included. So the work runs on worker threads and
// the HTTP thread only waits. Each job has a time budget: past it the thread is ended (the only way to
// stop synchronous work) and replaced, and the request answered 503 `timeout`. When every thread is
// busy and the queue is full, a request is answered 503 `busy` at once rather than waiting unseen.
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
    readonly code: 'busy' | 'timeout',
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
}

interface Slot {
  worker: Worker;
  ready: boolean;
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

  constructor(o: PoolOptions = {}) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.queue = o.queue ?? 32;
    for (let i = 0; i < (o.threads ?? 1); i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(ENTRY), ready: false };
    slot.worker.on(
      'message',
      (m: { ready?: true; id?: number; result?: unknown; error?: { input: boolean; message: string } }) => {
        if (m.ready) {
          slot.ready = true;
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
      // a thread that cannot even load the engine would fail again: stop, and say why
      if (!slot.ready) return this.fail(e);
      this.replace(slot, e);
    });
    // a thread that ended on its own (out of memory): its job fails, another thread takes its place
    slot.worker.on('exit', () => {
      if (!this.slots.includes(slot)) return;
      if (!slot.ready) return this.fail(new Error('the engine thread stopped while loading'));
      this.replace(slot, new Error('the engine thread stopped'));
    });
    slot.worker.unref();
    return slot;
  }

  /** Set when a thread could not start: every request fails with it, and ready() rejects. */
  private broken: Error | undefined;

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
