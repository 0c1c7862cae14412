// A small promise interface to the engine worker.
import type {
  CheckResult,
  HearResult,
  ListenInput,
  ListenResult,
  Reflection,
  SoftenResult,
} from '@steady/engine';

let worker: Worker | undefined;
let next = 0;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function call<T>(
  fn: 'hear' | 'check' | 'soften' | 'listen' | 'listenFinish',
  text: string,
  opts?: Record<string, unknown>,
): Promise<T> {
  if (!worker) {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.error !== undefined) p?.reject(new Error(e.data.error));
      else p?.resolve(e.data.result);
    };
  }
  const id = ++next;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker!.postMessage({ id, fn, text, opts });
  });
}

export const engine = {
  hear: (text: string) => call<HearResult>('hear', text),
  check: (text: string, to?: string) => call<CheckResult>('check', text, to ? { to } : undefined),
  /** `relationship`: who the two are (a room's), so the request fits it (engine RELATIONSHIPS). */
  /** Load the worker and its models now (on idle after first paint), so the first reading is quick. */
  warm: () => void call('hear', 'warm').catch(() => {}),
  soften: (text: string, relationship?: string) =>
    call<SoftenResult>('soften', text, relationship ? { relationship } : undefined),
  /** One message of a listening session; `history` rebuilds the session once if the worker has lost it. */
  listen: (session: string, text: string, correction: boolean, history: ListenInput[]) =>
    call<Reflection>('listen', text, { session, correction, history }),
  listenFinish: (session: string, history: ListenInput[]) =>
    call<ListenResult>('listenFinish', '', { session, history }),
};
