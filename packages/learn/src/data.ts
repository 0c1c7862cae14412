// Loaders for the public datasets: each returns plain records for one split, read line by line.
// The folder layout and fields are the ones each dataset's README describes.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Split = 'train' | 'dev' | 'test';

export class DataError extends Error {}

export function readJsonl<T>(file: string): T[] {
  if (!existsSync(file)) throw new DataError(`missing data file: ${file}`);
  const out: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        throw new DataError(`${file}:${i + 1}: not valid JSON`);
      }
    });
  return out;
}

export interface GoEmotion {
  id: string;
  text: string;
  label_ids: number[];
}
export interface Epitome {
  id: string;
  seeker: string;
  response: string;
  er_level: number;
  ip_level: number;
  ex_level: number;
}
export interface EsconvTurn {
  speaker: 'seeker' | 'supporter';
  text: string;
  strategy?: string;
}
export interface Esconv {
  id: string;
  turns: EsconvTurn[];
}
export interface AnnomiFull {
  id: string;
  utterance_id: string;
  speaker: string;
  text: string;
  therapist_behaviour: string | null;
  therapist_input_subtype: string | null;
  reflection_subtype: string | null;
  question_subtype: string | null;
  transcript_id: number;
  utterance_index: number;
}
export interface Annomi {
  id: string;
  speaker: string;
  text: string;
  therapist_behaviour: string | null;
  context: { speaker: string; text: string }[];
}

export const goemotions = (dir: string, s: Split) =>
  readJsonl<GoEmotion>(join(dir, 'goemotions', `${s}.jsonl`));
export const goemotionLabels = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'goemotions', 'labels.json'), 'utf8')) as string[];
export const ekmanMapping = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'goemotions', 'ekman_mapping.json'), 'utf8')) as Record<string, string[]>;
export const sentimentMapping = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'goemotions', 'sentiment_mapping.json'), 'utf8')) as Record<
    string,
    string[]
  >;
export const epitome = (dir: string, s: Split) => readJsonl<Epitome>(join(dir, 'epitome', `${s}.jsonl`));
export const esconv = (dir: string, s: Split) => readJsonl<Esconv>(join(dir, 'esconv', `${s}.jsonl`));
export const annomi = (dir: string, s: Split) => readJsonl<Annomi>(join(dir, 'annomi', `${s}.jsonl`));
export const annomiFull = (dir: string, s: Split) =>
  readJsonl<AnnomiFull>(join(dir, 'annomi-full', `${s}.jsonl`));

/** Supporter turns of ESConv with the seeker turn they answer (the nearest one before). */
export function esconvTurns(convs: Esconv[]): { text: string; to: string; strategy: string }[] {
  const out: { text: string; to: string; strategy: string }[] = [];
  for (const c of convs) {
    let to = '';
    for (const t of c.turns) {
      if (t.speaker === 'seeker') to = t.text;
      else if (t.strategy) out.push({ text: t.text, to, strategy: t.strategy });
    }
  }
  return out;
}

/**
 * Therapist utterances of AnnoMI-full, one per utterance (the first annotator's label where several
 * annotated it), with the client utterance before it, and a fine label: behaviour plus its subtype.
 */
export function annomiTherapist(
  rows: AnnomiFull[],
): { id: string; text: string; to: string; label: string }[] {
  const byTranscript = new Map<number, AnnomiFull[]>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.utterance_id)) continue;
    seen.add(r.utterance_id);
    const list = byTranscript.get(r.transcript_id) ?? [];
    list.push(r);
    byTranscript.set(r.transcript_id, list);
  }
  const out: { id: string; text: string; to: string; label: string }[] = [];
  for (const [, list] of [...byTranscript].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.utterance_index - b.utterance_index);
    let to = '';
    for (const r of list) {
      if (r.speaker !== 'therapist') {
        to = r.text;
        continue;
      }
      const label = fineLabel(r);
      if (label) out.push({ id: r.utterance_id, text: r.text, to, label });
    }
  }
  return out;
}

export const ANNOMI_FINE = [
  'reflection_simple',
  'reflection_complex',
  'question_open',
  'question_closed',
  'input_advice',
  'input_other',
  'other',
] as const;
export const ANNOMI_COARSE = ['reflection', 'question', 'therapist_input', 'other'] as const;

function fineLabel(r: AnnomiFull): string | null {
  switch (r.therapist_behaviour) {
    case 'reflection':
      return r.reflection_subtype === 'complex' ? 'reflection_complex' : 'reflection_simple';
    case 'question':
      return r.question_subtype === 'closed' ? 'question_closed' : 'question_open';
    case 'therapist_input':
      return r.therapist_input_subtype === 'advice' ? 'input_advice' : 'input_other';
    case 'other':
      return 'other';
    default:
      return null;
  }
}

export function coarseOf(fine: string): string {
  return fine.startsWith('reflection')
    ? 'reflection'
    : fine.startsWith('question')
      ? 'question'
      : fine.startsWith('input')
        ? 'therapist_input'
        : 'other';
}
