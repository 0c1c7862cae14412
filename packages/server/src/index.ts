export { buildServer, defaultDb, CSP, type ServerOptions } from './app.js';
export { Store } from './store.js';
