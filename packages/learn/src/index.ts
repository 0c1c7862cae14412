// @steady/learn: training and evaluation (Node only). The engine ships only the artifacts it writes.
export { runEval, TASKS, REFERENCES, type Task, type EvalOptions } from './evaluate.js';
export { trainShipped, SHIPPED } from './ship.js';
export { train, pack, rng, type Example, type TrainOptions } from './trainer.js';
export { RECIPES, SEED } from './tasks.js';
export { ProgressBar } from './progress.js';
export { f1Of, singleLabel } from './metrics.js';
export { DataError } from './data.js';
export {
  readSafetyCorpus,
  freezeSplit,
  safetySplit,
  evalSafetyCorpus,
  evalCssrs,
  evalMentalmanip,
  SAFETY_CORPUS,
} from './safety.js';
export { readReplyCorpus, freezeReplySplit, replySplit, evalMovesCorpus, REPLY_CORPUS } from './replies.js';
export {
  readMessageCorpus,
  freezeMessageSplit,
  messageSplit,
  evalHearCorpus,
  MESSAGE_CORPUS,
} from './messages.js';
