// The engine thread's entry: plain JavaScript, so it starts whether or not the process was launched
// with tsx's loader (the steady bin registers it in-process, which a worker thread does not inherit).
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
