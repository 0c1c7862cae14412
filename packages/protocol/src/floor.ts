// The floor: one person speaks, the other reflects until the speaker says "yes, that's it", then the
// listener may ask "is there more?", and the floor passes when the speaker says so. Pure: both browsers
// reduce the same ordered log of (decrypted) events and arrive at the same state; an event out of
// turn (two people clicking at once) is ignored by both, so they never disagree.

export type Role = 'a' | 'b';

export type Phase =
  | 'speak' // the speaker has the floor and says what is on their mind
  | 'reflect' // the listener says back what they heard
  | 'confirm' // the speaker marks the reflection "yes, that's it" or "not quite"
  | 'understood'; // heard: the listener may ask "is there more?", the speaker may pass the floor

/** Who the two are to each other, chosen when the room is made: the copy and soften's wording follow it. */
export const ROOM_RELATIONSHIPS = ['partner', 'parent_child', 'family', 'friends', 'coworkers'] as const;
export type RoomRelationship = (typeof ROOM_RELATIONSHIPS)[number];
export const RELATIONSHIP_LABELS: Record<RoomRelationship, string> = {
  partner: 'Partners',
  parent_child: 'Parent and child',
  family: 'Family',
  friends: 'Friends',
  coworkers: 'Coworkers',
};

/**
 * Every event may say when it was sent (`at`: the sender's clock, ms since the epoch): the export's dates.
 * `t` is not part of what anyone sends or signs: the log reader sets it from the stored message, the
 * server's clock when it stored the event. It is the one clock both screens share, so the time-out's rules
 * go by it (see `clock`).
 */
export type FloorEvent =
  /** The first person in may say what the room is (relationship) and who speaks first ('them': the other). */
  (
    | { kind: 'join'; by: string; name: string; relationship?: RoomRelationship; first?: 'me' | 'them' }
    | { kind: 'speak'; by: string; text: string }
    | { kind: 'reflect'; by: string; text: string }
    | { kind: 'confirm'; by: string; yes: boolean; text?: string }
    | { kind: 'more'; by: string }
    | { kind: 'pass'; by: string }
    | { kind: 'timeout'; by: string; at: number; minutes: number }
    /** Ends a time-out: the one who called it may at any time, the other once its time is up (`at`). */
    | { kind: 'resume'; by: string; at?: number }
    /** At (or before, for its caller) the end of a time-out: a fresh one of `minutes`, called by `by`. */
    | { kind: 'extend'; by: string; at: number; minutes: number }
  ) & { at?: number; t?: number };

export interface Turn {
  kind: 'speak' | 'reflect' | 'confirm' | 'more' | 'pass' | 'timeout' | 'resume' | 'extend';
  role: Role;
  text?: string;
  yes?: boolean;
  at?: number;
  minutes?: number;
  /** For a resume: who had called the time-out (the one who is back, when it is their own resume). */
  caller?: Role;
}

export interface Floor {
  /** Participant ids by role, in the order they joined. */
  people: Partial<Record<Role, { id: string; name: string }>>;
  /** Set by the first person in; null in rooms made before it could be chosen. */
  relationship: RoomRelationship | null;
  speaker: Role;
  phase: Phase;
  /** Set while a time-out runs: who called it, when (by `clock`), for how long. */
  timeout: { by: Role; at: number; minutes: number } | null;
  /** The other person's last try to end (or extend) the running time-out before its end, refused: who,
   * when it reached the server (null: it said no time) and when the time-out ends. Shown to both. */
  early?: { role: Role; at: number | null; until: number } | null;
  /** How many reflections the current speaker's words have needed. */
  attempts: number;
  /** Everything accepted, in order: the conversation. */
  turns: Turn[];
  /** Events refused as out of turn, counted so a test (or a curious user) can see them. */
  refused: number;
}

export const DEFAULT_TIMEOUT_MINUTES = 20; // Gottman: about twenty minutes for a flooded body to settle
/** What a person may ask for in one go (the floor itself accepts up to a day, for old logs). */
export const TIMEOUT_RANGE = { min: 1, max: 120 } as const;

/** A minutes box's text as a time-out length: empty or nonsense is the default; the rest is clamped. */
export function clampMinutes(text: string | number): number {
  const n = typeof text === 'number' ? text : Number.parseInt(text.trim(), 10);
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_TIMEOUT_MINUTES;
  return Math.min(TIMEOUT_RANGE.max, Math.max(TIMEOUT_RANGE.min, Math.round(n)));
}

/** "1 minute", "20 minutes". */
export const minutesText = (n: number): string => `${n} minute${n === 1 ? '' : 's'}`;

/**
 * When an event happened, for the time-out's rules: when the server stored it (`t`), else, for an event
 * not yet stored (this screen's outbox) or one read from a server that does not say, the sender's own
 * `at`. The sender's `at` is their word only: were it trusted, the other person could end a time-out
 * early by dating their "come back" after its end.
 */
export const clock = (e: { at?: number; t?: number }): number | undefined =>
  typeof e.t === 'number' && Number.isFinite(e.t)
    ? e.t
    : typeof e.at === 'number' && Number.isFinite(e.at)
      ? e.at
      : undefined;

/** When a time-out ends, in ms since the epoch. */
export const timeoutEnd = (t: { at: number; minutes: number }): number => t.at + t.minutes * 60_000;

export const ROLE_LINES: Record<'speaker' | 'listener', string> = {
  speaker:
    'You have the floor: say what is true for you, about you. The other person will say back what they hear.',
  listener:
    'You are listening: say back what you hear, without defending or fixing, until they say "yes, that\'s it".',
};

/** The role line with the other person's name in it (never "your partner" in a parent and child room). */
export function roleLine(kind: 'speaker' | 'listener', otherName: string): string {
  return kind === 'speaker'
    ? `You have the floor: say what is true for you, about you. ${otherName} will say back what they hear.`
    : ROLE_LINES.listener;
}

export function initialFloor(): Floor {
  return {
    people: {},
    relationship: null,
    speaker: 'a',
    phase: 'speak',
    timeout: null,
    attempts: 0,
    turns: [],
    refused: 0,
  };
}

export function roleOf(f: Floor, id: string): Role | null {
  if (f.people.a?.id === id) return 'a';
  if (f.people.b?.id === id) return 'b';
  return null;
}

export const other = (r: Role): Role => (r === 'a' ? 'b' : 'a');

/**
 * What the given role may do now: the buttons a front end shows. `now` matters only during a time-out:
 * its caller may end or extend it at any time, the other person once its time is up (so a pause someone
 * needed is not cut short by the one they needed it from). Without `now` the time is taken as not up.
 */
export function allowed(f: Floor, role: Role, now = Number.NEGATIVE_INFINITY): FloorEvent['kind'][] {
  if (!f.people.a || !f.people.b) return [];
  if (f.timeout) return role === f.timeout.by || now >= timeoutEnd(f.timeout) ? ['resume', 'extend'] : [];
  const speaking = role === f.speaker;
  const out: FloorEvent['kind'][] = ['timeout'];
  if (speaking) {
    if (f.phase === 'speak' || f.phase === 'confirm' || f.phase === 'understood') out.push('speak');
    if (f.phase === 'confirm') out.push('confirm');
    if (f.phase === 'understood') out.push('pass');
  } else {
    if (f.phase === 'reflect' || f.phase === 'confirm') out.push('reflect');
    if (f.phase === 'understood') out.push('more');
  }
  return out;
}

/** Apply one event; returns a new state (the old one is untouched). */
export function step(f: Floor, e: FloorEvent): Floor {
  if (e.kind === 'join') {
    if (roleOf(f, e.by)) return f; // rejoining after a reload changes nothing
    const slot: Role | null = !f.people.a ? 'a' : !f.people.b ? 'b' : null;
    if (!slot) return { ...f, refused: f.refused + 1 }; // a room is for two
    const seated = {
      ...f,
      people: { ...f.people, [slot]: { id: e.by, name: e.name.slice(0, 40) || (slot === 'a' ? 'A' : 'B') } },
    };
    if (slot !== 'a') return seated;
    // the one who made the room sets it up: who the two are, and who speaks first
    return {
      ...seated,
      relationship: e.relationship ?? null,
      speaker: e.first === 'them' ? 'b' : 'a',
    };
  }
  const role = roleOf(f, e.by);
  const at = clock(e);
  if (!role || !allowed(f, role, at).includes(e.kind)) {
    // the other person ending the caller's pause before its time: refused, and both are told why
    const early =
      role && f.timeout && role !== f.timeout.by && (e.kind === 'resume' || e.kind === 'extend')
        ? { early: { role, at: at ?? null, until: timeoutEnd(f.timeout) } }
        : {};
    return { ...f, refused: f.refused + 1, ...early };
  }
  const turns = [...f.turns];
  const when = typeof e.at === 'number' ? { at: e.at } : {};
  switch (e.kind) {
    case 'speak':
      turns.push({ kind: 'speak', role, text: e.text, ...when });
      return { ...f, phase: 'reflect', turns };
    case 'reflect':
      turns.push({ kind: 'reflect', role, text: e.text, ...when });
      return { ...f, phase: 'confirm', attempts: f.attempts + 1, turns };
    case 'confirm':
      turns.push({ kind: 'confirm', role, yes: e.yes, text: e.text, ...when });
      return { ...f, phase: e.yes ? 'understood' : 'reflect', turns };
    case 'more':
      turns.push({ kind: 'more', role, ...when });
      return { ...f, phase: 'speak', attempts: 0, turns };
    case 'pass':
      turns.push({ kind: 'pass', role, ...when });
      return { ...f, speaker: other(role), phase: 'speak', attempts: 0, turns };
    case 'timeout':
    case 'extend': {
      const minutes =
        Number.isFinite(e.minutes) && e.minutes > 0 && e.minutes <= 24 * 60
          ? e.minutes
          : DEFAULT_TIMEOUT_MINUTES;
      turns.push({ kind: e.kind, role, at: e.at, minutes });
      // timed from when the server stored it, so its end is the same on both screens whatever either
      // sender's clock said
      return { ...f, timeout: { by: role, at: at ?? e.at, minutes }, early: null, turns };
    }
    case 'resume':
      turns.push({ kind: 'resume', role, caller: f.timeout!.by, ...when });
      return { ...f, timeout: null, early: null, turns };
  }
}

export function replay(events: Iterable<FloorEvent>): Floor {
  let f = initialFloor();
  for (const e of events) f = step(f, e);
  return f;
}

/** Best-effort shape check for a decrypted event: anything else is ignored, never thrown on. */
export function asFloorEvent(x: unknown): FloorEvent | null {
  const e = shapeOf(x);
  const at = (x as { at?: unknown } | null)?.at;
  return e && e.at === undefined && typeof at === 'number' && Number.isFinite(at) ? { ...e, at } : e;
}

function shapeOf(x: unknown): FloorEvent | null {
  if (!x || typeof x !== 'object') return null;
  const e = x as Record<string, unknown>;
  if (typeof e.by !== 'string' || e.by.length > 64) return null;
  const str = (k: string): boolean => typeof e[k] === 'string' && (e[k] as string).length <= 20000;
  switch (e.kind) {
    case 'join':
      return str('name')
        ? {
            kind: 'join',
            by: e.by,
            name: e.name as string,
            ...(ROOM_RELATIONSHIPS.includes(e.relationship as RoomRelationship)
              ? { relationship: e.relationship as RoomRelationship }
              : {}),
            ...(e.first === 'me' || e.first === 'them' ? { first: e.first } : {}),
          }
        : null;
    case 'speak':
    case 'reflect':
      return str('text') ? { kind: e.kind, by: e.by, text: e.text as string } : null;
    case 'confirm':
      return typeof e.yes === 'boolean'
        ? { kind: 'confirm', by: e.by, yes: e.yes, ...(str('text') ? { text: e.text as string } : {}) }
        : null;
    case 'more':
    case 'pass':
      return { kind: e.kind, by: e.by };
    case 'resume':
      return { kind: 'resume', by: e.by, ...(typeof e.at === 'number' ? { at: e.at } : {}) };
    case 'timeout':
    case 'extend':
      return typeof e.at === 'number' && typeof e.minutes === 'number'
        ? { kind: e.kind, by: e.by, at: e.at, minutes: e.minutes }
        : null;
    default:
      return null;
  }
}
