// @steady/engine: pure and isomorphic. No I/O, no Node APIs: the CLI and the web app build on it.
// This entry is the engine with its shipped models registered at import, so every lens reads with them
// (the CLI, the API, practice, the tests). @steady/engine/core is the same code without the models, for a
// front end that loads them after (the web worker).

import { registerModels } from './model/registry.js';
import { SHIPPED_ARTIFACTS } from './model/shipped.js';

export * from './core.js';
export { SHIPPED_ARTIFACTS };

registerModels(SHIPPED_ARTIFACTS);
