// The reviewable data files, each parsed against its schema (schema.ts) once, on first import: the rest
// of the engine reads typed data, never a cast over raw JSON.

import classes from '../data/classes.json' with { type: 'json' };
import concepts from '../data/concepts.json' with { type: 'json' };
import confusables from '../data/confusables.json' with { type: 'json' };
import cues from '../data/cues.json' with { type: 'json' };
import event from '../data/event.json' with { type: 'json' };
import frames from '../data/frames.json' with { type: 'json' };
import learned from '../data/learned.json' with { type: 'json' };
import lexicon from '../data/lexicon.json' with { type: 'json' };
import listen from '../data/listen.json' with { type: 'json' };
import moves from '../data/moves.json' with { type: 'json' };
import safety from '../data/safety.json' with { type: 'json' };
import soften from '../data/soften.json' with { type: 'json' };
import voice from '../data/voice.json' with { type: 'json' };
import { parseData } from './schema.js';

/** The raw files, for the tests that check every file against its schema. */
export const RAW_DATA = {
  classes,
  concepts,
  confusables,
  cues,
  event,
  frames,
  learned,
  lexicon,
  listen,
  moves,
  safety,
  soften,
  voice,
} as const;

export const data = {
  classes: parseData('classes', classes),
  concepts: parseData('concepts', concepts),
  confusables: parseData('confusables', confusables),
  cues: parseData('cues', cues),
  event: parseData('event', event),
  frames: parseData('frames', frames),
  learned: parseData('learned', learned),
  lexicon: parseData('lexicon', lexicon),
  listen: parseData('listen', listen),
  moves: parseData('moves', moves),
  safety: parseData('safety', safety),
  soften: parseData('soften', soften),
  voice: parseData('voice', voice),
};
