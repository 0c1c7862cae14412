// Be heard first (/listen): a solo space before the conversation. The person writes what hurts, a message
// at a time; Steady says back what it heard and asks whether there is more; "Not quite" corrects it. At
// "That's it": what was beneath, and a gentle start-up to take into a room or send elsewhere. Safety
// first, as everywhere: help, never coaching, and no start-up. The session stays in IndexedDB.
import { useEffect, useRef, useState } from 'react';
import type { ListenInput, Safety } from '@steady/engine';
import { randomId } from './crypto';
import { engine } from './engine';
import { listening, type StoredSession } from './listening';
import { openRoom } from './rooms';
import { SafetyPanel } from './ui';

const fresh = (): StoredSession => ({ id: randomId(), at: Date.now(), turns: [], result: null });

/** "that's it" typed as a message ends the session too (the engine's isDone, kept here so the page
 * does not load the engine outside its worker). */
const DONE = /^((yes|yeah|ok|okay) )?(thats it|that is it)( thanks| thank you)?$/;
const done = (s: string) =>
  DONE.test(
    s
      .toLowerCase()
      .replace(/[\u2018\u2019']/g, '')
      .replace(/[^a-z ]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

export function Listen() {
  const [s, setS] = useState<StoredSession | null>(null);
  const [text, setText] = useState('');
  const [correcting, setCorrecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [startup, setStartup] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const summary = useRef<HTMLHeadingElement>(null);
  const startupBox = useRef<HTMLTextAreaElement>(null);
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    listening.latest().then(
      (x) => {
        setS(x ?? fresh());
        setStartup(x?.result?.startup ?? '');
      },
      (e: Error) => {
        setProblem(`This browser could not keep the session (${e.message}); it will be lost on reload.`);
        setS(fresh());
      },
    );
  }, []);

  if (!s)
    return (
      <main className="listen">
        <p>Opening…</p>
      </main>
    );

  const history: ListenInput[] = s.turns.map((t) => ({ text: t.text, correction: t.correction }));
  const save = async (next: StoredSession) => {
    setS(next);
    try {
      await listening.save(next);
    } catch (e) {
      setProblem(`Could not save on this device: ${(e as Error).message}`);
    }
  };

  const finish = async () => {
    if (!s.turns.length) return;
    setBusy(true);
    try {
      const result = await engine.listenFinish(s.id, history);
      setStartup(result.startup ?? '');
      await save({ ...s, at: Date.now(), result });
      setText('');
      // after "that's it", focus goes to what comes next: the summary, or help when safety is set
      requestAnimationFrame(() => (result.safety ? panel.current : summary.current)?.focus());
    } catch (e) {
      setProblem(`Something went wrong: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    const t = text.trim();
    if (!t || busy) return;
    if (done(t)) return finish();
    setBusy(true);
    try {
      const correction = correcting && s.turns.length > 0;
      const r = await engine.listen(s.id, t, correction, history);
      // the box empties as the reflection appears, before the save, so nothing typed meanwhile is lost
      setText('');
      setCorrecting(false);
      await save({
        ...s,
        at: Date.now(),
        turns: [
          ...s.turns,
          { text: t, reflection: r.text, ...(correction ? { correction } : {}), safety: r.safety },
        ],
      });
      box.current?.focus();
    } catch (e) {
      // what they wrote stays in the box
      setProblem(`Something went wrong: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await listening.remove(s.id);
      setS(fresh());
      setStartup('');
      setText('');
      setCorrecting(false);
      setStatus('The session is deleted from this device.');
    } catch (e) {
      setProblem(`Could not delete: ${(e as Error).message}`);
    }
  };

  const exportJson = () => {
    const body = s.result ?? {
      turns: s.turns.map(({ text, reflection, correction }) => ({ text, reflection, correction })),
    };
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(body, null, 2)}\n`], { type: 'application/json' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = `steady-listen-${new Date(s.at).toISOString().slice(0, 10)}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setStatus('Exported as a JSON file.');
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(startup);
      setStatus('Copied. Send it wherever you talk.');
    } catch {
      startupBox.current?.select();
      setStatus('Selected: copy it with your keyboard (Ctrl+C or Cmd+C).');
    }
  };

  const take = async () => {
    setBusy(true);
    try {
      await openRoom(startup);
    } catch (e) {
      setProblem(`Could not open a room: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  const result = s.result;
  const safety: Safety | null = result?.safety ?? s.turns.find((t) => t.safety)?.safety ?? null;
  const last = s.turns.at(-1);

  return (
    <main className="listen">
      <h1>Be heard first</h1>
      <p className="lede">
        Before the conversation, say it here: what hurts, in as many messages as you need. Steady says back
        what it heard, and asks whether there is more. Nothing leaves this device.
      </p>

      {s.turns.length > 0 && (
        <section aria-label="What you said and what Steady heard">
          <ol className="listen-log">
            {s.turns.map((t, i) => (
              <li key={i}>
                <p className="said">
                  <span className="who">{t.correction ? 'You, correcting:' : 'You:'}</span> {t.text}
                </p>
                <p className="heard" data-testid="reflection" data-safety={t.safety?.id}>
                  <span className="who">Steady:</span>{' '}
                  {/* help is said once, in the safety panel, not twice on one screen */}
                  {t.safety ? 'Before anything else: your safety. The help is below.' : t.reflection}
                </p>
              </li>
            ))}
          </ol>
        </section>
      )}
      {/* the newest reflection, read out once for screen readers */}
      <p className="sr-only" role="status" aria-live="polite">
        {last && !result ? `Steady: ${last.reflection}` : ''}
      </p>

      {safety && (
        <SafetyPanel safety={safety} message={safety.message} alert testId="listen-safety" panelRef={panel}>
          <p className="way-back muted">
            {result
              ? 'No start-up and no coaching for this conversation: help comes first.'
              : 'You can keep writing here. There will be no start-up for this conversation: help comes first.'}
          </p>
        </SafetyPanel>
      )}

      {!result && (
        <form
          className="listen-compose"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor="listen-text">
            {correcting ? 'What did I miss?' : s.turns.length ? 'Is there more? Say it here' : 'What hurts?'}
          </label>
          <textarea
            id="listen-text"
            ref={box}
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void send();
              }
            }}
            placeholder={s.turns.length ? '' : 'My sister keeps joking about my weight at dinner.'}
          />
          <div className="row">
            <button type="submit" disabled={busy || !text.trim()}>
              {correcting ? 'Send the correction' : 'Send'}
            </button>
            {s.turns.length > 0 && !correcting && (
              <button
                type="button"
                className="quiet"
                onClick={() => {
                  setCorrecting(true);
                  box.current?.focus();
                }}
              >
                Not quite
              </button>
            )}
            {correcting && (
              <button type="button" className="quiet" onClick={() => setCorrecting(false)}>
                Cancel the correction
              </button>
            )}
            {s.turns.length > 0 && (
              <button type="button" onClick={() => void finish()} disabled={busy}>
                That's it
              </button>
            )}
          </div>
        </form>
      )}

      {result && !result.safety && (
        <section className="card" aria-labelledby="listen-beneath">
          <h2 id="listen-beneath" tabIndex={-1} ref={summary}>
            What was beneath
          </h2>
          <p data-testid="beneath">{result.beneath}</p>
          <dl>
            <dt>Feelings</dt>
            <dd>
              {result.feelings
                .slice(0, 3)
                .map((f) => f.id)
                .join(', ') || 'none named'}
            </dd>
            <dt>Needs</dt>
            <dd>
              {result.needs
                .slice(0, 3)
                .map((n) => n.id)
                .join(', ') || 'none named'}
            </dd>
          </dl>
        </section>
      )}
      {result && !result.safety && result.startup && (
        <section className="card" aria-labelledby="listen-startup-h">
          <h2 id="listen-startup-h">A gentle start-up{result.who ? ` for ${result.who}` : ''}</h2>
          <p className="muted">
            It keeps what happened and leaves out the blame. Change any word that is not yours.
          </p>
          <label htmlFor="listen-startup">Your start-up</label>
          <textarea
            id="listen-startup"
            ref={startupBox}
            rows={4}
            value={startup}
            onChange={(e) => setStartup(e.target.value)}
          />
          <div className="row">
            <button type="button" onClick={() => void take()} disabled={busy || !startup.trim()}>
              Open a room with it
            </button>
            <button type="button" className="quiet" onClick={() => void copy()} disabled={!startup.trim()}>
              Copy it
            </button>
          </div>
          <p className="muted small">
            In the room it waits in your box as the first thing you say; nothing is sent until you send it.
          </p>
        </section>
      )}

      {s.turns.length > 0 && (
        <section className="row" aria-label="This session">
          <button type="button" className="quiet" onClick={exportJson}>
            Export (JSON)
          </button>
          <button type="button" className="quiet danger" onClick={() => void remove()}>
            Delete this session
          </button>
        </section>
      )}
      <p className="muted small" role="status">
        {status}
      </p>
      {problem && (
        <p role="alert" className="problem">
          {problem}
        </p>
      )}
    </main>
  );
}
