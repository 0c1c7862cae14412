export { buildServer, defaultDb, CSP, RATE, type ServerOptions } from './app.js';
export { Store } from './store.js';
