// A time-out: a pause with a way back, its timer, and what to do meanwhile.
import { useEffect, useState } from 'react';

const SOOTHE = [
  'Breathe out slowly, longer than you breathe in.',
  'Step outside or get a glass of water.',
  'Notice five things you can see.',
  'Do not rehearse your side: let the body settle first.',
];

export function TimeOut({
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
