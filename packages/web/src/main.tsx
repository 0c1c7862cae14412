// Steady's web app: home, the room for two (/room/:id#k=key), the solo lens (/lens) and being heard first
// (/listen).
import './early';
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { CheckResult, HearResult } from '@steady/engine';
import { engine } from './engine';
import {
  DraftBox,
  HearPanel,
  ModelsNotice,
  MoveList,
  readDraftEarly,
  SafetyPanel,
  useModels,
  useReading,
} from './ui';
import './style.css';

// Each page but the lens is its own chunk: the lens's first reading on a slow phone waits for no other
// page's code (scripts/first-lens.ts). The service worker is told of them all for offline use.
const Room = lazy(() => import('./Room').then((m) => ({ default: m.Room })));
const StartRoom = lazy(() => import('./Start').then((m) => ({ default: m.StartRoom })));
const PracticeHome = lazy(() => import('./Practice').then((m) => ({ default: m.PracticeHome })));
const PracticePlay = lazy(() => import('./Practice').then((m) => ({ default: m.PracticePlay })));
const PracticeProgress = lazy(() => import('./Practice').then((m) => ({ default: m.PracticeProgress })));
const Listen = lazy(() => import('./Listen').then((m) => ({ default: m.Listen })));

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
  // early readings: the rules' answer at once, replaced by the models' when they arrive (worker.ts)
  const early = useReading<HearResult>((t, on) => engine.hearEarly(t, on), message);
  const checks = useReading<CheckResult>((t, on) => engine.checkEarly(t, message || undefined, on), reply);
  const draft = useReading(readDraftEarly, reply); // the draft's own risk, for its writer
  const heard = early.value;
  const checked = checks.value;
  const own = draft.value;
  // a rules-only flag shows at once; an unflagged first reading says safety is still being checked
  const flagged = Boolean(heard?.safety && message.trim());
  const writer = reply.trim() ? (own?.writer ?? null) : null;
  const status = useReadingStatus(Boolean(heard && message.trim()), early.preliminary, flagged);
  return (
    <main className="lens">
      <h1>The lens</h1>
      <p className="muted">Runs entirely in this browser.</p>
      <p className="sr-only" role="status" data-testid="reading-status">
        {status}
      </p>
      <DraftBox
        id="lens-message"
        label="A message you received"
        value={message}
        onChange={setMessage}
        spans={heard?.cues ?? []}
        kind="cue"
        placeholder="You're never really here. I feel invisible."
      />
      {/* below the box, so a failure said while typing does not move the box away */}
      <ModelsNotice />
      {heard && message.trim() && <HearPanel r={heard} onUse={setReply} preliminary={early.preliminary} />}
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
          <MoveList result={reply.trim() ? checked : null} preliminary={checks.preliminary} />
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

/**
 * What a screen reader hears as the reading changes (politely): that a first reading is shown and safety is
 * still being checked, then that the full reading replaced it, or that the closer reading could not load.
 */
function useReadingStatus(shown: boolean, preliminary: boolean, flagged: boolean): string {
  const models = useModels();
  const [wasEarly, setWasEarly] = useState(false);
  useEffect(() => {
    if (shown && preliminary) setWasEarly(true);
  }, [shown, preliminary]);
  if (!shown) return '';
  if (preliminary && models.state === 'failed')
    return "The closer reading could not load: this is the rules' reading alone.";
  if (preliminary)
    return flagged
      ? 'Safety first: the rules flagged this message. Reading more closely.'
      : 'A first reading is shown. Still checking for safety, reading more closely.';
  return wasEarly ? 'The full reading is ready.' : '';
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
      {/* the lens says it in its own place; elsewhere the readings waited for the models and got the rules' */}
      {path !== '/' && !path.startsWith('/lens') && <ModelsNotice />}
      <Suspense fallback={null}>
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
      </Suspense>
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
        // what this page loaded before the service worker was there, the engine worker's script, and
        // the other pages' chunks (the learned models are named by the engine when they arrive)
        const pages = document.querySelector<HTMLMetaElement>('meta[name="steady-pages"]')?.content ?? '';
        const loaded = [
          ...[...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((s) => s.src),
          ...[
            ...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"], link[rel="prefetch"]'),
          ].map((l) => l.href),
          ...pages.split(' ').filter(Boolean),
        ];
        r.active?.postMessage({ cache: loaded });
      })
      .catch(() => {}) // no service worker: the app still works online
      .finally(() => engine.warm());
  });
});
