// steady serve: hear, check and soften over HTTP for platforms. Stateless: nothing is stored, and the
// log carries method, route and status only, never a body.
import Fastify, { type FastifyInstance } from 'fastify';
import { InputError, type LensOptions, MAX_CONTEXT, runLens, VERSION } from '@steady/engine';
import { RateLimit } from '@steady/rate';
import { bodySchema, openapi, MAX_BATCH } from './schemas.js';
import { EnginePool, Overload, type PoolOptions } from './pool.js';

export interface ApiOptions {
  logger?: boolean;
  /** Where the log goes (tests read it to prove no text is logged); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** Requests per minute per IP address (a batch counts as one request per 10 items). 0 turns it off. */
  perMinute?: number;
  /** Under `steady serve --workers N`: this worker's number, sent as X-Steady-Worker (which process answered). */
  worker?: number;
  /** The engine threads: how many, the time budget per request, the queue (pool.ts). */
  engine?: PoolOptions;
}

type Item = { text?: string; reply?: string; to?: string };
type Body = Item & { items?: Item[]; options?: LensOptions };

/** Requests with at most this much text (what the engine will read) run on the HTTP thread: a
 * millisecond or so, so the health check never waits long behind them, and the hop to a thread
 * would cost them more than the work (it halved single-request throughput). Larger ones go to the pool. */
export const INLINE_CHARS = 4096;

const size = (it: Item): number =>
  (it.text?.length ?? 0) + (it.reply?.length ?? 0) + Math.min(it.to?.length ?? 0, MAX_CONTEXT);

export const run = (lens: 'hear' | 'check' | 'soften', it: Item, opts: LensOptions) =>
  runLens(lens, lens === 'check' ? { text: it.reply!, to: it.to } : { text: it.text! }, opts);

export function buildApi(o: ApiOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: o.logger
      ? {
          level: 'info',
          stream: o.logStream,
          serializers: { req: (r) => ({ method: r.method, url: r.url }) },
        }
      : false,
    bodyLimit: 2 * 1024 * 1024,
    ajv: {
      customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false, useDefaults: false },
    }, // refuse, never silently repair, a malformed body
  });
  app.removeContentTypeParser('text/plain'); // JSON only: anything else is a 415, not a confusing 400
  const limit = o.perMinute === 0 ? null : new RateLimit(o.perMinute ?? 1200);
  const pool = new EnginePool(o.engine);
  app.addHook('onReady', () => pool.ready());
  app.addHook('onClose', () => pool.close());

  app.addHook('onSend', async (_req, reply) => {
    reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', 'no-store'); // results describe private words: no cache keeps them
    reply.header('Referrer-Policy', 'no-referrer');
    if (o.worker !== undefined) reply.header('X-Steady-Worker', String(o.worker));
  });

  // One error shape for everything the edge refuses.
  app.setErrorHandler(
    (err: Error & { statusCode?: number; validation?: unknown; code?: string }, _req, reply) => {
      if (err.validation) return reply.code(400).send({ error: 'bad_request', message: err.message });
      if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY')
        return reply.code(400).send({ error: 'bad_json', message: 'the body is not valid JSON' });
      if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
        return reply.code(400).send({ error: 'bad_json', message: 'the body is empty' });
      if (err instanceof InputError)
        return reply.code(400).send({ error: 'bad_input', message: err.message });
      if (err instanceof Overload)
        return reply.code(503).header('Retry-After', '1').send({ error: err.code, message: err.message });
      const status = err.statusCode ?? 500;
      if (status === 413)
        return reply.code(413).send({ error: 'too_large', message: 'the body is larger than 2 MiB' });
      if (status === 415)
        return reply.code(415).send({ error: 'unsupported_media_type', message: 'send application/json' });
      if (status < 500)
        return reply.code(status).send({ error: err.code ?? 'bad_request', message: err.message });
      app.log.error({ code: err.code }, 'internal error'); // no message: it could quote the body
      return reply.code(500).send({ error: 'internal', message: 'internal error' });
    },
  );

  if (limit) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.method !== 'POST') return;
      const wait = limit.take(req.ip);
      if (wait)
        return reply
          .code(429)
          .header('Retry-After', String(wait))
          .send({ error: 'rate_limited', message: `too many requests; retry in ${wait}s` });
    });
  }

  for (const lens of ['hear', 'check', 'soften'] as const) {
    app.post(`/v1/${lens}`, { schema: { body: bodySchema(lens) } }, async (req, reply) => {
      const body = req.body as Body;
      const { ignore, models, relationship } = body.options ?? {};
      const opts: LensOptions = {
        ignore,
        models,
        ...(lens === 'soften' && relationship ? { relationship } : {}),
      };
      if (!body.items)
        return size(body) <= INLINE_CHARS ? run(lens, body, opts) : pool.run({ lens, item: body, opts });
      if (limit) {
        // a full batch costs like ten single requests: the limit is on work, not on round trips
        // never more than a full bucket, or a large batch under a low rate could never pass however long it waited
        const extra = Math.min(Math.floor(body.items.length / 10), limit.burst);
        const wait = extra ? limit.take(req.ip, extra) : 0;
        if (wait)
          return reply
            .code(429)
            .header('Retry-After', String(wait))
            .send({ error: 'rate_limited', message: `too many items per minute; retry in ${wait}s` });
      }
      return body.items.reduce((n, it) => n + size(it), 0) <= INLINE_CHARS
        ? { results: body.items.map((it) => run(lens, it, opts)) }
        : pool.run({ lens, items: body.items, opts });
    });
  }

  const doc = openapi(VERSION);
  app.get('/openapi.json', async () => doc);
  app.get('/health', async () => ({ ok: true, version: VERSION, maxBatch: MAX_BATCH }));
  return app;
}
