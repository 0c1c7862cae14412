// The engine in a Web Worker: reading and checking never block typing, and nothing leaves the browser.
import { check, hear, soften } from '@steady/engine';

const fns = { hear, check, soften } as const;

self.onmessage = (
  e: MessageEvent<{ id: number; fn: keyof typeof fns; text: string; opts?: Record<string, unknown> }>,
) => {
  const { id, fn, text, opts } = e.data;
  try {
    const result = (fns[fn] as (t: string, o?: unknown) => unknown)(text, opts);
    (self as unknown as Worker).postMessage({ id, result });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: (err as Error).message });
  }
};
