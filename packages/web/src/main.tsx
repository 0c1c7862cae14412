// Steady's web app: home, the room for two (/room/:id#k=key), the solo lens (/lens) and being heard first
// (/listen).
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { CheckResult, HearResult } from '@steady/engine';
import { engine } from './engine';
import { DraftBox, HearPanel, MoveList, readDraft, SafetyPanel, useDebounced } from './ui';
import { Room } from './Room';
import { StartRoom } from './Start';
import { PracticeHome, PracticePlay, PracticeProgress } from './Practice';
import { Listen } from './Listen';
import './style.css';

function Home() {
  return (
    <main className="home">
      <h1>Steady</h1>
      <p className="lede">
        Most hurt is not an attack but an echo. Steady gives two people the frame a therapist has: one story
        at a time, held by the other's calm attention.
      </p>
      <StartRoom />
      <section className="card">
        <h2>Be heard first</h2>
        <p className="muted">
          Before the conversation, say what hurts to a listener that only reflects. At the end: what was
          beneath, and a gentle way to start. Nothing leaves this device.
        </p>
        <a className="button" href="/listen">
          Start listening
        </a>
      </section>
      <section className="card">
        <h2>The lens, on your own</h2>
        <p className="muted">
          Paste a message you received and the reply you are drafting. Nothing leaves this device.
        </p>
        <a className="button" href="/lens">
          Open the lens
        </a>
      </section>
      <section className="card">
        <h2>Practice</h2>
        <p className="muted">
          Sixty realistic moments (partners, parents and teenagers, friends, coworkers, therapist and client).
          Reply, see what your words do, and how the other person answers. Your attempts stay in this browser.
        </p>
        <a className="button" href="/practice">
          Start practising
        </a>
      </section>
    </main>
  );
}

function Lens() {
  const [message, setMessage] = useState('');
  const [reply, setReply] = useState('');
  const heard = useDebounced<HearResult>((t) => engine.hear(t), message);
  const checked = useDebounced<CheckResult>((t) => engine.check(t, message || undefined), reply);
  const own = useDebounced((t) => readDraft(t), reply); // the draft reply's own risk, for its writer
  const flagged = Boolean(heard?.safety && message.trim());
  const writer = reply.trim() ? (own?.writer ?? null) : null;
  return (
    <main className="lens">
      <h1>The lens</h1>
      <p className="muted">Runs entirely in this browser.</p>
      <DraftBox
        id="lens-message"
        label="A message you received"
        value={message}
        onChange={setMessage}
        spans={heard?.cues ?? []}
        kind="cue"
        placeholder="You're never really here. I feel invisible."
      />
      {heard && message.trim() && <HearPanel r={heard} onUse={setReply} />}
      <DraftBox
        id="lens-reply"
        label="Your draft reply"
        value={reply}
        onChange={setReply}
        spans={flagged || writer ? [] : (checked?.moves ?? [])}
        kind="move"
        placeholder={flagged ? 'Are you safe right now?' : 'It sounds like…'}
      />
      {/* Safety first: a flagged message or draft gets no steadiness coaching and no steadier rewrite. */}
      {writer ? (
        <SafetyPanel safety={writer.safety} message={writer.message} alert testId="draft-safety" />
      ) : flagged ? (
        reply.trim() ? (
          <p className="muted">No coaching on this reply: safety comes first.</p>
        ) : null
      ) : (
        <>
          <MoveList result={reply.trim() ? checked : null} />
          {checked &&
            reply.trim() &&
            checked.suggestion &&
            checked.moves.some((m) => m.kind === 'defensive') && (
              <p className="suggestion">Try: “{checked.suggestion}”</p>
            )}
        </>
      )}
    </main>
  );
}

function App() {
  const path = location.pathname;
  const room = /^\/room\/([A-Za-z0-9_-]{22})\/?$/.exec(path);
  const practice = /^\/practice(?:\/([a-z0-9-]{1,48}))?\/?$/.exec(path);
  return (
    <>
      <nav className="top" aria-label="Main">
        <a href="/">Steady</a>
        <a href="/listen">Listen</a>
        <a href="/lens">Lens</a>
        <a href="/practice">Practice</a>
      </nav>
      {room ? (
        <Room id={room[1]!} />
      ) : /^\/listen\/?$/.test(path) ? (
        <Listen />
      ) : path.startsWith('/lens') ? (
        <Lens />
      ) : practice ? (
        practice[1] === 'progress' ? (
          <PracticeProgress />
        ) : practice[1] ? (
          <PracticePlay id={practice[1]} />
        ) : (
          <PracticeHome />
        )
      ) : (
        <Home />
      )}
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// After the first paint, when the page is idle: let the service worker keep the shell and the engine
// for offline use, then start the engine worker (its models take a moment to load) through it.
requestAnimationFrame(() => {
  const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 200));
  idle(() => {
    if (!('serviceWorker' in navigator)) return engine.warm();
    navigator.serviceWorker
      .register('/sw.js')
      .then(() => navigator.serviceWorker.ready)
      .then((r) => {
        // what this page loaded before the service worker was there
        const loaded = [
          ...[...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((s) => s.src),
          ...[...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((l) => l.href),
        ];
        r.active?.postMessage({ cache: loaded });
      })
      .catch(() => {}) // no service worker: the app still works online
      .finally(() => engine.warm());
  });
});
