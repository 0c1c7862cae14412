// The engine in a Web Worker: reading and checking never block typing, and nothing leaves the browser.
import { check, hear, Listening, soften, type ListenInput } from '@steady/engine';

// Listening sessions live here while the page is open, so each message is read once; after a reload the
// page's stored messages rebuild a session (once).
const sessions = new Map<string, Listening>();
interface ListenOpts {
  session: string;
  correction?: boolean;
  history?: ListenInput[];
}
function session(o: ListenOpts): Listening {
  let l = sessions.get(o.session);
  if (!l) {
    l = new Listening();
    for (const h of o.history ?? []) h.correction ? l.correct(h.text) : l.say(h.text);
    sessions.set(o.session, l);
  }
  return l;
}
const listen = (text: string, o: ListenOpts) =>
  o.correction ? session(o).correct(text) : session(o).say(text);
const listenFinish = (_: string, o: ListenOpts) => session(o).finish();

const fns = { hear, check, soften, listen, listenFinish } as const;

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
