// The engine in a Web Worker: reading and checking never block typing, and nothing leaves the browser.
// This worker's own script is the engine's code and rules only; the learned models (1.3 MB compressed,
// seconds on a slow phone) are fetched right after it starts. Until they are here a request that asks
// for an early answer gets the rules' reading at once, marked preliminary, and is read again with the
// models when they arrive; every other request waits for them, so the room never takes a rules-only
// reading for the whole one.
import {
  isLens,
  type ListenInput,
  Listening,
  MODEL_NAMES,
  type ModelName,
  modelsReady,
  registerModels,
  runLens,
} from '@steady/engine/core';
import goemotions from '@steady/engine/models/goemotions.json?url';
import safety from '@steady/engine/models/safety.json?url';
import moves from '@steady/engine/models/moves.json?url';
import reply from '@steady/engine/models/reply.json?url';
import feelings from '@steady/engine/models/feelings.json?url';
import needs from '@steady/engine/models/needs.json?url';

const MODEL_URLS: Record<ModelName, string> = { goemotions, safety, moves, reply, feelings, needs };

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

interface Request {
  id: number;
  fn: string;
  text: string;
  opts?: Record<string, unknown>;
  /** Answer now by the rules if the models are not here yet, and again with them (lenses only). */
  early?: boolean;
}
type Models = 'loading' | 'ready' | 'failed';
let models: Models = 'loading';
/** Requests read again (early ones) or answered first (the rest) when the models arrive, by id. */
const waiting = new Map<number, Request>();

const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

function answer(r: Request): void {
  try {
    let result: unknown;
    if (isLens(r.fn)) {
      // the lenses go through the engine's one dispatch, as in the CLI and the API
      const { to, ...rest } = (r.opts ?? {}) as { to?: string };
      result = runLens(r.fn, { text: r.text, to }, rest);
    } else if (r.fn === 'listen' || r.fn === 'listenFinish') {
      result = listening[r.fn](r.text, r.opts as unknown as ListenOpts);
    } else throw new Error(`unknown engine function: ${r.fn}`);
    post({ id: r.id, result, preliminary: !modelsReady() });
  } catch (err) {
    post({ id: r.id, error: (err as Error).message });
  }
}

async function loadModels(): Promise<void> {
  if (models === 'ready') return;
  models = 'loading';
  post({ models });
  try {
    const got = await Promise.all(
      MODEL_NAMES.map(async (name) => {
        const r = await fetch(MODEL_URLS[name]);
        if (!r.ok) throw new Error(`the ${name} model answered ${r.status}`);
        return [name, await r.json()] as const;
      }),
    );
    // checked in shape and size here (a damaged file fails now, and is said); decoded on first use
    registerModels(Object.fromEntries(got));
    models = 'ready';
    post({ models, urls: MODEL_NAMES.map((n) => new URL(MODEL_URLS[n], self.location.href).href) });
    const again = [...waiting.values()];
    waiting.clear();
    for (const r of again) answer(r);
  } catch (err) {
    models = 'failed';
    const online = (self as unknown as { navigator: Navigator }).navigator.onLine;
    post({ models, error: online ? (err as Error).message : 'this device is offline' });
    // what was waiting gets the rules' reading now; early requests stay, to be read again on a retry
    for (const r of [...waiting.values()]) {
      if (r.early) continue;
      waiting.delete(r.id);
      answer(r);
    }
  }
}

self.onmessage = (e: MessageEvent<Request | { cancel: number } | { loadModels: true }>) => {
  const m = e.data;
  if ('cancel' in m) {
    waiting.delete(m.cancel);
    return;
  }
  if ('loadModels' in m) {
    if (models === 'failed') void loadModels();
    return;
  }
  if (models === 'ready') return answer(m);
  if (m.early && isLens(m.fn)) {
    answer(m);
    waiting.set(m.id, m);
  } else if (models === 'failed') answer(m);
  else waiting.set(m.id, m);
};

void loadModels();
