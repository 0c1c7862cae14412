// The models the engine ships, loaded on first use (a web worker pays once, importing stays cheap).

import goemotions from '../../models/goemotions.json' with { type: 'json' };
import safety from '../../models/safety.json' with { type: 'json' };
import moves from '../../models/moves.json' with { type: 'json' };
import reply from '../../models/reply.json' with { type: 'json' };
import feelings from '../../models/feelings.json' with { type: 'json' };
import needs from '../../models/needs.json' with { type: 'json' };
import { loadModel, type Model, type ModelArtifact } from './linear.js';

let emotion: Model | undefined;
let danger: Model | undefined;
let replyMoves: Model | undefined;
let replyHead: Model | undefined;
let feelingHead: Model | undefined;
let needHead: Model | undefined;

/** GoEmotions: 28 emotions, multi-label, with thresholds tuned on dev. */
export function emotionModel(): Model {
  return (emotion ??= loadModel(goemotions as unknown as ModelArtifact));
}


/** Safety: none, or a category and level (self_harm, violence, control; concern or urgent), softmax. */
export function safetyModel(): Model {
  return (danger ??= loadModel(safety as unknown as ModelArtifact));
}

/** Moves: what each sentence of a reply does (18 move ids, multi-label), thresholds chosen out of fold. */
export function movesModel(): Model {
  return (replyMoves ??= loadModel(moves as unknown as ModelArtifact));
}

/** The reply-level head: defensive, steady or flat, from the whole reply and the message it answers. */
export function replyModel(): Model {
  return (replyHead ??= loadModel(reply as unknown as ModelArtifact));
}

/** hear's feelings and needs from the project's message corpus: the first feeling, and the first need (softmax, "none" first). */
export function feelingsModel(): Model {
  return (feelingHead ??= loadModel(feelings as unknown as ModelArtifact));
}
export function needsModel(): Model {
  return (needHead ??= loadModel(needs as unknown as ModelArtifact));
}
