// The engine in a Web Worker: reading and checking never block typing, and nothing leaves the browser.
import { isLens, type ListenInput, Listening, runLens } from '@steady/engine';

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
const listening = {
  listen: (text: string, o: ListenOpts) => (o.correction ? session(o).correct(text) : session(o).say(text)),
  listenFinish: (_: string, o: ListenOpts) => session(o).finish(),
};

self.onmessage = (
  e: MessageEvent<{ id: number; fn: string; text: string; opts?: Record<string, unknown> }>,
) => {
  const { id, fn, text, opts } = e.data;
  try {
    let result: unknown;
    if (isLens(fn)) {
      // the lenses go through the engine's one dispatch, as in the CLI and the API
      const { to, ...rest } = (opts ?? {}) as { to?: string };
      result = runLens(fn, { text, to }, rest);
    } else if (fn === 'listen' || fn === 'listenFinish') {
      result = listening[fn](text, opts as unknown as ListenOpts);
    } else throw new Error(`unknown engine function: ${fn}`);
    (self as unknown as Worker).postMessage({ id, result });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id, error: (err as Error).message });
  }
};
