// The models the engine ships, loaded on first use (a web worker pays once, importing stays cheap).

import goemotions from '../../models/goemotions.json' with { type: 'json' };
import safety from '../../models/safety.json' with { type: 'json' };
import moves from '../../models/moves.json' with { type: 'json' };
import reply from '../../models/reply.json' with { type: 'json' };
import feelings from '../../models/feelings.json' with { type: 'json' };
import needs from '../../models/needs.json' with { type: 'json' };
import { loadModel, type Model, type ModelArtifact } from './linear.js';

/** The shipped artifacts as trained (for evaluation and model cards); the lenses use the loaders below. */
export const SHIPPED_ARTIFACTS = { goemotions, safety, moves, reply, feelings, needs } as unknown as Record<
  'goemotions' | 'safety' | 'moves' | 'reply' | 'feelings' | 'needs',
  ModelArtifact
>;

/** A model decoded the first time it is asked for, then kept. */
function lazy(artifact: unknown): () => Model {
  let model: Model | undefined;
  return () => (model ??= loadModel(artifact as ModelArtifact));
}

/** GoEmotions: 28 emotions, multi-label, with thresholds tuned on dev. */
export const emotionModel = lazy(goemotions);
/** Safety: none, or a category and level (self_harm, violence, control; concern or urgent), softmax. */
export const safetyModel = lazy(safety);
/** Moves: what each sentence of a reply does (18 move ids, multi-label), thresholds chosen out of fold. */
export const movesModel = lazy(moves);
/** The reply-level head: defensive, steady or flat, from the whole reply and the message it answers. */
export const replyModel = lazy(reply);
/** hear's first feeling and first need, from the project's message corpus (softmax, "none" first). */
export const feelingsModel = lazy(feelings);
export const needsModel = lazy(needs);
