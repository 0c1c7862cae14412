// A small promise interface to the engine worker, and the state of its learned models.
import type {
  CheckResult,
  HearResult,
  ListenInput,
  ListenResult,
  Reflection,
  SoftenResult,
} from '@steady/engine';

type Fn = 'hear' | 'check' | 'soften' | 'listen' | 'listenFinish';
/** An early answer: the rules' reading (`preliminary`) until the models arrive, then the full one. */
export type OnReading<T> = (result: T, preliminary: boolean) => void;
export type ModelsState = { state: 'loading' | 'ready' | 'failed'; error?: string };

let worker: Worker | undefined;
let next = 0;
const pending = new Map<
  number,
  { resolve: (v: unknown) => void; reject: (e: Error) => void; early?: OnReading<unknown> }
>();
let models: ModelsState = { state: 'loading' };
const watchers = new Set<() => void>();

interface Answer {
  id?: number;
  result?: unknown;
  error?: string;
  preliminary?: boolean;
  models?: ModelsState['state'];
  urls?: string[];
}

function start(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<Answer>) => {
    const d = e.data;
    if (d.models) {
      models = { state: d.models, ...(d.error ? { error: d.error } : {}) };
      for (const w of watchers) w();
      // the service worker keeps the models beside the engine, for the next visit and offline; on a lens
      // opened first the models can be here before it is (main.tsx registers it on idle): told once ready
      const urls = d.urls;
      if (urls?.length)
        void navigator.serviceWorker?.ready.then((r) => r.active?.postMessage({ cache: urls }));
      return;
    }
    const p = pending.get(d.id!);
    if (!p) return;
    if (d.error !== undefined) {
      pending.delete(d.id!);
      p.reject(new Error(d.error));
    } else if (p.early) {
      p.early(d.result, d.preliminary === true);
      if (!d.preliminary) pending.delete(d.id!);
    } else {
      pending.delete(d.id!);
      p.resolve(d.result);
    }
  };
  return worker;
}

function call<T>(fn: Fn, text: string, opts?: Record<string, unknown>): Promise<T> {
  const w = start();
  const id = ++next;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.postMessage({ id, fn, text, opts });
  });
}

/**
 * A lens reading answered at once by the rules while the models load, then again with them; errors go
 * to `onError`. Returns a cancel: a newer text supersedes the reading, and the worker forgets it.
 */
function early<T>(
  fn: 'hear' | 'check' | 'soften',
  text: string,
  opts: Record<string, unknown> | undefined,
  onReading: OnReading<T>,
  onError: (e: Error) => void = () => {},
): () => void {
  const w = start();
  const id = ++next;
  pending.set(id, { resolve: () => {}, reject: onError, early: onReading as OnReading<unknown> });
  w.postMessage({ id, fn, text, opts, early: true });
  return () => {
    if (pending.delete(id)) w.postMessage({ cancel: id });
  };
}

export const engine = {
  /** The full reading (with the models): waits for them to arrive, as the room's safety needs. */
  hear: (text: string) => call<HearResult>('hear', text),
  check: (text: string, to?: string) => call<CheckResult>('check', text, to ? { to } : undefined),
  /** Early readings for the lens: see `early` above. */
  hearEarly: (text: string, on: OnReading<HearResult>, onError?: (e: Error) => void) =>
    early('hear', text, undefined, on, onError),
  checkEarly: (text: string, to: string | undefined, on: OnReading<CheckResult>) =>
    early('check', text, to ? { to } : undefined, on),
  softenEarly: (text: string, on: OnReading<SoftenResult>) => early('soften', text, undefined, on),
  /** Start the worker now: its rules compile on a first reading and its models start loading. */
  warm: () => {
    const stop = early('hear', 'warm', undefined, () => stop());
  },
  /** `relationship`: who the two are (a room's), so the request fits it (engine RELATIONSHIPS). */
  soften: (text: string, relationship?: string) =>
    call<SoftenResult>('soften', text, relationship ? { relationship } : undefined),
  /** One message of a listening session; `history` rebuilds the session once if the worker has lost it. */
  listen: (session: string, text: string, correction: boolean, history: ListenInput[]) =>
    call<Reflection>('listen', text, { session, correction, history }),
  listenFinish: (session: string, history: ListenInput[]) =>
    call<ListenResult>('listenFinish', '', { session, history }),
  /** Whether the learned models are here (they load right after the worker starts). */
  models: (): ModelsState => models,
  /** Be told when the models' state changes; returns the unsubscribe (for useSyncExternalStore). */
  watchModels: (f: () => void) => {
    watchers.add(f);
    return () => void watchers.delete(f);
  },
  /** Try loading the models again after they failed (offline on a first visit, a dropped connection). */
  retryModels: () => {
    if (models.state !== 'failed') return;
    models = { state: 'loading' };
    for (const w of watchers) w();
    start().postMessage({ loadModels: true });
  },
};
