// Training the models the engine ships: GoEmotions (emotions behind a message) and AnnoMI (what a
// listener's sentence does: reflect, ask, advise). Only data whose licence allows shipping is used.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type ModelArtifact } from '@steady/engine';
import { f1Of } from './metrics.js';
import { RECIPES, SEED, annomiPairs, fitAnnomi, fitGoEmotions, type Tick } from './tasks.js';
import { SAFETY_CARD, SAFETY_RECIPE, fitSafety } from './safety.js';
import { MOVES_CARD, MOVES_RECIPE, REPLY_RECIPE, fitMoves } from './replies.js';
import { HEAR_CARD, HEAR_RECIPE, fitHear } from './messages.js';
import { data, idsOf, tokenize } from '@steady/engine';

export const SHIPPED = ['goemotions', 'annomi', 'safety', 'moves', 'hear'] as const;

const CARDS: Record<string, { data: string; licence: string; intended: string; limits: string }> = {
  safety: SAFETY_CARD,
  moves: MOVES_CARD,
  hear: HEAR_CARD,
  goemotions: {
    data: 'GoEmotions (Demszky et al., ACL 2020): 43,410 English Reddit comments, 28 emotion labels, train split; thresholds tuned on dev.',
    licence:
      'Apache-2.0 (google-research repository and the Hugging Face card); texts are Reddit comments under Reddit terms.',
    intended:
      "Feeds hear's feelings: the emotions likely behind a painful message, combined with the rule lexicon.",
    limits:
      'Reddit English of 2019; short comments; rare labels (grief, relief, pride, nervousness) are weak. It reads emotion words, not people: a guess offered as a question, never a verdict.',
  },
  annomi: {
    data: 'AnnoMI (Wu et al., 2022/2023), AnnoMI-full release: therapist utterances of 133 motivational-interviewing demonstrations, one label per utterance (first annotator), with the client turn before it; train split; decision offsets tuned on dev.',
    licence:
      'Stated "Public Domain" in an earlier AnnoMI README (commit 126d9856), dropped in a later rewrite; unconfirmed. Transcripts of public YouTube demonstrations. Provenance kept here so the model can be withdrawn if the licence is clarified otherwise.',
    intended:
      "Evaluated on AnnoMI (docs/eval) as what a listener's sentence does; it no longer feeds check: the move model trained on the project's reply corpus replaced it (frozen-test micro-F1 0.629 with it, 0.636 without).",
    limits:
      'Counselling talk, not couples or family talk; 23 of 133 transcripts are deliberately poor MI. Advice is rare in training (about 150 utterances), so the fix head is used only above a high threshold.',
  },
};

/**
 * For each move the engine reads from AnnoMI classes, the lowest threshold on the summed probability
 * whose precision on dev reaches the target (above 1, so never fires, when none does).
 */
function moveGroups(art: ModelArtifact, dir: string): NonNullable<ModelArtifact['groups']> {
  const model = loadModel(art);
  const dev = annomiPairs(dir, 'dev').map((p) => ({
    p: model.predictIds(idsOf(art.spec, tokenize(p.text), tokenize(p.context ?? ''))),
    y: p.label,
  }));
  const target = data.learned.talkPrecision;
  const groups: NonNullable<ModelArtifact['groups']> = {};
  for (const [move, classes] of Object.entries(data.learned.talkMoves as Record<string, string[]>)) {
    const idx = classes.map((c) => art.classes.indexOf(c));
    let threshold = 1.01;
    for (let t = 0.3; t <= 0.951; t += 0.05) {
      let tp = 0,
        fp = 0;
      for (const d of dev) if (idx.reduce((s, c) => s + d.p[c]!, 0) >= t) classes.includes(d.y) ? tp++ : fp++;
      if (tp >= 5 && f1Of(tp, fp, 0).precision >= target) {
        threshold = Math.round(t * 100) / 100;
        break;
      }
    }
    groups[move] = { classes, threshold };
  }
  return groups;
}

export function trainShipped(
  dir: string,
  out: string,
  which: readonly string[] = SHIPPED,
  tick?: Tick,
): Record<string, ModelArtifact> {
  mkdirSync(out, { recursive: true });
  const arts: Record<string, ModelArtifact> = {};
  for (const name of which) {
    if (name === 'moves' || name === 'hear') {
      // two artifacts each: the sentence model of moves and the reply head; the feelings and the needs heads
      const both = name === 'moves' ? fitMoves(tick) : fitHear(tick);
      for (const art of Object.values(both)) {
        const recipe = name === 'hear' ? HEAR_RECIPE : art.name === 'reply' ? REPLY_RECIPE : MOVES_RECIPE;
        art.card = {
          ...CARDS[name],
          recipe,
          seed: SEED,
          classes: art.classes.length,
          rows: (art.keys.length * 0.75) / 4,
        };
        arts[art.name] = art;
        writeFileSync(join(out, `${art.name}.json`), `${JSON.stringify(art)}\n`);
        writeFileSync(join(out, `${art.name}.md`), cardMarkdown(art));
      }
      continue;
    }
    const art =
      name === 'goemotions'
        ? fitGoEmotions(dir, tick)
        : name === 'safety'
          ? fitSafety(tick).art
          : fitAnnomi(dir, tick);
    if (name === 'annomi') art.groups = moveGroups(art, dir);
    art.card = {
      ...CARDS[name],
      recipe: name === 'safety' ? SAFETY_RECIPE : name === 'moves' ? MOVES_RECIPE : RECIPES[name],
      seed: SEED,
      classes: art.classes.length,
      rows: (art.keys.length * 0.75) / 4,
    };
    arts[name] = art;
    writeFileSync(join(out, `${name}.json`), `${JSON.stringify(art)}\n`);
    writeFileSync(join(out, `${name}.md`), cardMarkdown(art));
  }
  return arts;
}

function cardMarkdown(a: ModelArtifact): string {
  const c = a.card as (typeof CARDS)[string] & { recipe: unknown; rows: number };
  return `# Model card: ${a.name}

Generated by \`steady train\`; do not edit by hand.

- **Data:** ${c.data}
- **Licence:** ${c.licence}
- **Intended use:** ${c.intended}
- **Limits:** ${c.limits}
- **Method:** ${a.multiLabel ? 'one logistic regression per class (multi-label)' : 'softmax regression'} over hashed word unigrams and bigrams${a.spec.concepts ? ', word classes (data/concepts.json)' : ''}${a.spec.stems ? ', stems' : ''}${a.name === 'moves' ? ', the message answered and how the reply relates to it (moves-model.ts)' : ''}${a.spec.chars ? ` and character ${a.spec.chars[0]}–${a.spec.chars[1]}-grams` : ''} (2^${a.spec.bits} buckets), Adagrad with sparse L2, seed ${SEED}; pruned to the ${c.rows} strongest feature rows and quantized to int8.
- **Classes:** ${a.classes.join(', ')}
- **Metrics:** see [docs/eval](../../../docs/eval/README.md) (computed by \`npm run eval\` on the test split).
- **Not for:** diagnosis, risk assessment, or any decision about a person.${
    a.name === 'safety'
      ? ` Category thresholds (chosen by 5-fold cross-validation on the training part, false alarms on negatives the rules leave quiet held under 0.8% per category): ${Object.entries(
          a.groups ?? {},
        )
          .map(([k, g]) => `${k} ${g.threshold}`)
          .join(', ')}. Frozen-test figures: [docs/eval/safety.md](../../../docs/eval/safety.md).`
      : ' Safety in Steady is handled by its own rules and model (safety.md), not by these models.'
  }
`;
}
