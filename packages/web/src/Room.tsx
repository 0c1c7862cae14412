// The room for two: the floor, the engine beside each person, and nothing lost.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CheckResult, HearResult, Safety } from '@steady/engine';
import {
  allowed,
  replay,
  roleOf,
  other,
  ROLE_LINES,
  DEFAULT_TIMEOUT_MINUTES,
  type FloorEvent,
  type Role,
  type Turn,
} from '@steady/protocol';
import { importRoomKey, keyFromFragment, randomId, type RoomKey } from './room-crypto/index.ts';
import { RoomLog, type Notice } from './room-log';
import { deviceIdentity, forgetIdentity, localChain } from './identity';
import { IntegrityNotices } from './Integrity';
import { Connection } from './connection';
import { firstMessage } from './rooms';
import { engine } from './engine';
import {
  DraftBox,
  forWriter,
  HearPanel,
  HeatLine,
  Interstitial,
  MoveList,
  readDraft,
  SafetyPanel,
  SafetyReplies,
  useDebounced,
  type ForWriter,
} from './ui';

const SOOTHE = [
  'Breathe out slowly, longer than you breathe in.',
  'Step outside or get a glass of water.',
  'Notice five things you can see.',
  'Do not rehearse your side: let the body settle first.',
];

/**
 * A message in the log that hear flagged. Both sides read every message, their own included: the reader
 * gets hear's message; the writer gets soften's (help for themself, or a plain note on what the words do).
 */
interface Flag {
  index: number;
  role: Role;
  heard: Safety;
  softened: Safety | null | undefined;
  replies: string[];
}

function useFlags(turns: Turn[]): Flag[] {
  const [flags, setFlags] = useState<Flag[]>([]);
  const asked = useRef(0); // the log only grows: each message is read once
  useEffect(() => {
    for (let i = asked.current; i < turns.length; i++) {
      const { text, role } = turns[i]!;
      if (!text) continue;
      void engine.hear(text).then(
        async (r) => {
          if (!r.safety) return;
          const s = await engine.soften(text);
          const flag: Flag = { index: i, role, heard: r.safety, softened: s.safety, replies: r.replies };
          setFlags((prev) => [...prev.filter((f) => f.index !== i), flag].sort((a, b) => a.index - b.index));
        },
        () => {},
      );
    }
    asked.current = turns.length;
  }, [turns.length]);
  return flags;
}

export function Room({ id }: { id: string }) {
  const [key, setKey] = useState<RoomKey | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [events, setEvents] = useState<FloorEvent[]>([]);
  const [status, setStatus] = useState('connecting');
  const conn = useRef<Connection | null>(null);
  const log = useRef<RoomLog | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const me = useMemo(() => {
    const k = `steady:me:${id}`;
    let v = localStorage.getItem(k);
    if (!v) localStorage.setItem(k, (v = randomId()));
    return v;
  }, [id]);
  const [name, setName] = useState(() => localStorage.getItem('steady:name') ?? '');

  useEffect(() => {
    const link = keyFromFragment(location.hash);
    if ('error' in link) {
      setProblem(link.error);
      return;
    }
    let c: Connection | undefined;
    let gone = false;
    Promise.all([importRoomKey(link.secret), deviceIdentity(id)]).then(
      ([k, identity]) => {
        if (gone) return;
        // verifies and orders the log: events reach the floor in sequence order, signed by their sender
        const l = new RoomLog({
          room: id,
          key: k,
          me,
          identity,
          chain: localChain(id),
          onEvents: (evs) => setEvents((prev) => [...prev, ...evs]),
          onNotice: (n) => setNotices((prev) => [...prev, n]),
        });
        log.current = l;
        setKey(k);
        c = new Connection(id, k.auth, {
          onStatus: (s, detail) => {
            setStatus(s === 'waiting' && detail ? `waiting: ${detail}` : s);
            if (s === 'deleted') setProblem('This conversation was deleted for good.');
            else if (s === 'error' && detail) setProblem(detail);
          },
          onMessages: (msgs) => void l.push(msgs),
        });
        conn.current = c;
      },
      (e: Error) => setProblem(e.message),
    );
    return () => {
      gone = true;
      c?.close();
    };
  }, [id, me]);

  const floor = useMemo(() => replay(events), [events]);
  const role = roleOf(floor, me);
  const can = role ? allowed(floor, role) : [];
  const emit = async (e: FloorEvent): Promise<void> => {
    if (!log.current || !conn.current) return;
    // a message too long to seal is reported by the log (a notice), never sent in part, and its words
    // go back into the draft box, so nothing typed is lost
    const body = await log.current.seal(e).catch(() => null);
    if (body) conn.current.send(randomId(), body);
    else if ('text' in e && e.text)
      window.dispatchEvent(new CustomEvent('steady:insert', { detail: e.text }));
  };

  // Safety first. While any flagged message in the log is not yet acknowledged, the floor and the
  // coaching pause on this screen: no "say back what you heard", no reflection or steadiness coaching,
  // no interstitial and no gentler rewrites, and a time-out offers no soothing. The safety panel stays
  // for the rest of the conversation, scrolled below the sticky header and focused when a new flag
  // appears. The way back is per person and on this device only (localStorage, like the unsent queue):
  // for a concern, "I'm safe, continue" (or, reading someone else's self-harm, "We've checked in")
  // resumes coaching on that person's screen, and any later flag pauses it again. Nothing in the shared
  // log records it, so one person's word never switches the other's safety panel off. For an urgent flag
  // (danger now) there is no button: coaching stays off for the rest of this conversation, while the
  // two can still write plainly, call a time-out or leave.
  const flags = useFlags(floor.turns);
  const latest = flags.at(-1);
  const urgent = flags.some((f) => f.heard.level === 'urgent' || f.softened?.level === 'urgent');
  const ackKey = `steady:safe:${id}`;
  const [ack, setAck] = useState(() => Number(localStorage.getItem(ackKey) ?? -1));
  const paused = latest !== undefined && (urgent || latest.index > ack);
  const mine = latest !== undefined && latest.role === role;
  const view: ForWriter | null = !latest
    ? null
    : mine
      ? forWriter(latest.heard, latest.softened)
      : { safety: latest.heard, message: latest.heard.message };

  const panel = useRef<HTMLElement | null>(null);
  const header = useRef<HTMLElement | null>(null);
  const sticky = useRef<ResizeObserver | null>(null);
  // The panel's scroll-margin-top follows the sticky floor bar's height, so scrolling to the panel (or
  // focusing it) never leaves its top under the bar, at any width.
  const measure = useCallback(() => {
    const h = header.current;
    h?.parentElement?.style.setProperty('--sticky', `${Math.ceil(h.getBoundingClientRect().height)}px`);
  }, []);
  const headerRef = useCallback(
    (el: HTMLElement | null) => {
      sticky.current?.disconnect();
      header.current = el;
      if (!el) return;
      measure();
      sticky.current = new ResizeObserver(measure);
      sticky.current.observe(el);
    },
    [measure],
  );
  const shown = useRef(-1);
  useEffect(() => {
    if (!latest || !paused || latest.index <= shown.current || !panel.current) return;
    shown.current = latest.index;
    measure();
    panel.current.focus({ preventScroll: true });
    panel.current.scrollIntoView({ block: 'start' });
  }, [latest?.index, paused]);
  const acknowledge = () => {
    if (!latest) return;
    localStorage.setItem(ackKey, String(latest.index));
    setAck(latest.index);
    panel.current?.focus(); // the button goes; focus stays on the panel, which now says coaching is back
  };

  if (problem)
    return (
      <main className="room">
        <p role="alert" className="problem">
          {problem}
        </p>
        <p>
          <a href="/">Back to Steady</a>
        </p>
      </main>
    );
  if (!key)
    return (
      <main className="room">
        <p>Opening the room…</p>
      </main>
    );

  const joined = role !== null;
  const full = !joined && floor.people.a && floor.people.b;
  const speakerName = floor.people[floor.speaker]?.name ?? '…';
  const listenerName = floor.people[other(floor.speaker)]?.name ?? '…';
  const lastSpeak = [...floor.turns]
    .reverse()
    .find((t) => t.kind === 'speak' || (t.kind === 'confirm' && t.text))?.text;

  return (
    <main className="room">
      <header className="floor-bar" aria-live="polite" ref={headerRef}>
        {paused ? (
          <p>
            <strong data-testid="floor-paused">Safety first</strong> ·{' '}
            <span className="muted">the floor is paused</span>
          </p>
        ) : (
          <p>
            <strong data-testid="floor-holder">{speakerName}</strong> has the floor ·{' '}
            <span className="muted">{listenerName} listens</span>
          </p>
        )}
        <p className="muted small">
          Status: <span data-testid="status">{status}</span>
          {conn.current?.unsent ? ` · ${conn.current.unsent} waiting to send` : ''}
        </p>
        {role && (
          <p className="role-line" data-testid="role-line">
            {paused
              ? 'Coaching is paused: safety comes before anything else.'
              : role === floor.speaker
                ? ROLE_LINES.speaker
                : ROLE_LINES.listener}
          </p>
        )}
      </header>
      <IntegrityNotices notices={notices} />

      {!joined && !full && (
        <form
          className="join"
          onSubmit={(e) => {
            e.preventDefault();
            localStorage.setItem('steady:name', name);
            void emit({ kind: 'join', by: me, name: name.trim() || 'Someone' });
          }}
        >
          <label htmlFor="name">Your name in this room</label>
          <input
            id="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={40}
            autoComplete="given-name"
          />
          <button type="submit">Join the room</button>
        </form>
      )}
      {full && <p role="alert">This room already has two people.</p>}
      {joined && (!floor.people.a || !floor.people.b) && (
        <section className="invite">
          <p>Share this link with the other person. The key after # never reaches the server.</p>
          <input
            aria-label="Room link"
            readOnly
            value={location.href}
            onFocus={(e) => e.target.select()}
            data-testid="room-link"
          />
        </section>
      )}

      <Conversation
        turns={floor.turns}
        people={floor.people}
        myRole={role}
        flagged={flags.map((f) => f.index)}
        coaching={!paused}
      />
      {latest && view && (
        <SafetyPanel safety={view.safety} message={view.message} panelRef={panel} testId="room-safety">
          {urgent ? (
            <p className="way-back">
              This may be danger now, so coaching stays off for the rest of this conversation. You can still
              write to each other plainly, call a time-out, or leave.
            </p>
          ) : paused ? (
            <div className="way-back">
              <button type="button" onClick={acknowledge}>
                {mine || latest.heard.id !== 'self_harm'
                  ? "I'm safe, continue"
                  : "We've checked in, continue"}
              </button>
              <p className="muted small">
                Coaching comes back on your screen only; the other person decides on theirs. This help stays
                here, and a new concern pauses the coaching again.
              </p>
            </div>
          ) : (
            <p className="way-back muted" role="status">
              You said you are safe, so coaching is back on your screen. This help stays here.
            </p>
          )}
        </SafetyPanel>
      )}
      {floor.timeout ? (
        <TimeOut
          t={floor.timeout}
          byName={floor.people[floor.timeout.by]?.name ?? ''}
          safety={paused}
          onResume={() => void emit({ kind: 'resume', by: me })}
        />
      ) : role && floor.people.b ? (
        paused ? (
          <SafeComposer
            can={can}
            mine={mine}
            replies={mine ? [] : (latest?.replies ?? [])}
            me={me}
            emit={emit}
          />
        ) : (
          <Composer
            key={`${floor.speaker}-${floor.phase}`}
            role={role}
            speaker={floor.speaker}
            phase={floor.phase}
            can={can}
            lastSpeak={lastSpeak}
            me={me}
            emit={emit}
          />
        )
      ) : null}
      <Tools turns={floor.turns} people={floor.people} id={id} auth={key.auth} />
    </main>
  );
}

function Conversation({
  turns,
  people,
  myRole,
  flagged,
  coaching,
}: {
  turns: Turn[];
  people: Record<string, { name: string } | undefined>;
  myRole: string | null;
  flagged: number[];
  coaching: boolean;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const [reading, setReading] = useState<HearResult | null>(null);
  const heat = useHeat(turns);
  return (
    <section className="conversation" aria-label="Conversation">
      <HeatLine values={heat} />
      <ol>
        {turns.map((t, i) => (
          <li
            key={i}
            className={`turn ${t.kind} ${t.role === myRole ? 'mine' : 'theirs'}${flagged.includes(i) ? ' flagged' : ''}`}
            data-testid={`turn-${t.kind}`}
          >
            <span className="who">{people[t.role]?.name}</span> <span className="what">{describe(t)}</span>
            {flagged.includes(i) && <span className="flag"> · safety first: see below</span>}
            {coaching && t.text && t.role !== myRole && (t.kind === 'speak' || t.kind === 'confirm') && (
              <button
                type="button"
                className="link"
                aria-expanded={open === i}
                onClick={async () => {
                  if (open === i) {
                    setOpen(null);
                    return;
                  }
                  setReading(await engine.hear(t.text!));
                  setOpen(i);
                }}
              >
                Hear beneath
              </button>
            )}
            {coaching && open === i && reading && (
              <HearPanel
                r={reading}
                onUse={(x) => window.dispatchEvent(new CustomEvent('steady:insert', { detail: x }))}
              />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(t: Turn): string {
  switch (t.kind) {
    case 'speak':
      return t.text!;
    case 'reflect':
      return `reflects: ${t.text}`;
    case 'confirm':
      return t.yes ? "“Yes, that's it.”" : `“Not quite.”${t.text ? ` ${t.text}` : ''}`;
    case 'more':
      return 'asks: “Is there more?”';
    case 'pass':
      return 'passes the floor.';
    case 'timeout':
      return `calls a time-out for ${t.minutes} minutes.`;
    case 'resume':
      return 'is back: the conversation resumes.';
  }
}

function useHeat(turns: Turn[]): number[] {
  const [heat, setHeat] = useState<number[]>([]);
  useEffect(() => {
    const said = turns.filter(
      (t) => t.text && (t.kind === 'speak' || t.kind === 'reflect' || t.kind === 'confirm'),
    );
    void Promise.all(
      said.map((t) =>
        (t.kind === 'reflect' ? engine.check(t.text!) : engine.hear(t.text!)).then((r) => r.heat),
      ),
    ).then(setHeat);
  }, [turns.length]);
  return heat;
}

function Composer({
  role,
  speaker,
  phase,
  can,
  lastSpeak,
  me,
  emit,
}: {
  role: string;
  speaker: string;
  phase: string;
  can: string[];
  lastSpeak?: string;
  me: string;
  emit: (e: FloorEvent) => Promise<void>;
}) {
  // a start-up brought from /listen waits in the speaker's box until the room's first words are said
  const [text, setText] = useState(() => (role === speaker ? firstMessage(lastSpeak) : ''));
  const [minutes, setMinutes] = useState(DEFAULT_TIMEOUT_MINUTES);
  const [gate, setGate] = useState<CheckResult | null>(null);
  const speaking = role === speaker;
  const reflecting = can.includes('reflect');
  const checked = useDebounced((t) => engine.check(t, lastSpeak), reflecting ? text : '');
  // One's own draft is read for risk too (hear and soften): a flagged draft gets safety for its writer,
  // never a gentler rewrite, a steadier suggestion or an interstitial.
  const draft = useDebounced((t) => readDraft(t), speaking || reflecting ? text : '');
  const heard = speaking ? draft?.heard : undefined;
  const softened = draft?.softened;
  const writer = draft?.writer ?? null;
  useEffect(() => {
    const insert = (e: Event) => setText((e as CustomEvent<string>).detail);
    window.addEventListener('steady:insert', insert);
    return () => window.removeEventListener('steady:insert', insert);
  }, []);

  const sendReflection = async (force = false): Promise<void> => {
    if (!text.trim()) return;
    const [r, d] = await Promise.all([engine.check(text, lastSpeak), readDraft(text)]);
    if (!force && !d.writer && r.moves.some((m) => m.kind === 'defensive')) {
      setGate(r);
      return;
    }
    await emit({ kind: 'reflect', by: me, text });
    setText('');
    setGate(null);
  };
  const timeout = (
    <button
      type="button"
      className="quiet"
      onClick={() => void emit({ kind: 'timeout', by: me, at: Date.now(), minutes })}
    >
      Time-out
    </button>
  );

  return (
    <section className="composer" aria-label={speaking ? 'Your turn to speak' : 'Your turn to listen'}>
      {speaking && (can.includes('speak') || can.includes('confirm')) && (
        <>
          <DraftBox
            id="speak"
            label={
              phase === 'confirm'
                ? 'Anything to add? (optional)'
                : phase === 'understood'
                  ? 'Say more, or pass the floor'
                  : 'Say what is true for you'
            }
            value={text}
            onChange={setText}
            spans={heard?.cues ?? []}
            kind="cue"
            onSubmit={() => {
              if (text.trim() && phase !== 'confirm') {
                void emit({ kind: 'speak', by: me, text });
                setText('');
              }
            }}
          />
          {writer ? (
            <SafetyPanel safety={writer.safety} message={writer.message} alert testId="draft-safety" />
          ) : (
            heard &&
            heard.cues.length > 0 && (
              <div className="soften" aria-live="polite">
                <p className="muted">
                  Some words may sound like blame:{' '}
                  {[...new Set(heard.cues.map((c) => c.id.replace(/_/g, ' ')))].join(', ')}.
                </p>
                {softened?.softened && !softened.safety && (
                  <p>
                    A gentler start: “{softened.softened}”{' '}
                    <button type="button" className="link" onClick={() => setText(softened.softened)}>
                      Use this
                    </button>
                  </p>
                )}
              </div>
            )
          )}
          <div className="row">
            {phase === 'confirm' ? (
              <>
                <button
                  type="button"
                  onClick={() => {
                    void emit({ kind: 'confirm', by: me, yes: true });
                    setText('');
                  }}
                >
                  Yes, that's it
                </button>
                <button
                  type="button"
                  onClick={() => {
                    void emit({ kind: 'confirm', by: me, yes: false, ...(text.trim() ? { text } : {}) });
                    setText('');
                  }}
                >
                  Not quite
                </button>
              </>
            ) : (
              <button
                type="button"
                disabled={!text.trim()}
                onClick={() => {
                  void emit({ kind: 'speak', by: me, text });
                  setText('');
                }}
              >
                Send
              </button>
            )}
            {can.includes('pass') && (
              <button type="button" onClick={() => void emit({ kind: 'pass', by: me })}>
                Pass the floor
              </button>
            )}
            {timeout}
          </div>
        </>
      )}
      {speaking && phase === 'reflect' && (
        <p className="muted">Waiting for them to say back what they heard. {timeout}</p>
      )}
      {!speaking && reflecting && (
        <>
          <DraftBox
            id="reflect"
            label="Say back what you heard"
            value={text}
            onChange={setText}
            spans={writer ? [] : (checked?.moves ?? [])}
            kind="move"
            onSubmit={() => void sendReflection()}
            placeholder="It sounds like…"
          />
          {writer ? (
            <SafetyPanel safety={writer.safety} message={writer.message} alert testId="draft-safety" />
          ) : (
            <MoveList result={text.trim() ? checked : null} />
          )}
          <div className="row">
            <button type="button" disabled={!text.trim()} onClick={() => void sendReflection()}>
              Send reflection
            </button>
            {timeout}
          </div>
        </>
      )}
      {!speaking && phase === 'speak' && (
        <p className="muted">They have the floor. Listen for what is beneath the words. {timeout}</p>
      )}
      {!speaking && can.includes('more') && (
        <div className="row">
          <button type="button" onClick={() => void emit({ kind: 'more', by: me })}>
            Is there more?
          </button>
          {timeout}
        </div>
      )}
      <label className="small muted">
        Time-out length{' '}
        <input
          type="number"
          min={1}
          max={120}
          value={minutes}
          onChange={(e) => setMinutes(Number(e.target.value) || DEFAULT_TIMEOUT_MINUTES)}
          aria-label="Time-out minutes"
          style={{ width: '4em' }}
        />{' '}
        minutes
      </label>
      {gate && (
        <Interstitial
          result={gate}
          onRevise={() => {
            setGate(null);
            document.getElementById('reflect')?.focus();
          }}
          onUse={() => {
            setText(gate.suggestion);
            setGate(null);
          }}
          onPause={() => {
            setGate(null);
            void emit({ kind: 'timeout', by: me, at: Date.now(), minutes });
          }}
          onSend={() => void sendReflection(true)}
        />
      )}
    </section>
  );
}

/**
 * The composer while safety comes first: a plain box with a safety-first label, no marks, no steadiness,
 * no interstitial. It sends the event the floor allows (speak, or reflect for the listener), so both
 * screens replay the same log whatever either of them sees.
 */
function SafeComposer({
  can,
  mine,
  replies,
  me,
  emit,
}: {
  can: string[];
  mine: boolean;
  replies: string[];
  me: string;
  emit: (e: FloorEvent) => Promise<void>;
}) {
  const [text, setText] = useState('');
  useEffect(() => {
    // words that could not be sent come back here (see emit)
    const insert = (e: Event) => setText((e as CustomEvent<string>).detail);
    window.addEventListener('steady:insert', insert);
    return () => window.removeEventListener('steady:insert', insert);
  }, []);
  const kind = can.includes('speak') ? 'speak' : can.includes('reflect') ? 'reflect' : null;
  const send = () => {
    if (!kind || !text.trim()) return;
    void emit({ kind, by: me, text });
    setText('');
  };
  const timeout = can.includes('timeout') && (
    <button
      type="button"
      className="quiet"
      onClick={() => void emit({ kind: 'timeout', by: me, at: Date.now(), minutes: DEFAULT_TIMEOUT_MINUTES })}
    >
      Time-out
    </button>
  );
  return (
    <section className="composer" aria-label="Safety first: write plainly">
      {kind ? (
        <>
          <DraftBox
            id="safe-draft"
            value={text}
            onChange={setText}
            spans={[]}
            kind="cue"
            onSubmit={send}
            label={
              mine
                ? 'Safety first: say what you need right now'
                : 'Safety first: ask if they are safe, or say what you need'
            }
            placeholder={mine ? 'I need…' : 'Are you safe right now?'}
          />
          <SafetyReplies replies={replies} onUse={setText} />
          <div className="row">
            <button type="button" disabled={!text.trim()} onClick={send}>
              Send
            </button>
            {timeout}
          </div>
        </>
      ) : (
        <p className="muted">They can write next, then you can answer. {timeout}</p>
      )}
    </section>
  );
}

function TimeOut({
  t,
  byName,
  safety,
  onResume,
}: {
  t: { at: number; minutes: number };
  byName: string;
  safety: boolean;
  onResume: () => void;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);
  const left = Math.max(0, t.at + t.minutes * 60000 - now);
  const mm = Math.floor(left / 60000),
    ss = Math.floor((left % 60000) / 1000);
  const back = new Date(t.at + t.minutes * 60000);
  return (
    <section className="timeout" aria-label="Time-out">
      <h2>A pause, with a way back</h2>
      <p>
        {byName} called a time-out. You'll come back at{' '}
        <strong>{back.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</strong>.
      </p>
      <p className="timer" role="timer" aria-live="off">
        {String(mm).padStart(2, '0')}:{String(ss).padStart(2, '0')}
      </p>
      {safety ? (
        <p>
          Use the time to get safe and reach the help above; there is nothing here to settle or soothe first.
        </p>
      ) : (
        <ul>
          {SOOTHE.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onResume}>
        Resume the conversation
      </button>
    </section>
  );
}

function Tools({
  turns,
  people,
  id,
  auth,
}: {
  turns: Turn[];
  people: Record<string, { name: string } | undefined>;
  id: string;
  auth: string;
}) {
  const download = (name: string, type: string, body: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([body], { type }));
    a.download = name;
    a.click();
  };
  const markdown = () =>
    `${[
      '# Steady conversation',
      '',
      ...turns.map((t) => `- **${people[t.role]?.name ?? t.role}** ${describe(t)}`),
    ].join('\n')}\n`;
  return (
    <footer className="tools">
      <button
        type="button"
        className="quiet"
        onClick={() => download('steady-conversation.md', 'text/markdown', markdown())}
      >
        Export Markdown
      </button>
      <button
        type="button"
        className="quiet"
        onClick={() =>
          download('steady-conversation.json', 'application/json', JSON.stringify({ people, turns }, null, 2))
        }
      >
        Export JSON
      </button>
      <button
        type="button"
        className="quiet danger"
        onClick={async () => {
          if (!confirm('Delete this conversation for good, for both of you?')) return;
          const r = await fetch(`/api/rooms/${id}`, {
            method: 'DELETE',
            headers: { 'x-steady-auth': auth },
          }).catch(() => null);
          if (r?.status === 204) {
            localStorage.removeItem(`steady:pending:${id}`);
            localStorage.removeItem(`steady:safe:${id}`);
            localStorage.removeItem(`steady:chain:${id}`);
            await forgetIdentity(id);
            location.href = '/';
          } else {
            // say so: a person who asked for deletion must not believe it happened
            const why = r
              ? ((await r.json().catch(() => null)) as { message?: string } | null)?.message
              : null;
            alert(
              `The conversation was not deleted: ${why ?? 'the server could not be reached'}. Try again.`,
            );
          }
        }}
      >
        Delete for good
      </button>
    </footer>
  );
}
