export { buildServer, defaultDb, CSP, RATE, type ServerOptions } from './app.js';
export { openStore, isPostgres, type Store } from './store.js';
export { LocalHub, RedisHub, type Hub } from './hub.js';
