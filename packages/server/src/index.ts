export { buildServer, defaultDb, CSP, RATE, DELETE_GRACE_MS, type ServerOptions } from './app.js';
export { openStore, isPostgres, sqliteFile, StoreError, type Store } from './store.js';
export { BOUNDS, addressKey, type Bounds } from './guard.js';
export { LocalHub, RedisHub, type Hub } from './hub.js';
