export { buildApi, type ApiOptions } from './app.js';
export { serve, cores, type ServeOptions } from './serve.js';
export { openapi, MAX_BATCH, MAX_TEXT } from './schemas.js';
export { RateLimit } from '@steady/rate';
