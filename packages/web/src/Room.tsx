// The room for two: the floor, the engine beside each person, and nothing lost.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Safety } from '@steady/engine';
import {
  allowed,
  replay,
  roleOf,
  other,
  roleLine,
  type FloorEvent,
  type Role,
  type Turn,
} from '@steady/protocol';
import { importRoomKey, keyFromFragment, type RoomKey } from './room-crypto/index.ts';
import { IntegrityNotices } from './Integrity';
import { engine } from './engine';
import { useRoomLog } from './outbox';
import { Conversation, turnOf } from './Conversation';
import { Composer, SafeComposer } from './Composer';
import { TimeOut } from './TimeOut';
import { InvitePage, ShareLink } from './Invite';
import { startKey, type StartChoice } from './Start';
import { DeleteNotice, exportMarkdown, Tools, useRoomActions } from './Tools';
import { registerSeat, seatOf } from './seat';
import { forWriter, SafetyPanel, useModels, type ForWriter } from './ui';

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

function useFlags(turns: Turn[], relationship?: string): Flag[] {
  const [flags, setFlags] = useState<Flag[]>([]);
  const asked = useRef(0); // the log only grows: each message is read once
  // Messages read while the learned models could not load were read by the rules alone: when the models
  // arrive after all (Try again), every message is read again, so no model-only safety flag is missed.
  const models = useModels().state;
  const failedOnce = useRef(false);
  if (models === 'failed') failedOnce.current = true;
  if (models === 'ready' && failedOnce.current) {
    failedOnce.current = false;
    asked.current = 0;
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs as the log grows, and once more when the models arrive late
  useEffect(() => {
    for (let i = asked.current; i < turns.length; i++) {
      const { text, role } = turns[i]!;
      if (!text) continue;
      void engine.hear(text).then(
        async (r) => {
          if (!r.safety) return;
          const s = await engine.soften(text, relationship);
          const flag: Flag = { index: i, role, heard: r.safety, softened: s.safety, replies: r.replies };
          setFlags((prev) => [...prev.filter((f) => f.index !== i), flag].sort((a, b) => a.index - b.index));
        },
        () => {},
      );
    }
    asked.current = turns.length;
  }, [turns.length, models]);
  return flags;
}

export function Room({ id }: { id: string }) {
  const [key, setKey] = useState<RoomKey | null>(null);
  const [keyProblem, setProblem] = useState<string | null>(null);
  const seat = useMemo(() => seatOf(id), [id]);
  const me = seat.me;
  const [name, setName] = useState(() => localStorage.getItem('steady:name') ?? '');

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key is read from the link again when the room changes
  useEffect(() => {
    const link = keyFromFragment(location.hash);
    if ('error' in link) {
      setProblem(link.error);
      return;
    }
    importRoomKey(link.secret).then(setKey, (e: Error) => setProblem(e.message));
  }, [id]);
  const log = useRoomLog(id, key, me, seat.grant, seat);
  const { events, pending, emit } = log;
  const problem = keyProblem ?? log.problem;
  const connected = log.online && log.status === 'online';

  // What the server stored, and (on this screen) the same with this device's outbox played on top:
  // one's own message shows, and the floor moves, at once, online or not. Safety reads stored turns.
  const stored = useMemo(() => replay(events), [events]);
  const floor = useMemo(
    () => (pending.length ? replay([...events, ...pending.map((p) => p.event)]) : stored),
    [events, pending, stored],
  );
  const role = roleOf(floor, me);
  const can = role ? allowed(floor, role) : [];

  // After joining and after every send, focus goes where this person acts next: the box to write in,
  // else the pause, else the composer's note of what they wait for, else the link to share.
  const focusNext = useRef(false);
  const send = async (e: FloorEvent): Promise<void> => {
    focusNext.current = true;
    await emit(e);
  };
  const actions = useRoomActions(id, key?.auth ?? '', seat);
  // A member's seat is known to the server (by a hash), so that only the two of them may delete.
  const member = role !== null && !pending.some((p) => p.event.kind === 'join');
  useEffect(() => {
    if (key && member) void registerSeat(id, key.auth, seat).catch(() => {});
  }, [key, member, id, seat]);

  // The one who made the room is seated as it opens, with what they chose (kept until now by Start).
  const [starting, setStarting] = useState(() => localStorage.getItem(startKey(id)) !== null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the log can sign (key and identity ready)
  useEffect(() => {
    const raw = log.ready && localStorage.getItem(startKey(id));
    if (!raw) return;
    localStorage.removeItem(startKey(id));
    try {
      const c = JSON.parse(raw) as StartChoice;
      void send({
        kind: 'join',
        by: me,
        name: c.name || 'Someone',
        relationship: c.relationship,
        first: c.first,
      });
    } catch {
      setStarting(false); // a broken record: the invite page's join form instead
    }
  }, [log.ready]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the floor has moved after a send
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    const el =
      document.querySelector<HTMLElement>('.composer textarea') ??
      document.querySelector<HTMLElement>('.timeout') ??
      document.querySelector<HTMLElement>('.composer') ??
      document.querySelector<HTMLElement>('[data-testid="room-link"]');
    el?.focus();
  }, [floor]);

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
  const flags = useFlags(stored.turns, stored.relationship ?? undefined);
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
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when a new flag pauses the floor
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
        <div className="floor-line">
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
          <p className="muted small status">
            <span className="sr-only">Status: </span>
            <span data-testid="status">
              {connected
                ? 'online'
                : !log.online
                  ? 'offline'
                  : log.status === 'waiting' && log.detail
                    ? `waiting: ${log.detail}`
                    : log.status}
            </span>
            {pending.length ? ` · ${pending.length} waiting to send` : ''}
          </p>
        </div>
        {role && (
          <p className="role-line" data-testid="role-line">
            {paused
              ? 'Coaching is paused: safety comes before anything else.'
              : role === floor.speaker
                ? roleLine('speaker', floor.people[other(role)]?.name ?? 'The other person')
                : roleLine('listener', floor.people[other(role)]?.name ?? 'The other person')}
          </p>
        )}
      </header>
      <IntegrityNotices notices={log.notices} />

      {log.deleteAt !== null && (
        <DeleteNotice
          at={log.deleteAt}
          member={joined}
          onExport={() => exportMarkdown(floor.turns, floor.people)}
          actions={actions}
        />
      )}
      {(!log.online || log.status === 'offline') && (
        <div className="offline-banner" role="status" data-testid="offline">
          <p>
            <strong>{log.online ? 'Reconnecting…' : 'You are offline.'}</strong> What you write stays on this
            device and is sent, once, when the connection is back.
          </p>
          {log.online && (
            <button type="button" className="quiet" onClick={log.retry}>
              Try now
            </button>
          )}
        </div>
      )}
      {!joined && !full && (log.loaded || pending.length > 0) && !starting && (
        <InvitePage
          floor={floor}
          name={name}
          setName={setName}
          onJoin={() => {
            localStorage.setItem('steady:name', name);
            void send({ kind: 'join', by: me, name: name.trim() || 'Someone' });
          }}
        />
      )}
      {!joined && !full && !log.loaded && !pending.length && <p className="muted">Opening the room…</p>}
      {full && <p role="alert">This room already has two people.</p>}
      {joined && (!floor.people.a || !floor.people.b) && (
        <section className="invite" aria-label="Invite the other person">
          <p>Waiting for the other person. Send them this link; the key after # never reaches the server.</p>
          <ShareLink link={location.href} />
        </section>
      )}

      <Conversation
        turns={stored.turns}
        people={floor.people}
        myRole={role}
        flagged={flags.map((f) => f.index)}
        coaching={!paused}
        heatOf={stored.turns}
        pending={pending.flatMap((p) => turnOf(p.event, role ?? 'a') ?? [])}
        connected={connected}
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
          mine={role === floor.timeout.by}
          member={role !== null}
          byName={floor.people[floor.timeout.by]?.name ?? ''}
          safety={paused}
          onResume={(at) => void send({ kind: 'resume', by: me, at })}
          onExtend={(minutes, at) => void send({ kind: 'extend', by: me, at, minutes })}
          early={
            floor.early
              ? {
                  mine: floor.early.role === role,
                  name: floor.people[floor.early.role]?.name ?? '',
                  at: floor.early.at,
                  until: floor.early.until,
                }
              : null
          }
        />
      ) : role && floor.people.b ? (
        paused ? (
          <SafeComposer
            can={can}
            mine={mine}
            replies={mine ? [] : (latest?.replies ?? [])}
            me={me}
            emit={send}
            room={id}
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
            emit={send}
            room={id}
            relationship={floor.relationship ?? undefined}
          />
        )
      ) : null}
      <Tools
        turns={floor.turns}
        people={floor.people}
        seat={seat}
        member={joined}
        otherName={(role && floor.people[other(role)]?.name) || 'The other person'}
        actions={actions}
        handOver={() => log.handOver((role && floor.people[role]?.name) || name.trim() || 'Someone')}
      />
    </main>
  );
}
