// The speaker's side: the same reading, turned into a gentle start-up that keeps the pain and the
// request and drops the blame: what happened, what I feel, what I need, what I ask.

import { data, knowledge } from './knowledge.js';
import { tokenize } from './text.js';
import { read } from './reading.js';
import type { FeelingId, NeedId, Relationship, SoftenOptions, SoftenResult } from './types.js';
import { ownEventOf, requestOf } from './event.js';
import { People, storyEvents } from './story.js';
import { readText } from './util.js';

const STORY_FUNCTION = new Set(data.listen.words.function);
const NOT_TO_THEM = new Set(data.event.notToThem);
// a state or a passive is not something they did to the speaker ("you're in hospital", "you were bullied")
const NOT_ACTING = new Set([
  "you're",
  "you've",
  "you'd",
  'are',
  'were',
  'have',
  'had',
  'got',
  'get',
  'be',
  'was',
  'is',
]);
const TO_ME = new Set(['me', 'my', 'us', 'our', 'mine', 'myself']);

const FEELING_FOR_NEED: Record<NeedId, FeelingId> = {
  seen: 'lonely',
  heard: 'hurt',
  connection: 'lonely',
  security: 'scared',
  respect: 'hurt',
  support: 'overwhelmed',
  autonomy: 'overwhelmed',
  honesty: 'hurt',
  acceptance: 'hurt',
};

/** True when the words carry an absolute, a label, an accusing feeling word or an accusing question. */
function blamed(words: string): boolean {
  return knowledge()
    .cues.match(tokenize(words))
    .some((h) => h.rule.id !== 'you_statement');
}

/**
 * The most telling story clause of a message about someone, as the start-up's event; null when none. Only a
 * clause in which a named person (my husband, my sister) acts on the speaker ("you sold my dad's guitar
 * without asking me"), and only when that person is the one the start-up is for: never a state or what
 * happened to them ("my sister has depression", "my brother got fired"), never an ex, and never a person
 * of another relationship than the one given.
 */
function toldEvent(toks: ReturnType<typeof tokenize>, text: string, relationship: Relationship | undefined) {
  let best: {
    speaker: string;
    tense: 'past' | 'habit';
    content: string[];
    start: number;
    end: number;
  } | null = null;
  let most = 0;
  for (const ev of storyEvents(toks, text, new People())) {
    const rel = ev.person.relationship;
    if (!rel || (relationship && rel !== relationship) || /\bex$/.test(ev.person.heard)) continue;
    const words = tokenize(ev.startup).map((t) => t.norm);
    if (NOT_ACTING.has(words[0]!) || NOT_ACTING.has(words[1] ?? '')) continue;
    if (!words.slice(2).some((w) => TO_ME.has(w)) || words.some((w) => NOT_TO_THEM.has(w))) continue;
    if (ev.content <= most) continue;
    most = ev.content;
    const content = words.filter((w) => w.length > 2 && !STORY_FUNCTION.has(w));
    best = { speaker: ev.startup, tense: ev.past ? 'past' : 'habit', content, start: -1, end: -1 };
  }
  return best;
}

export function soften(input: string, opts: SoftenOptions = {}): SoftenResult {
  const text = readText(input);
  const r = read(text, opts);
  if (r.safety) {
    // Never a gentler version of a threat, and no coaching for a writer at risk: help for them instead.
    const message = data.safety.writer[r.safety.id];
    return {
      text,
      cues: r.cues,
      feelings: r.feelings,
      needs: r.needs,
      softened: '',
      parts: { observation: '', feeling: '', need: '', request: '' },
      safety: { ...r.safety, message },
    };
  }
  const s = data.soften;
  const v = data.voice;
  const k = knowledge();
  const relationship: Relationship = opts.relationship ?? 'partner';

  let topic: (typeof s.topics)[number] | undefined;
  let best = Infinity;
  let topicAt = -1;
  for (const h of k.topics.scan(r.toks)) if (h.rule < best) [best, topicAt] = [h.rule, r.toks[h.from]!.start];
  if (best !== Infinity) topic = s.topics[best];
  // an explicit ask ("leave me alone", "stop reading my diary") fixes the request and the need it serves
  let ask: (typeof s.asks)[number] | undefined;
  for (const a of s.asks)
    if (a.patterns.some((src) => k.asks.get(src)!.some((p) => p.test(r.toks)))) ask ??= a;

  // Anger is often the guard in front of hurt: a gentle start-up names what it protects.
  const feelings = r.feelings.filter((f) => f.id !== 'angry');
  const need: NeedId =
    (ask?.need as NeedId | undefined) ??
    opts.need ??
    r.needs[0]?.id ??
    ((feelings[0] && v.needOfFeeling[feelings[0].id]) || 'connection');
  const feeling: FeelingId = opts.feeling ?? feelings[0]?.id ?? FEELING_FOR_NEED[need];
  const feelWord = v.feelingWords[feeling] ?? feeling;

  // What happened: the event itself when the message names one, in its tense; a topic's observation when
  // it names the same thing ("When you're on your phone while I'm talking"); else the topic or a fallback.
  // a message that tells of someone ("my husband sold my dad's guitar without asking me") rather than
  // speaking to them: its story clause, said to the one it names ("you sold my dad's guitar without asking me")
  const told = r.event ? null : toldEvent(r.toks, text, opts.relationship);
  // else what happened to the speaker, in their words ("I found out at the gate")
  const own = r.event || told ? null : ownEventOf(r.toks, text);
  const e = r.event ?? told ?? own;
  // a topic names the event when it carries most of the event's words ("you're on your phone" -> "When you're on
  // your phone while I'm talking"); one shared word is not enough ("you showed your friends my old diary")
  const topicNamesEvent =
    topic &&
    e &&
    e.content.filter((w) => topic!.observation.toLowerCase().includes(w)).length * 2 >= e.content.length;
  // the topic was found in the event's own words ("forgot my birthday"): its request fits what happened
  const topicInEvent = topic !== undefined && e !== null && topicAt >= e.start && topicAt < e.end;
  const eventObservation = e ? `When ${e.speaker}` : undefined;
  const asking = ask !== undefined || requestOf(r.toks) !== null;
  // a plain request with nothing named ("can u just leave me alone") needs no "when this happens"
  const fallback = asking && !topic ? 'Right now' : s.fallbackObservation;
  let observation = topicNamesEvent
    ? topic!.observation
    : (eventObservation ?? topic?.observation ?? fallback);
  // an observation that still carries blame (a feeling word that accuses, an absolute) gives way
  if (observation === eventObservation && blamed(observation)) observation = topic?.observation ?? fallback;
  const past = observation === eventObservation && e?.tense === 'past';

  const asked = requestOf(r.toks);
  const byRelationship = s.needRequestBy[relationship as Exclude<Relationship, 'partner'>]?.[need];
  let request =
    ask?.request ||
    (asked && !blamed(asked) ? `Would you be willing to ${asked}?` : '') ||
    (topic && (topicNamesEvent || topicInEvent || !e) && relationship === 'partner' ? topic.request : '') ||
    byRelationship ||
    s.needRequest[need];
  if (blamed(request)) request = s.needRequest[need];
  const needNoun = s.needNoun[need];
  const softened = `${observation}${observation === 'Right now' ? '' : ','} I ${past ? 'felt' : 'feel'} ${feelWord}, because I need ${needNoun}. ${request}`;
  return {
    text,
    cues: r.cues,
    feelings: r.feelings,
    needs: r.needs,
    softened,
    parts: { observation, feeling: feelWord, need, request },
    relationship,
  };
}
