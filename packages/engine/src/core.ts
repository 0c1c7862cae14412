// @steady/engine's code and rules without its learned models (@steady/engine/core): pure and isomorphic,
// no I/O. The lenses read by the rules alone until models are registered (model/registry.ts); the web
// worker starts from here and fetches the models after. index.ts is this plus the shipped models.

export { hear, read, mixReading, CORPUS_WEIGHT } from './hear.js';
export { check, scoreOf, relationHits, RECONCILE } from './check.js';
export { soften } from './soften.js';
export {
  LENSES,
  isLens,
  runLens,
  ignorableIds,
  unknownIgnores,
  type Lens,
  type LensInput,
  type LensOptions,
  type LensResult,
} from './lens.js';
export { tokenize, type Token } from './text.js';
export { compile, compileAll, expandGroups, matchAt, PatternError } from './pattern.js';
export { RuleSet, type RuleSpec } from './rules.js';
export { data, knowledge, moveInfo } from './knowledge.js';
export { InputError, readText } from './util.js';
export { resourceLinks, type ResourceLink } from './resources.js';
export { moveFeatures, relatedSentences, sentencesOf, type ReplyContext } from './moves-model.js';
export { eventOf, eventsOf, ownEventOf, requestOf, type Event } from './event.js';
export * from './types.js';

export const VERSION = '0.1.0';
export {
  MODEL_NAMES,
  registerModels,
  clearModels,
  missingModels,
  modelsReady,
  type ModelName,
} from './model/registry.js';
export { featuresOf, sortedIds, fnv, stemOf, type FeatureSpec } from './model/features.js';
export {
  loadModel,
  idsOf,
  toBase64,
  softmax,
  sigmoidAll,
  type Model,
  type ModelArtifact,
} from './model/linear.js';
export {
  Listening,
  reflect,
  listenSummary,
  isDone,
  notQuite,
  carriesBlame,
  type ListenTurn,
  type ListenResult,
  type ListenInput,
  type Reflection,
} from './listen.js';
