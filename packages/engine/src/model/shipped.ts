// The models the engine ships, as trained. Only the Node entry (index.ts) imports this file and registers
// them (model/registry.ts); the web worker fetches the same files after its first reading.

import goemotions from '../../models/goemotions.json' with { type: 'json' };
import safety from '../../models/safety.json' with { type: 'json' };
import moves from '../../models/moves.json' with { type: 'json' };
import reply from '../../models/reply.json' with { type: 'json' };
import feelings from '../../models/feelings.json' with { type: 'json' };
import needs from '../../models/needs.json' with { type: 'json' };
import type { ModelArtifact } from './linear.js';
import type { ModelName } from './registry.js';

/** The shipped artifacts as trained (for evaluation and model cards, and registered by index.ts). */
export const SHIPPED_ARTIFACTS = { goemotions, safety, moves, reply, feelings, needs } as unknown as Record<
  ModelName,
  ModelArtifact
>;
