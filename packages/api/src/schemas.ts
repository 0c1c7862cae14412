// The API's edge: JSON schemas for every body, also published as the OpenAPI document.
export const MAX_BATCH = 100;
/** Per text: the engine reads up to its own limit; past this the request is refused, not cut. */
export const MAX_TEXT = 100_000;

const options = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ignore: {
      type: 'array',
      maxItems: 100,
      items: { type: 'string', maxLength: 64 },
      description: 'cue, move or rule ids to silence',
    },
    models: { type: 'boolean', description: 'false: the reviewed rules alone, without the learned models' },
    relationship: {
      type: 'string',
      enum: ['partner', 'parent_child', 'family', 'friends', 'coworkers'],
      description: 'soften: who the message is for; the wording fits it',
    },
  },
} as const;

const text = { type: 'string', minLength: 1, maxLength: MAX_TEXT } as const;

export const single = {
  hear: { type: 'object', required: ['text'], additionalProperties: false, properties: { text, options } },
  soften: { type: 'object', required: ['text'], additionalProperties: false, properties: { text, options } },
  check: {
    type: 'object',
    required: ['reply'],
    additionalProperties: false,
    properties: {
      reply: text,
      to: { type: 'string', maxLength: MAX_TEXT, description: 'the message the reply answers' },
      options,
    },
  },
} as const;

export type Lens = keyof typeof single;

/** A body is one item, or {items: [...up to 100], options}. */
export function bodySchema(lens: Lens) {
  const item = { ...single[lens], properties: { ...single[lens].properties } } as {
    properties: Record<string, unknown>;
  };
  delete item.properties.options;
  return {
    oneOf: [
      single[lens],
      {
        type: 'object',
        required: ['items'],
        additionalProperties: false,
        properties: { items: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: item }, options },
      },
    ],
  };
}

const result = {
  type: 'object',
  description: 'as ../shared/spec/CONTRACT.md fixes it; see the steady CLI --json output',
};

export function openapi(version: string) {
  const path = (lens: Lens, summary: string) => ({
    post: {
      summary,
      requestBody: { required: true, content: { 'application/json': { schema: bodySchema(lens) } } },
      responses: {
        200: {
          description: 'one result, or {results: [...]} in the order of items',
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  result,
                  { type: 'object', properties: { results: { type: 'array', items: result } } },
                ],
              },
            },
          },
        },
        400: {
          description: 'the body does not match the schema',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        413: { description: 'the body is larger than the limit' },
        429: { description: 'too many requests from this address; see Retry-After' },
      },
    },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Steady analysis API',
      version,
      description: 'hear, check and soften, stateless. Stores nothing and logs no message text.',
    },
    paths: {
      '/v1/hear': path(
        'hear',
        'Read a painful message beneath its wording: cues, feelings, needs, misreading, replies, safety',
      ),
      '/v1/check': path(
        'check',
        'Find defensive and steady moves in a draft reply; steadiness 0..100; pause',
      ),
      '/v1/soften': path('soften', 'Say a painful message as a gentle start-up'),
      '/health': { get: { summary: 'liveness', responses: { 200: { description: '{ok: true}' } } } },
    },
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
}
