// A time-out: a pause with a way back, its timer, and what to do meanwhile.
import { useEffect, useRef, useState } from 'react';
import { minutesText, timeoutEnd } from '@steady/protocol';

const SOOTHE = [
  'Breathe out slowly, longer than you breathe in.',
  'Step outside or get a glass of water.',
  'Notice five things you can see.',
  'Do not rehearse your side: let the body settle first.',
];

const clockText = (ms: number): string =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** What "more time" asks for at the end of a time-out. */
export const EXTEND_MINUTES = 10;

/**
 * The pause. Its caller may come back at any time; the other person waits for the timer (the pause is
 * for the one who asked for it). At 00:00 both get the same gentle prompt: come back, or take longer.
 */
export function TimeOut({
  t,
  mine,
  member,
  byName,
  safety,
  onResume,
  onExtend,
  early,
}: {
  t: { at: number; minutes: number };
  /** This person called it. */
  mine: boolean;
  /** This person has a seat (a visitor sees the pause, not its buttons). */
  member: boolean;
  byName: string;
  safety: boolean;
  onResume: (at: number) => void;
  onExtend: (minutes: number, at: number) => void;
  /** The other person's try to end it before its time, refused by the floor (floor.ts `early`): `mine`
   * when this person made it, `name` of who did. */
  early?: { mine: boolean; name: string; at: number | null; until: number } | null;
}) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);
  const end = timeoutEnd(t);
  const left = Math.max(0, end - now);
  const mm = Math.floor(left / 60000),
    ss = Math.floor((left % 60000) / 1000);
  const back = new Date(end).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const up = left === 0;
  const prompt = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (up) prompt.current?.focus();
  }, [up]);
  return (
    <section className="timeout" tabIndex={-1} aria-label="Time-out">
      <h2>A pause, with a way back</h2>
      <p data-testid="timeout-who">
        {mine ? 'You' : byName} called a time-out for {minutesText(t.minutes)}.{' '}
        {up ? null : (
          <>
            You'll come back at <strong>{back}</strong>.
          </>
        )}
      </p>
      {early ? (
        <p className="early" role="status" data-testid="timeout-early">
          {early.mine
            ? `Your return ${early.at === null ? 'said no time' : `reached the server at ${clockText(early.at)}`}, before ${byName}'s time-out ends at ${clockText(early.until)} (the server's clock), so it was not taken: the pause goes on. Only ${byName} can end it early.`
            : `${early.name} tried to end ${mine ? 'your' : 'this'} time-out before its time; it goes on.`}
        </p>
      ) : null}
      <p className="timer" role="timer" aria-live="off">
        {String(mm).padStart(2, '0')}:{String(ss).padStart(2, '0')}
      </p>
      {up && member ? (
        <div className="time-up" role="status" tabIndex={-1} ref={prompt} data-testid="time-up">
          <p>
            <strong>The time is up.</strong> Come back when you are ready, or take a little longer: either is
            fine.
          </p>
          <div className="row">
            <button type="button" onClick={() => onResume(Date.now())}>
              Come back to the conversation
            </button>
            <button type="button" className="quiet" onClick={() => onExtend(EXTEND_MINUTES, Date.now())}>
              {minutesText(EXTEND_MINUTES)} more
            </button>
          </div>
        </div>
      ) : safety ? (
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
      {!up &&
        member &&
        (mine ? (
          <button type="button" onClick={() => onResume(Date.now())}>
            I'm ready: end the time-out
          </button>
        ) : (
          <p className="muted small">
            {byName} asked for this pause, so only they can end it early. When the timer ends, you can both
            come back.
          </p>
        ))}
    </section>
  );
}
