// The solo listening space (steady listen, /listen): one person's story, a message at a time. After each
// message Steady says back what it heard (the feeling, the need, the concrete thing) in a listener's words,
// not a verdict; at the end, what was beneath and a gentle start-up to bring to the other person. Built on
// read (hear's reading) and soften; the wording lives in data/listen.json. Each message is read once, so a
// session costs time linear in its text.

import { read } from './hear.js';
import { soften } from './soften.js';
import { cap, People, storyEvents, type Person, type StoryEvent } from './story.js';
import { data, feelingLexicon, knowledge } from './knowledge.js';
import { tokenize, type Token } from './text.js';
import { fill, hash, readText, round2 } from './util.js';
import type { FeelingId, NeedId, Options, Relationship, Safety, SafetyId, Scored } from './types.js';

export interface ListenTurn {
  text: string;
  reflection: string;
  /** Addition: true when this message corrects the reflection before it ("not quite"). */
  correction?: boolean;
}

/** What `steady listen --json` prints (CONTRACT.md section 5); extra fields are additions. */
export interface ListenResult {
  turns: ListenTurn[];
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  /** A gentle start-up for the other person; null when safety is set or nothing was said. */
  startup: string | null;
  safety: Safety | null;
  /** Addition: a short sentence on what was beneath (the feelings and needs, in words). */
  beneath: string;
  /** Addition: who the story is mostly about, as Steady says it ("your sister"), or null. */
  who: string | null;
  /** Addition: the relationship the start-up's request was fitted to. */
  relationship: Relationship | null;
}

export interface Reflection {
  /** What Steady says back: the reflection, then whether there is more. */
  text: string;
  /** Set when this message carries risk: then `text` is help first, never coaching. */
  safety: Safety | null;
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  /** The concrete thing heard, as Steady says it ("your sister joked about your weight at dinner"). */
  event: string | null;
}

/** A message of a session as the web app stores it and `reflect` replays it. */
export interface ListenInput {
  text: string;
  correction?: boolean;
}

interface TurnState {
  feelings: Scored<FeelingId>[];
  needs: Scored<NeedId>[];
  /** The person's own feeling word ("embarrassed"), when they named one. */
  own: string | null;
  /** Feeling families the message says it is not ("not angry"). */
  not: Set<FeelingId>;
  event: StoryEvent | null;
  events: StoryEvent[];
  safety: Safety | null;
  /** For a correction, the turn it corrects; its reading then counts for less. */
  corrects: number;
}

const L = data.listen;
const W = L.words;
const NEGATORS = new Set(W.negators);
// words right before a feeling word that make it the person's own ("I felt humiliated", "so embarrassed")
const FEEL_FRAME = new Set(W.feelFrame);
// feeling-lexicon words that are not adjectives a listener can say back ("you felt pain")
const NOT_ADJECTIVE = new Set(W.notAdjective);

/** A line that ends the session: "that's it", "thats it.", "That is it!" (case and punctuation aside). */
export function isDone(line: string): boolean {
  const s = line
    .toLowerCase()
    .replace(/[\u2018\u2019']/g, '')
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return /^((yes|yeah|ok|okay) )?(thats it|that is it)( thanks| thank you)?$/.test(s);
}

/** "not quite, it's more that…": a correction of the last reflection; returns what follows, or null. */
export function notQuite(line: string): string | null {
  const m = /^\s*(?:no,?\s+)?not\s+quite\b[\s,.:;!\-\u2014]*/i.exec(line);
  return m ? line.slice(m[0].length).trim() : null;
}

/** The person's own feeling word, said in a feeling frame and not negated ("I felt so embarrassed"). */
function ownFeeling(toks: readonly Token[]): { word: string | null; not: Set<FeelingId> } {
  let word: string | null = null;
  const not = new Set<FeelingId>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const lex = t.kind === 'word' ? feelingLexicon[t.norm] : undefined;
    if (!lex) continue;
    let negated = false;
    for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
      if (toks[k]!.sent !== t.sent) break;
      if (NEGATORS.has(toks[k]!.norm)) negated = true;
    }
    const family = Object.entries(lex).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]?.[0] as FeelingId;
    if (negated) {
      not.add(family);
      continue;
    }
    if (!word && !NOT_ADJECTIVE.has(t.norm) && FEEL_FRAME.has(toks[i - 1]?.norm ?? '')) word = t.norm;
  }
  return { word, not };
}

function feelWords(feelings: Scored<FeelingId>[], not: Set<FeelingId> = new Set()): string {
  const words = data.voice.feelingWords as Record<string, string>;
  const kept = feelings.filter((f) => !not.has(f.id));
  const top = kept.slice(0, 2).filter((f, i) => i === 0 || f.score >= 0.35);
  return [...new Set(top.map((f) => words[f.id] ?? f.id))].join(' and ');
}

const SAFETY_ORDER: SafetyId[] = ['self_harm', 'violence', 'control'];

/**
 * A listening session. `say` reads one message and reflects it; `correct` reads a correction of the last
 * reflection ("not quite") and reflects again with what it adds; `finish` gives the summary and the
 * start-up. Each message is read once.
 */
export class Listening {
  readonly turns: ListenTurn[] = [];
  private states: TurnState[] = [];
  private people = new People();
  /** For each opening, the turn it was last used in (-1: never). */
  private lastUsed = L.openings.map(() => -1);
  private retries = 0;
  private fallbacks = 0;
  private seed = 0;

  constructor(private readonly opts: Options = {}) {}

  say(text: string): Reflection {
    return this.add(readText(text), -1);
  }

  correct(text: string): Reflection {
    const last = this.turns.length - 1;
    if (last < 0) return this.say(text);
    // a correction of a correction corrects the same message
    return this.add(readText(text), this.states[last]!.corrects >= 0 ? this.states[last]!.corrects : last);
  }

  private add(text: string, corrects: number): Reflection {
    const toks = tokenize(text);
    const r = read(text, this.opts);
    const events = storyEvents(toks, text, this.people);
    const best = events.reduce<StoryEvent | null>((b, e) => (!b || e.content > b.content ? e : b), null);
    const { word, not } = ownFeeling(toks);
    const st: TurnState = {
      feelings: r.feelings,
      needs: r.needs,
      own: word,
      not,
      event: best,
      events,
      safety: r.safety,
      corrects,
    };
    const k = this.turns.length;
    if (k === 0) this.seed = hash(text);
    this.states.push(st);
    const reflection = this.reflect(st, k);
    this.turns.push({ text, reflection: reflection.text, ...(corrects >= 0 ? { correction: true } : {}) });
    return reflection;
  }

  private reflect(st: TurnState, k: number): Reflection {
    if (st.safety) {
      const safety = this.forTeller(st.safety);
      return { text: safety.message, safety, feelings: st.feelings, needs: st.needs, event: null };
    }
    const target = st.corrects >= 0 ? this.states[st.corrects]! : null;
    const seed = this.seed + k;
    // what this message says first; for a correction, what it leaves out comes from the message corrected
    const feel =
      st.own ??
      (feelWords(st.feelings, st.not) ||
        (target
          ? target.own && !st.not.has(this.familyOf(target.own))
            ? target.own
            : feelWords(target.feelings, st.not)
          : ''));
    const event = st.event ?? target?.event ?? null;
    const need = st.needs[0]?.id ?? target?.needs[0]?.id;
    const person = event?.person ?? this.lastPerson(k);
    const vars = { feel, event: event?.heard ?? '', who: person?.whom ?? '' };
    const c = L.clauses;
    const set =
      event && feel
        ? event.past
          ? c.eventPast
          : c.eventOngoing
        : feel
          ? person
            ? c.feelWho
            : c.feel
          : event
            ? c.eventOnly
            : null;
    const parts: string[] = [];
    if (target) parts.push(L.retry[this.retries++ % L.retry.length]!);
    if (!set) {
      parts.push(L.fallback[this.fallbacks++ % L.fallback.length]!);
    } else {
      const clause = fill(set[seed % set.length]!, vars);
      parts.push(cap(fill(L.openings[this.opening(seed, k)]!, { clause })));
      if (need) {
        const withWho = person && L.needWho[need];
        const needText = withWho ? fill(withWho, { whom: person.whom }) : L.need[need];
        parts.push(fill(L.needs[(seed + k) % L.needs.length]!, { need: needText }));
      }
      parts.push(L.more[k % L.more.length]!);
    }
    return {
      text: parts.join(' '),
      safety: null,
      feelings: st.feelings,
      needs: st.needs,
      event: event?.heard ?? null,
    };
  }

  /** The person's latest own word for a feeling family, corrections first. */
  private ownWordFor(id: FeelingId | undefined): string | null {
    if (!id) return null;
    let found: string | null = null;
    for (const st of this.states)
      if (st.own && this.familyOf(st.own) === id && (st.corrects >= 0 || !found)) found = st.own;
    return found;
  }

  private familyOf(word: string): FeelingId {
    const lex = feelingLexicon[word] ?? {};
    return Object.entries(lex).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]?.[0] as FeelingId;
  }

  private lastPerson(k: number): Person | null {
    for (let i = k - 1; i >= Math.max(0, k - 4); i--)
      if (this.states[i]?.event) return this.states[i]!.event!.person;
    return null;
  }

  /** The first opening not yet used in this session, from a point the story chooses; else the oldest. */
  private opening(seed: number, k: number): number {
    const n = L.openings.length;
    let pick = -1;
    for (let d = 0; d < n; d++) {
      const i = (seed + d) % n;
      if (this.lastUsed[i] === -1) {
        pick = i;
        break;
      }
      if (pick < 0 || this.lastUsed[i]! < this.lastUsed[pick]!) pick = i;
    }
    this.lastUsed[pick] = k;
    return pick;
  }

  /** hear's safety, with its message for the one telling the story (help for them, not for a reader). */
  private forTeller(s: Safety): Safety {
    return { ...s, message: L.safety[s.id] ?? s.message };
  }

  /** What was beneath, and the start-up (none when safety is set). */
  finish(): ListenResult {
    const feel = new Map<FeelingId, number>();
    const need = new Map<NeedId, number>();
    const not = new Set<FeelingId>();
    let safety: Safety | null = null;
    const corrected = new Set(this.states.map((s) => s.corrects).filter((c) => c >= 0));
    this.states.forEach((s, i) => {
      // a reading the person said was "not quite" counts for half
      const w = corrected.has(i) ? 0.5 : 1;
      for (const f of s.feelings) feel.set(f.id, Math.max(feel.get(f.id) ?? 0, f.score * w));
      for (const n of s.needs) need.set(n.id, Math.max(need.get(n.id) ?? 0, n.score * w));
      if (s.corrects >= 0) for (const f of s.not) not.add(f);
      if (s.own && !s.not.has(this.familyOf(s.own))) {
        const fam = this.familyOf(s.own);
        feel.set(fam, Math.max(feel.get(fam) ?? 0, 0.9 * w));
      }
      if (s.safety && (!safety || SAFETY_ORDER.indexOf(s.safety.id) < SAFETY_ORDER.indexOf(safety.id)))
        safety = this.forTeller(s.safety);
    });
    const sorted = <I extends string>(m: Map<I, number>): Scored<I>[] =>
      [...m]
        .filter(([id, score]) => score > 0 && !not.has(id as FeelingId))
        .map(([id, score]) => ({ id, score: round2(score) }))
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    const feelings = sorted(feel);
    const needs = sorted(need);

    // the story is mostly about the person its events name most; their most concrete event leads
    const count = new Map<Person, number>();
    for (const s of this.states)
      for (const e of s.events) count.set(e.person, (count.get(e.person) ?? 0) + 1);
    let person: Person | null = null;
    for (const [p, n] of count) if (!person || n > count.get(person)!) person = p;
    let event: StoryEvent | null = null;
    for (const s of this.states)
      for (const e of s.events) if (e.person === person && (!event || e.content > event.content)) event = e;

    const v = L.summary;
    const fw = feelWords(feelings);
    const nw = needs
      .slice(0, 2)
      .map((n) => L.need[n.id])
      .join(' and ');
    const beneath = fill(fw && nw ? v.both : fw ? v.feel : nw ? v.need : v.none, { feel: fw, need: nw });
    const relationship = person?.relationship ?? null;
    const startup =
      safety || this.turns.length === 0 ? null : this.startup(event, feelings, needs, relationship);
    return {
      turns: this.turns.map((t) => ({ ...t })),
      feelings,
      needs,
      startup,
      safety,
      beneath,
      who: person?.heard ?? null,
      relationship,
    };
  }

  /**
   * soften over the whole story, led by its event said to the one it names ("You joked about my weight at
   * dinner."), naming the feeling and need the session heard. Anger is the guard in front of hurt: the
   * start-up names what it protects, as soften does.
   */
  private startup(
    event: StoryEvent | null,
    feelings: Scored<FeelingId>[],
    needs: Scored<NeedId>[],
    relationship: Relationship | null,
  ): string | null {
    const story = this.states
      .map((s, i) => (s.corrects >= 0 ? '' : this.turns[i]!.text))
      .filter(Boolean)
      .join('\n');
    const lead = event ? `${cap(event.startup)}.` : '';
    const opts = {
      ...this.opts,
      ...(relationship ? { relationship } : {}),
      ...(feelings.find((f) => f.id !== 'angry')
        ? { feeling: feelings.find((f) => f.id !== 'angry')!.id }
        : {}),
      ...(needs[0] ? { need: needs[0].id } : {}),
    };
    // soften reads the whole story led by its event, for the request; the event itself is the observation
    // unless saying it carries blame, and then soften's own observation stands
    for (const text of [lead ? `${lead}\n${story}` : story, story]) {
      if (!text) continue;
      const s = soften(text, opts);
      if (!s.softened) continue;
      const observation = event ? `When ${event.startup}` : '';
      if (observation && !carriesBlame(observation)) {
        const noun = (data.soften.needNoun as Record<string, string>)[s.parts.need]!;
        // their own word for the feeling when they named one of the same family ("humiliated")
        const word = this.ownWordFor(feelings.find((f) => f.id !== 'angry')?.id) ?? s.parts.feeling;
        const own = `${observation}, I ${event!.past ? 'felt' : 'feel'} ${word}, because I need ${noun}. ${s.parts.request}`;
        if (!carriesBlame(own)) return own;
      }
      if (!carriesBlame(s.softened)) return s.softened;
    }
    return null;
  }
}

/** True when hear's cues find an absolute, a label, a faux feeling or an accusing question in the words. */
export function carriesBlame(words: string): boolean {
  return knowledge()
    .cues.match(tokenize(words))
    .some((h) => h.rule.id !== 'you_statement');
}

function replay(turns: readonly (string | ListenInput)[], opts: Options): [Listening, Reflection | null] {
  const l = new Listening(opts);
  let last: Reflection | null = null;
  for (const t of turns) {
    const x = typeof t === 'string' ? { text: t } : t;
    last = x.correction ? l.correct(x.text) : l.say(x.text);
  }
  return [l, last];
}

/** The reflection of the last message of a session (the earlier ones shape it: no opening repeats). */
export function reflect(turns: readonly (string | ListenInput)[], opts: Options = {}): Reflection | null {
  return replay(turns, opts)[1];
}

/** A whole session's summary: the contract's object for `steady listen --json`. */
export function listenSummary(turns: readonly (string | ListenInput)[], opts: Options = {}): ListenResult {
  return replay(turns, opts)[0].finish();
}
