export { buildServer, defaultDb, CSP, RATE, DELETE_GRACE_MS, type ServerOptions } from './app.js';
export { openStore, isPostgres, type Store } from './store.js';
export { LocalHub, RedisHub, type Hub } from './hub.js';
