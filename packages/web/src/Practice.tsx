// Practice in the browser: pick a scenario, reply, get feedback at once, see how they answer; progress
// across attempts. The engine runs in the worker; attempts stay in IndexedDB.
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  RELATIONSHIPS,
  RELATIONSHIP_NAMES,
  TREND_MIN,
  attemptOf,
  progress,
  respond,
  scenario as byId,
  scenarios,
  start,
  stepsOf,
  suggest,
  type Attempt,
  type Feedback,
  type Relationship,
  type Session,
} from '@steady/practice';
import type { CheckResult } from '@steady/engine';
import { engine } from './engine';
import { attempts } from './attempts';
import { DraftBox, MoveList, useDebounced } from './ui';

export function PracticeHome() {
  const [filter, setFilter] = useState<Relationship | ''>('');
  const [done, setDone] = useState<Attempt[]>([]);
  useEffect(() => {
    attempts.all().then(setDone, () => {});
  }, []);
  const tried = useMemo(() => new Set(done.map((a) => a.scenario)), [done]);
  const shown = scenarios.filter((s) => !filter || s.relationship === filter);
  return (
    <main className="practice">
      <h1>Practice</h1>
      <p className="lede">
        Staying steady is a skill. Answer someone in pain, see what your reply does, and how they answer it.
      </p>
      <div className="row">
        <a className="button" href={`/practice/${suggest(shown, done).id}`} data-testid="random">
          A scenario I haven't tried
        </a>
        <a className="button quiet" href="/practice/progress">
          My progress
        </a>
        <label htmlFor="rel">Relationship</label>
        <select id="rel" value={filter} onChange={(e) => setFilter(e.target.value as Relationship | '')}>
          <option value="">All</option>
          {RELATIONSHIPS.map((r) => (
            <option key={r} value={r}>
              {RELATIONSHIP_NAMES[r]}
            </option>
          ))}
        </select>
      </div>
      {RELATIONSHIPS.filter((r) => !filter || r === filter).map((r) => (
        <section key={r} aria-labelledby={`h-${r}`}>
          <h2 id={`h-${r}`}>{RELATIONSHIP_NAMES[r]}</h2>
          <ul className="scenarios">
            {shown
              .filter((s) => s.relationship === r)
              .map((s) => (
                <li key={s.id}>
                  <a href={`/practice/${s.id}`}>{s.title}</a>
                  {tried.has(s.id) && <span className="muted small"> · practised</span>}
                </li>
              ))}
          </ul>
        </section>
      ))}
    </main>
  );
}

export function PracticePlay({ id }: { id: string }) {
  const s = byId(id);
  const [session, setSession] = useState<Session | null>(() => (s ? start(s) : null));
  const [reply, setReply] = useState('');
  const [feedback, setFeedback] = useState<Feedback[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const message = session?.transcript.at(-1)?.text ?? '';
  const live = useDebounced<CheckResult>((t) => engine.check(t, message), reply);
  if (!s || !session)
    return (
      <main>
        <h1>No such scenario</h1>
        <p>
          <a href="/practice">All scenarios</a>
        </p>
      </main>
    );

  const submit = async () => {
    if (!reply.trim() || busy || session.done) return;
    setBusy(true);
    setError('');
    try {
      const step = respond(s, session, reply.trim(), await engine.check(reply.trim(), message));
      await attempts.add(attemptOf(step.session, step.feedback, new Date(), crypto.randomUUID()));
      setFeedback((f) => [...f, step.feedback]);
      setSession(step.session);
      setReply('');
    } catch (e) {
      setError(`Could not record that reply: ${(e as Error).message}. Your text is still in the box.`);
    } finally {
      setBusy(false);
    }
  };
  const mean = feedback.length
    ? Math.round(feedback.reduce((a, f) => a + f.steadiness, 0) / feedback.length)
    : 0;
  return (
    <main className="practice">
      <p>
        <a href="/practice">← All scenarios</a>
      </p>
      <h1 ref={heading}>{s.title}</h1>
      <p className="muted">
        {RELATIONSHIP_NAMES[s.relationship]} · {stepsOf(s)} replies
        {s.source === 'essay' ? ' · from the essay Steady grows from' : ''}
      </p>
      <p className="context">{s.context}</p>
      <ol className="conversation" aria-label="The conversation" aria-live="polite">
        {session.transcript.map((t, i) => {
          const f = t.who === 'you' ? feedback[(i - 1) / 2] : undefined;
          return (
            <li key={i} className={`turn ${t.who === 'you' ? 'mine' : 'theirs'}`}>
              <span className="who">{t.who === 'you' ? 'You' : 'They'}: </span>
              {t.text}
              {f && <FeedbackCard f={f} />}
            </li>
          );
        })}
      </ol>
      {session.done ? (
        <section className="card" aria-label="Conversation done" data-testid="done">
          <h2>Conversation done</h2>
          <p>
            {feedback.length} replies, mean steadiness <strong>{mean}</strong>/100.
          </p>
          <div className="row">
            <a className="button" href={`/practice/${suggest(scenarios, []).id}`}>
              Another scenario
            </a>
            <a className="button quiet" href="/practice/progress">
              My progress
            </a>
          </div>
        </section>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DraftBox
            id="practice-reply"
            label="Your reply"
            value={reply}
            onChange={setReply}
            spans={live?.moves ?? []}
            kind="move"
            onSubmit={() => void submit()}
            placeholder="It sounds like…"
          />
          <div className="row">
            <button type="submit" disabled={busy || !reply.trim()}>
              Reply
            </button>
            <span className="muted small">Ctrl+Enter replies. Marks appear as you write.</span>
          </div>
          {error && (
            <p role="alert" className="problem">
              {error}
            </p>
          )}
        </form>
      )}
    </main>
  );
}

function FeedbackCard({ f }: { f: Feedback }) {
  const how =
    f.branch === 'steady'
      ? 'They open up'
      : f.reaction === 'withdraw'
        ? 'They pull away'
        : f.reaction === 'escalate'
          ? 'They push harder'
          : 'They close';
  return (
    <section className={`feedback ${f.branch}`} aria-label="Feedback on your reply" data-testid="feedback">
      <MoveList
        result={{
          text: f.reply,
          moves: f.moves,
          steadiness: f.steadiness,
          pause: f.pause,
          suggestion: f.model,
          heat: 0,
        }}
      />
      <dl>
        <dt>Beneath their words</dt>
        <dd>{f.beneath}</dd>
        <dt>A reply that would meet it</dt>
        <dd className="model">“{f.model}”</dd>
        <dt>{how}</dt>
        <dd className="muted" data-testid="reason">
          {f.reason}
        </dd>
      </dl>
    </section>
  );
}

export function PracticeProgress() {
  const [list, setList] = useState<Attempt[] | null>(null);
  const [note, setNote] = useState('');
  useEffect(() => {
    attempts.all().then(setList, (e) => setNote(`Could not read your attempts: ${(e as Error).message}`));
  }, []);
  if (!list)
    return (
      <main className="practice">
        <h1>My progress</h1>
        <p>{note || 'Loading…'}</p>
      </main>
    );
  const p = progress(list, scenarios);
  const download = () => {
    const blob = new Blob([JSON.stringify({ exported: new Date().toISOString(), attempts: list }, null, 2)], {
      type: 'application/json',
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'steady-practice.json';
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const wipe = async () => {
    if (!confirm('Delete all your practice attempts from this browser for good?')) return;
    await attempts.clear();
    setList([]);
    setNote('All attempts deleted.');
  };
  const top = p.leanOn[0]?.count ?? 1;
  return (
    <main className="practice">
      <p>
        <a href="/practice">← All scenarios</a>
      </p>
      <h1>My progress</h1>
      {note && <p role="status">{note}</p>}
      {p.attempts === 0 ? (
        <p>
          No practice yet. <a href="/practice">Pick a scenario</a>.
        </p>
      ) : (
        <>
          <p data-testid="summary">
            {plural(p.attempts, 'reply', 'replies')} in {plural(p.scenarios, 'scenario', 'scenarios')},{' '}
            {p.finished} finished. Mean steadiness <strong>{p.mean}</strong>
            {p.trend
              ? `; your first ${plural(p.trend.window, 'reply', 'replies')} averaged ${p.trend.first}, your last ${p.trend.window} ${p.trend.last}.`
              : `. With ${TREND_MIN} replies or more, you will see whether it is changing.`}
          </p>
          <SteadinessChart values={p.series.map((x) => x.steadiness)} />
          <h2>The defensive moves you lean on</h2>
          {p.leanOn.length === 0 ? (
            <p>None so far.</p>
          ) : (
            <ul className="bars" aria-label="Defensive moves, most used first">
              {p.leanOn.map((m) => (
                <li key={m.id}>
                  <span className="bar-label">{m.label}</span>
                  <span className="bar" style={{ width: `${(m.count / top) * 60}%` }} aria-hidden="true" />
                  <span>{m.count}</span>
                </li>
              ))}
            </ul>
          )}
          {p.steadyMoves.length > 0 && (
            <p className="muted">
              Steady moves you use: {p.steadyMoves.map((m) => `${m.label} (${m.count})`).join(', ')}
            </p>
          )}
        </>
      )}
      <div className="tools">
        <button type="button" onClick={download} disabled={!list.length}>
          Export my attempts (JSON)
        </button>
        <button type="button" className="quiet" onClick={() => void wipe()} disabled={!list.length}>
          Delete all attempts
        </button>
      </div>
    </main>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Steadiness per reply as a line over a 0..100 axis, with the numbers in a table for screen readers. */
function SteadinessChart({ values }: { values: number[] }) {
  // Drawn at the width it is shown at (one unit, one pixel), so its labels stay readable on a phone
  // instead of shrinking with a scaled viewBox.
  const [w, setW] = useState(640);
  const figure = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = figure.current;
    if (!el) return;
    const fit = () => setW(Math.max(240, Math.min(640, Math.floor(el.getBoundingClientRect().width))));
    fit();
    const o = new ResizeObserver(fit);
    o.observe(el);
    return () => o.disconnect();
  }, []);
  const h = 200,
    left = 34,
    pad = 10;
  const x = (i: number) =>
    left + (values.length === 1 ? (w - left - pad) / 2 : (i / (values.length - 1)) * (w - left - pad));
  const y = (v: number) => pad + (1 - v / 100) * (h - 2 * pad - 14);
  const pts = values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  return (
    <figure className="chart" ref={figure}>
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`Steadiness over ${values.length} replies, from ${values[0]} to ${values.at(-1)}`}
        data-testid="chart"
      >
        {[0, 50, 100].map((g) => (
          <g key={g}>
            <line x1={left} x2={w - pad} y1={y(g)} y2={y(g)} stroke="#e4ddd3" />
            <text x={left - 6} y={y(g) + 4} textAnchor="end" fontSize="12" fill="#6b7472">
              {g}
            </text>
          </g>
        ))}
        <polyline points={pts} fill="none" stroke="#2f6f62" strokeWidth="2" />
        {values.map((v, i) => (
          <circle
            key={i}
            cx={x(i)}
            cy={y(v)}
            r="3.5"
            fill={v >= 70 ? '#2f6f62' : v >= 40 ? '#c08a2b' : '#a33b2b'}
          />
        ))}
        <text x={left} y={h - 2} fontSize="12" fill="#6b7472">
          oldest
        </text>
        <text x={w - pad} y={h - 2} fontSize="12" fill="#6b7472" textAnchor="end">
          newest
        </text>
      </svg>
      <figcaption>Steadiness per reply, oldest to newest.</figcaption>
      <details>
        <summary>The numbers</summary>
        <ol className="small">
          {values.map((v, i) => (
            <li key={i}>{v}</li>
          ))}
        </ol>
      </details>
    </figure>
  );
}
