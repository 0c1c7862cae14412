// Story clauses: "my sister joked about my weight", "he never calls", found one pass over the tokens and said
// two ways: back to the one telling it ("your sister joked about your weight") and by them to the person it
// names ("you joked about my weight"). The solo space reflects them; soften starts from them when a message
// tells of someone rather than speaking to them. Wording lives in data/listen.json and data/event.json.

import { baseOfStem, eventOf } from './event.js';
import { data } from './knowledge.js';
import type { Token } from './text.js';
import type { Relationship } from './types.js';

export interface Person {
  /** How Steady names them to the person telling ("your sister", "Sam", "he"). */
  heard: string;
  /** The object form ("your sister", "him"). */
  whom: string;
  pronoun: string;
  relationship: Relationship | null;
}

export interface StoryEvent {
  person: Person;
  /** "your sister joked about your weight at dinner". */
  heard: string;
  /** "you joked about my weight at dinner": as the person would say it to them. */
  startup: string;
  past: boolean;
  content: number;
}

const L = data.listen;
const W = L.words;
const eventData = data.event;
const DROP = new Set(eventData.drop);
const END = new Set(eventData.clauseEnd);
const PAST_FORMS = new Set(Object.values(eventData.past));
const BASE_OF_PAST = new Map(Object.entries(eventData.past).map(([b, p]) => [p, b]));
const RELATIONS: Record<string, [string, string, Relationship]> = L.who.relations;
const MODIFIERS = new Set(L.who.modifiers);
const NOT_NAMES = new Set(L.who.notNames);
const GENTLER: Record<string, string | undefined> = L.gentler;
// "he is", "she was": the forms for "you"
const AUX_FOR_YOU: Record<string, string> = {
  is: 'are',
  was: 'were',
  "isn't": "aren't",
  "wasn't": "weren't",
  has: 'have',
  "hasn't": "haven't",
  does: 'do',
  "doesn't": "don't",
  did: 'did',
  "didn't": "didn't",
  had: 'had',
  "hadn't": "hadn't",
  will: 'will',
  "won't": "won't",
  would: 'would',
  "wouldn't": "wouldn't",
  could: 'could',
  "couldn't": "couldn't",
  "can't": "can't",
  can: 'can',
  are: 'are',
  "aren't": "aren't",
  were: 'were',
  "weren't": "weren't",
  have: 'have',
  "haven't": "haven't",
  do: 'do',
  "don't": "don't",
};
const PAST_AUX = new Set(W.pastAux);
// "she's", "they'd": a subject with its verb in one word
const CONTRACTED: Record<string, { subject: string; aux: 'is' | 'has' | 'are' | 'have' | 'would' }> = {
  "he's": { subject: 'he', aux: 'is' },
  "she's": { subject: 'she', aux: 'is' },
  "they're": { subject: 'they', aux: 'are' },
  "they've": { subject: 'they', aux: 'have' },
  "he'd": { subject: 'he', aux: 'would' },
  "she'd": { subject: 'she', aux: 'would' },
  "they'd": { subject: 'they', aux: 'would' },
};
const PRONOUNS = new Set(['he', 'she', 'they']);
const OBJECT: Record<string, string> = { he: 'him', she: 'her', they: 'them' };
// a word ending in -s that is not a verb said of someone
const NOT_VERB_S = new Set(W.notVerbS);
const FIRST_TO_SECOND: Record<string, string> = {
  i: 'you',
  me: 'you',
  my: 'your',
  mine: 'yours',
  myself: 'yourself',
  "i'm": "you're",
  "i've": "you've",
  "i'd": "you'd",
  "i'll": "you'll",
  we: 'you',
  us: 'you',
  our: 'your',
};
// "you forgot my birthday", written to them, said back to the one telling it
const TELLER: Record<string, string> = {
  you: 'they',
  "you're": "they're",
  "you've": "they've",
  "you'd": "they'd",
  your: 'their',
  yours: 'theirs',
  yourself: 'themselves',
  i: 'you',
  "i'm": "you're",
  me: 'you',
  my: 'your',
  mine: 'yours',
  myself: 'yourself',
};
const POSSESSIVE: Record<string, string[]> = {
  he: ['his', 'himself'],
  she: ['her', 'herself'],
  he_she: ['his', 'her', 'himself', 'herself'],
  they: ['their', 'themselves', 'themself'],
};
const FUNCTION = new Set(W.function);
const TRAILING = new Set(
  [...FUNCTION].filter(
    (w) => !['me', 'you', 'it', 'us', 'him', 'her', 'them', 'up', 'out', 'off'].includes(w),
  ),
);

function baseOfS(w: string): string {
  if (w === 'does') return 'do';
  if (w === 'has') return 'have';
  if (w === 'goes') return 'go';
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes|zes)$/.test(w)) return w.slice(0, -2);
  return w.slice(0, -1);
}

export function baseOfPast(w: string): string {
  const known = BASE_OF_PAST.get(w);
  if (known) return known;
  if (!w.endsWith('ed')) return w;
  if (w.endsWith('ied')) return `${w.slice(0, -3)}y`;
  return baseOfStem(w.slice(0, -2));
}

export function looksPast(w: string): boolean {
  return PAST_FORMS.has(w) || (w.endsWith('ed') && w.length > 3);
}

function looksThirdPerson(w: string): boolean {
  return w.endsWith('s') && !w.endsWith('ss') && w.length > 3 && !NOT_VERB_S.has(w) && !w.endsWith("'s");
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function tidy(s: string): string {
  return s
    .replace(/\b(is|are|has|have|was|were|does|do|did) not\b/g, "$1n't")
    .replace(/\bi\b/g, 'I')
    .replace(/\bi'(m|ve|d|ll)\b/g, "I'$1")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The people a session has met so far, for "she" to stand for "your sister". */
export class People {
  private byKey = new Map<string, Person>();
  private recent: Person[] = [];

  named(key: string, make: () => Person): Person {
    let p = this.byKey.get(key);
    if (!p) this.byKey.set(key, (p = make()));
    this.seen(p);
    return p;
  }

  pronoun(word: string): Person {
    const fits = (p: Person) =>
      p.pronoun === word ||
      (p.pronoun === 'he_she' && word !== 'they') ||
      (word === 'they' && p.pronoun === 'he_she');
    // the most recent person the pronoun fits; a bare "he" when nobody was named
    const p =
      this.recent.find(fits) ??
      this.named(`pronoun:${word}`, () => ({
        heard: word,
        whom: OBJECT[word]!,
        pronoun: word,
        relationship: null,
      }));
    this.seen(p);
    return p;
  }

  private seen(p: Person): void {
    const i = this.recent.indexOf(p);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(p);
    if (this.recent.length > 8) this.recent.length = 8;
  }
}

/** Where a story's clause has its subject: "my sister", "she", "Sam". */
function subjectAt(
  toks: readonly Token[],
  text: string,
  i: number,
  people: People,
): { person: Person; next: number; aux?: string } | null {
  const t = toks[i]!;
  if (t.kind !== 'word') return null;
  if (t.norm === 'my' || t.norm === 'our') {
    let j = i + 1;
    const mods: string[] = [];
    while (j < toks.length && MODIFIERS.has(toks[j]!.norm) && mods.length < 2) mods.push(toks[j++]!.norm);
    const rel = toks[j] && toks[j]!.kind === 'word' ? RELATIONS[toks[j]!.norm] : undefined;
    if (!rel) return null;
    const noun = [...mods, rel[0]].join(' ');
    const person = people.named(`rel:${noun}`, () => ({
      heard: `your ${noun}`,
      whom: `your ${noun}`,
      pronoun: rel[1],
      relationship: rel[2],
    }));
    j++;
    // "my sister Anna said": the name is part of the subject
    const n = toks[j];
    if (
      n &&
      n.kind === 'word' &&
      /^[A-Z][a-z]+$/.test(text.slice(n.start, n.end)) &&
      !NOT_NAMES.has(text.slice(n.start, n.end))
    )
      j++;
    return { person, next: j };
  }
  if (PRONOUNS.has(t.norm)) return { person: people.pronoun(t.norm), next: i + 1 };
  const c = CONTRACTED[t.norm];
  if (c) return { person: people.pronoun(c.subject), next: i + 1, aux: c.aux };
  const raw = text.slice(t.start, t.end);
  if (/^[A-Z][a-z]+$/.test(raw) && !NOT_NAMES.has(raw) && !t.norm.startsWith('you')) {
    const v = toks[i + 1];
    if (v?.kind !== 'word') return null;
    const w = v.norm;
    // "Hey Chris": a second capitalised word is a name, not what the first one did
    if (/^[A-Z]/.test(text.slice(v.start, v.end))) return null;
    if (!(AUX_FOR_YOU[w] || looksPast(w) || looksThirdPerson(w) || DROP.has(w))) return null;
    return {
      person: people.named(`name:${raw}`, () => ({
        heard: raw,
        whom: raw,
        pronoun: 'he_she',
        relationship: null,
      })),
      next: i + 1,
    };
  }
  return null;
}

/** The clause after a subject, said two ways: to the person telling it, and by them to the one it names. */
function clauseAt(
  toks: readonly Token[],
  from: number,
  person: Person,
  contracted: string | undefined,
): { event: StoryEvent; end: number } | null {
  let j = from;
  let never = false;
  while (j < toks.length && toks[j]!.kind === 'word' && DROP.has(toks[j]!.norm)) {
    if (toks[j]!.norm === 'never') never = true;
    j++;
  }
  let heardVerb: string[];
  let youVerb: string[];
  let past = false;
  let youSubject = 'you';
  let heardSubject = person.heard;
  const plural = person.pronoun === 'they';
  if (contracted) {
    // "she's on her phone", "she's been ignoring me", "they'd left"
    const next = toks[j]?.norm ?? '';
    const has =
      contracted === 'is' && (next === 'been' || next === 'got' || next === 'gone' || looksPast(next));
    const aux = has ? 'have' : contracted === 'is' ? 'are' : contracted;
    youSubject = aux === 'are' ? "you're" : aux === 'have' ? "you've" : "you'd";
    heardSubject =
      person.heard === person.pronoun || PRONOUNS.has(person.heard)
        ? toks[from - 1]!.norm
        : `${person.heard}${aux === 'would' ? ' would' : aux === 'have' ? (plural ? ' have' : ' has') : plural ? ' are' : ' is'}`;
    heardVerb = never ? ['not'] : [];
    youVerb = never ? ['not'] : [];
    past = aux === 'would' || has;
  } else {
    const v = toks[j];
    if (v?.kind !== 'word') return null;
    const w = v.norm;
    if (AUX_FOR_YOU[w]) {
      heardVerb = [w, ...(never ? ['not'] : [])];
      youVerb = [AUX_FOR_YOU[w]!, ...(never ? ['not'] : [])];
      past = PAST_AUX.has(w);
    } else if (w === 'keeps' || (w === 'keep' && plural)) {
      heardVerb = [w];
      youVerb = ['keep'];
    } else if (looksPast(w)) {
      past = true;
      heardVerb = never ? ["didn't", baseOfPast(w)] : [w];
      youVerb = heardVerb;
    } else if (looksThirdPerson(w) && !plural) {
      heardVerb = never ? ["doesn't", baseOfS(w)] : [w];
      youVerb = never ? ["don't", baseOfS(w)] : [baseOfS(w)];
    } else if ((plural || never) && /^[a-z]+$/.test(w) && !FUNCTION.has(w) && !END.has(w)) {
      heardVerb = never ? [plural ? "don't" : "doesn't", w] : [w];
      youVerb = never ? ["don't", w] : [w];
    } else return null;
    j++;
  }
  const own = new Set(POSSESSIVE[person.pronoun] ?? []);
  const heardRest: string[] = [];
  const youRest: string[] = [];
  let content = heardVerb.filter((w) => !AUX_FOR_YOU[w] && w !== 'not').length;
  for (; j < toks.length; j++) {
    const t = toks[j]!;
    if (t.kind !== 'word') break;
    const w = t.norm;
    if (END.has(w) && heardRest.length + heardVerb.length > 0) break;
    // "my dad is never home": the absolute goes, the negation stays
    if (w === 'never' && heardRest.length === 0 && AUX_FOR_YOU[heardVerb.at(-1) ?? '']) {
      heardVerb.push('not');
      youVerb.push('not');
      continue;
    }
    if (DROP.has(w)) continue;
    // "he told me I was wrong": for the one telling it, "you were"
    const next = toks[j + 1]?.norm;
    let heardW = FIRST_TO_SECOND[w] ?? w;
    if ((w === 'was' || w === 'am') && heardRest.at(-1) === 'you') heardW = 'were';
    heardRest.push(heardW);
    youRest.push(
      own.has(w) && next !== undefined
        ? w.endsWith('self') || w.endsWith('selves')
          ? 'yourself'
          : 'your'
        : (GENTLER[w] ?? w),
    );
    if (!FUNCTION.has(w) && w.length > 2) content++;
    if (heardRest.length >= 12) {
      j++;
      break;
    }
  }
  // a clause cut short does not end on "to" or "the"
  while (heardRest.length && TRAILING.has(heardRest.at(-1)!)) {
    heardRest.pop();
    youRest.pop();
  }
  if (content === 0) return null;
  const heard = tidy([heardSubject, ...heardVerb, ...heardRest].join(' '));
  const startup = tidy([youSubject, ...youVerb, ...youRest].join(' '));
  return { event: { person, heard, startup, past, content }, end: j };
}

/** Every "my sister joked…", "he never calls" of a message, in order. One pass. */
export function storyEvents(toks: readonly Token[], text: string, people: People): StoryEvent[] {
  const out: StoryEvent[] = [];
  for (let i = 0; i < toks.length; i++) {
    const s = subjectAt(toks, text, i, people);
    if (!s) continue;
    const c = clauseAt(toks, s.next, s.person, s.aux);
    if (!c) continue;
    out.push(c.event);
    i = Math.max(i, c.end - 1);
  }
  // written to them directly ("you forgot my birthday"): the engine's own event, said back as "they"
  if (out.length === 0) {
    const e = eventOf(toks, text);
    if (e) {
      const person = people.pronoun('they');
      const heard = e.speaker
        .split(' ')
        .map((w) => TELLER[w.toLowerCase()] ?? w)
        .join(' ');
      out.push({ person, heard, startup: e.speaker, past: e.tense === 'past', content: e.content.length });
    }
  }
  return out;
}
