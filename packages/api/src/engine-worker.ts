// One engine thread of the API's pool: runs hear, check or soften on what the HTTP thread hands it.
import { parentPort } from 'node:worker_threads';
import { check, hear, InputError, type LensOptions, runLens, soften } from '@steady/engine';
import type { Job } from './pool.js';

type Item = { text?: string; reply?: string; to?: string };

// the engine's one dispatch, as on the HTTP thread
const run = (lens: Job['lens'], it: Item, opts: LensOptions) =>
  runLens(lens, lens === 'check' ? { text: it.reply!, to: it.to } : { text: it.text! }, opts);

// warm up (load the models) before saying ready, so a job's time budget is spent on the job
hear('You never listen to me.');
check('I hear you.', { to: 'You never listen to me.' });
soften('You never listen to me.');

parentPort!.on('message', (j: Job & { id: number }) => {
  try {
    const result = j.items
      ? { results: j.items.map((it) => run(j.lens, it, j.opts)) }
      : run(j.lens, j.item!, j.opts);
    parentPort!.postMessage({ id: j.id, result });
  } catch (e) {
    parentPort!.postMessage({
      id: j.id,
      error: { input: e instanceof InputError, message: (e as Error).message },
    });
  }
});
parentPort!.postMessage({ ready: true });
