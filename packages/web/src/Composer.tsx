// The composers: the floor's own (speak, reflect, confirm, pass, more, time-out) and the plain one
// while safety comes first. Drafts live per room on this device; a send runs once however often its
// button is pressed.
import { useEffect, useRef, useState } from 'react';
import type { CheckResult } from '@steady/engine';
import { clampMinutes, DEFAULT_TIMEOUT_MINUTES, TIMEOUT_RANGE, type FloorEvent } from '@steady/protocol';
import { engine } from './engine';
import { useDraft } from './drafts';
import { firstMessage } from './rooms';
import { DraftBox, Interstitial, MoveList, readDraft, SafetyPanel, SafetyReplies, useDebounced } from './ui';

/**
 * One send at a time: while one runs (the reflection is checked first, which takes a moment), a second
 * press of any send button does nothing, and the buttons say so.
 */
export function useOnce(): [boolean, (f: () => Promise<void>) => Promise<void>] {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await f();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return [busy, run];
}

export function Composer({
  role,
  speaker,
  phase,
  can,
  lastSpeak,
  me,
  emit,
  room,
  relationship,
}: {
  role: string;
  speaker: string;
  phase: string;
  can: string[];
  lastSpeak?: string;
  me: string;
  emit: (e: FloorEvent) => Promise<void>;
  room: string;
  /** Who the two are (the room's choice): soften words its request for them. */
  relationship?: string;
}) {
  const speaking = role === speaker;
  const [text, setText] = useDraft(room, speaking ? 'speak' : 'reflect');
  // a start-up brought from /listen waits in the speaker's box until the room's first words are said
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, when the composer opens
  useEffect(() => {
    const first = speaking ? firstMessage(lastSpeak) : '';
    if (first && !text) setText(first);
  }, []);
  const [busy, once] = useOnce();
  // The box holds what is typed (empty too, while someone corrects it); the number is read on blur or use.
  const [minutesBox, setMinutesBox] = useState(String(DEFAULT_TIMEOUT_MINUTES));
  const minutes = clampMinutes(minutesBox);
  const [gate, setGate] = useState<CheckResult | null>(null);
  // Back to the box once the dialog is gone (while it is open, the page behind it cannot take focus).
  const refocus = useRef(false);
  useEffect(() => {
    if (gate || !refocus.current) return;
    refocus.current = false;
    document.getElementById('reflect')?.focus();
  }, [gate]);
  const reflecting = can.includes('reflect');
  const checked = useDebounced((t) => engine.check(t, lastSpeak), reflecting ? text : '');
  // One's own draft is read for risk too (hear and soften): a flagged draft gets safety for its writer,
  // never a gentler rewrite, a steadier suggestion or an interstitial.
  const draft = useDebounced((t) => readDraft(t, relationship), speaking || reflecting ? text : '');
  const heard = speaking ? draft?.heard : undefined;
  const softened = draft?.softened;
  const writer = draft?.writer ?? null;
  useEffect(() => {
    const insert = (e: Event) => setText((e as CustomEvent<string>).detail);
    window.addEventListener('steady:insert', insert);
    return () => window.removeEventListener('steady:insert', insert);
  }, [setText]);

  const sendReflection = (force = false): Promise<void> =>
    once(async () => {
      if (!text.trim()) return;
      const [r, d] = await Promise.all([engine.check(text, lastSpeak), readDraft(text, relationship)]);
      if (!force && !d.writer && r.moves.some((m) => m.kind === 'defensive')) {
        setGate(r);
        return;
      }
      await emit({ kind: 'reflect', by: me, text });
      setText('');
      setGate(null);
    });
  const speak = (): Promise<void> =>
    once(async () => {
      if (!text.trim()) return;
      await emit({ kind: 'speak', by: me, text });
      setText('');
    });
  const confirm = (yes: boolean): Promise<void> =>
    once(async () => {
      await emit({ kind: 'confirm', by: me, yes, ...(!yes && text.trim() ? { text } : {}) });
      setText('');
    });
  const timeout = (
    <button
      type="button"
      className="quiet"
      onClick={() => {
        setMinutesBox(String(minutes));
        void emit({ kind: 'timeout', by: me, at: Date.now(), minutes });
      }}
    >
      Time-out
    </button>
  );

  return (
    <section
      className="composer"
      tabIndex={-1}
      aria-label={speaking ? 'Your turn to speak' : 'Your turn to listen'}
    >
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
              if (phase !== 'confirm') void speak();
            }}
            showKeys={phase !== 'confirm'}
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
                <button type="button" disabled={busy} onClick={() => void confirm(true)}>
                  Yes, that's it
                </button>
                <button type="button" disabled={busy} onClick={() => void confirm(false)}>
                  Not quite
                </button>
              </>
            ) : (
              <button type="button" disabled={!text.trim() || busy} onClick={() => void speak()}>
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
            showKeys
            placeholder="It sounds like…"
          />
          {writer ? (
            <SafetyPanel safety={writer.safety} message={writer.message} alert testId="draft-safety" />
          ) : (
            <MoveList result={text.trim() ? checked : null} />
          )}
          <div className="row">
            <button type="button" disabled={!text.trim() || busy} onClick={() => void sendReflection()}>
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
          type="text"
          inputMode="numeric"
          pattern="[0-9]*"
          value={minutesBox}
          onChange={(e) => setMinutesBox(e.target.value.replace(/\D/g, '').slice(0, 3))}
          onBlur={() => setMinutesBox(String(minutes))}
          aria-label="Time-out minutes"
          aria-describedby="timeout-range"
          style={{ width: '4em' }}
        />{' '}
        {minutes === 1 && minutesBox === '1' ? 'minute' : 'minutes'}{' '}
        <span id="timeout-range" className="sr-only">
          from {TIMEOUT_RANGE.min} to {TIMEOUT_RANGE.max}
        </span>
      </label>
      {gate && (
        <Interstitial
          result={gate}
          onRevise={() => {
            refocus.current = true;
            setGate(null);
          }}
          onUse={() => {
            setText(gate.suggestion);
            refocus.current = true;
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
export function SafeComposer({
  can,
  mine,
  replies,
  me,
  emit,
  room,
}: {
  can: string[];
  mine: boolean;
  replies: string[];
  me: string;
  emit: (e: FloorEvent) => Promise<void>;
  room: string;
}) {
  const [text, setText] = useDraft(room, 'safe');
  useEffect(() => {
    // words that could not be sent (too long to seal) come back here
    const insert = (e: Event) => setText((e as CustomEvent<string>).detail);
    window.addEventListener('steady:insert', insert);
    return () => window.removeEventListener('steady:insert', insert);
  }, [setText]);
  const [busy, once] = useOnce();
  const kind = can.includes('speak') ? 'speak' : can.includes('reflect') ? 'reflect' : null;
  const send = () =>
    void once(async () => {
      if (!kind || !text.trim()) return;
      await emit({ kind, by: me, text });
      setText('');
    });
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
    <section className="composer" tabIndex={-1} aria-label="Safety first: write plainly">
      {kind ? (
        <>
          <DraftBox
            id="safe-draft"
            value={text}
            onChange={setText}
            spans={[]}
            kind="cue"
            onSubmit={send}
            showKeys
            label={
              mine
                ? 'Safety first: say what you need right now'
                : 'Safety first: ask if they are safe, or say what you need'
            }
            placeholder={mine ? 'I need…' : 'Are you safe right now?'}
          />
          <SafetyReplies replies={replies} onUse={setText} />
          <div className="row">
            <button type="button" disabled={!text.trim() || busy} onClick={send}>
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
