// The engine in a Web Worker: reading and checking never block typing, and nothing leaves the browser.
import { type Lens, runLens } from '@steady/engine';

self.onmessage = (
  e: MessageEvent<{ id: number; fn: Lens; text: string; opts?: Record<string, unknown> }>,
) => {
  const { id, fn, text, opts } = e.data;
  try {
    const { to, ...rest } = (opts ?? {}) as { to?: string };
    const result = runLens(fn, { text, to }, rest);
    (self as unknown as Worker).postMessage({ id, result });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: (err as Error).message });
  }
};
