// Shared pieces of the two lenses: marked text, move chips with the why and instead, the listening
// panel, the safety panel, the heat line and the send interstitial.
import { useEffect, useId, useRef, useState, useSyncExternalStore, type ReactNode, type Ref } from 'react';
import {
  resourceLinks,
  type CheckResult,
  type HearResult,
  type Move,
  type Safety,
  type SafetyId,
  type SoftenResult,
  type Span,
} from '@steady/engine/core';
import { engine, type ModelsState, type OnReading } from './engine';

/** Text with spans highlighted; spans may not overlap (later overlapping ones are dropped). */
export function Marked({
  text,
  spans,
  kind,
}: {
  text: string;
  spans: (Span & { id: string; kind?: string })[];
  kind: 'cue' | 'move';
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    parts.push(text.slice(at, s.start));
    parts.push(
      <mark key={s.start} className={`${kind} ${s.kind ?? ''}`} title={s.id.replace(/_/g, ' ')}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

/** A draft box with live marks behind the text (debounced), from check or hear. */
export function useDebounced<T>(fn: (text: string) => Promise<T>, text: string, ms = 180): T | null {
  const [value, setValue] = useState<T | null>(null);
  const seq = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reads again when the text changes; `fn` is a new closure each render
  useEffect(() => {
    if (!text.trim()) {
      setValue(null);
      return;
    }
    const mine = ++seq.current;
    const t = setTimeout(
      () =>
        fn(text).then(
          (v) => {
            if (mine === seq.current) setValue(v);
          },
          () => {},
        ),
      ms,
    );
    return () => clearTimeout(t);
  }, [text]);
  return value;
}

/** A reading that may come first from the rules alone (`preliminary`) and then again with the models. */
export interface Early<T> {
  value: T | null;
  preliminary: boolean;
}

/**
 * Like useDebounced, for the lens's early readings: the rules' answer is shown at once and replaced when
 * the models' arrives. A first text (a paste into an empty box) is read without waiting; typing is
 * debounced. A newer text cancels the older reading in the worker.
 */
export function useReading<T>(
  start: (text: string, on: OnReading<T>) => () => void,
  text: string,
  ms = 180,
): Early<T> {
  const [got, setGot] = useState<Early<T>>({ value: null, preliminary: false });
  const had = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reads again when the text changes; `start` is a new closure each render
  useEffect(() => {
    if (!text.trim()) {
      had.current = false;
      setGot({ value: null, preliminary: false });
      return;
    }
    let cancel: (() => void) | undefined;
    const t = setTimeout(
      () => {
        cancel = start(text, (value, preliminary) => setGot({ value, preliminary }));
      },
      had.current ? ms : 0,
    );
    had.current = true;
    return () => {
      clearTimeout(t);
      cancel?.();
    };
  }, [text]);
  return got;
}

/** The learned models' state in the worker: loading, ready or failed. */
export function useModels(): ModelsState {
  return useSyncExternalStore(engine.watchModels, engine.models);
}

/** Said when the models could not load: the readings are the rules' alone, and it can be tried again. */
export function ModelsNotice() {
  const m = useModels();
  if (m.state !== 'failed') return null;
  return (
    <div className="models-notice" role="alert" data-testid="models-failed">
      <p>
        The closer reading could not load{m.error ? ` (${m.error})` : ''}. Readings here use Steady's rules
        alone until it does.
      </p>
      <button type="button" onClick={engine.retryModels}>
        Try again
      </button>
    </div>
  );
}

export function DraftBox(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  spans: (Span & { id: string; kind?: string })[];
  kind: 'cue' | 'move';
  placeholder?: string;
  onSubmit?: () => void;
  /** Say the Ctrl+Enter shortcut under the box (where onSubmit sends). */
  showKeys?: boolean;
}) {
  const back = useRef<HTMLDivElement>(null);
  const keys = props.showKeys && props.onSubmit;
  return (
    <div className="draft">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="draft-area">
        <div className="draft-back" ref={back} aria-hidden="true">
          <Marked text={`${props.value}\n`} spans={props.spans} kind={props.kind} />
        </div>
        <textarea
          id={props.id}
          value={props.value}
          placeholder={props.placeholder}
          rows={3}
          aria-keyshortcuts={props.onSubmit ? 'Control+Enter' : undefined}
          aria-describedby={keys ? `${props.id}-keys` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
          onScroll={(e) => {
            if (back.current) back.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && props.onSubmit) {
              e.preventDefault();
              props.onSubmit();
            }
          }}
        />
      </div>
      {keys && (
        <span className="muted small" id={`${props.id}-keys`}>
          Ctrl+Enter sends
        </span>
      )}
    </div>
  );
}

export function MoveList({
  result,
  preliminary = false,
}: {
  result: CheckResult | null;
  /** The rules' reading alone, the models still loading: said, and replaced when they arrive. */
  preliminary?: boolean;
}) {
  if (!result) return null;
  const defensive = result.moves.filter((m) => m.kind === 'defensive');
  const steady = result.moves.filter((m) => m.kind === 'steady');
  return (
    <div className="moves" aria-live="polite" data-reading={preliminary ? 'preliminary' : 'full'}>
      {preliminary && <p className="muted small">A first reading of your reply: reading more closely…</p>}
      <p className="score">
        Steadiness <strong data-testid="steadiness">{result.steadiness}</strong>/100
        {result.pause ? <span className="pause-hint"> · this is hot: a pause may help</span> : null}
      </p>
      {defensive.length > 0 && (
        <ul className="chips" aria-label="Defensive moves found">
          {defensive.map((m, i) => (
            <MoveChip key={i} m={m} />
          ))}
        </ul>
      )}
      {steady.length > 0 && (
        <ul className="chips" aria-label="Steady moves found">
          {steady.map((m, i) => (
            <li key={i}>
              <span className="chip steady" data-move={m.id}>
                {nameOf(m)} · “{m.text}”
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The plain label people read ("explaining yourself"); the id stays in data-move for machines. */
export function nameOf(m: Pick<Move, 'id' | 'label'>): string {
  return m.label ?? m.id.replace(/_/g, ' ');
}

function MoveChip({ m }: { m: Move }) {
  return (
    <li>
      <button type="button" className="chip defensive" aria-describedby={`why-${m.start}`} data-move={m.id}>
        {nameOf(m)} · “{m.text}”
      </button>
      <span role="tooltip" id={`why-${m.start}`} className="why">
        {m.why} <em>Instead: {m.instead}</em>
      </span>
    </li>
  );
}

/**
 * The listening lens on a received message. When it is flagged, safety replaces the coaching entirely.
 * A `preliminary` reading (the rules alone, the models still loading) never reads as safe: its safety area
 * says the check is still going on, and the replies to start from wait for it.
 */
export function HearPanel({
  r,
  onUse,
  preliminary = false,
}: {
  r: HearResult;
  onUse?: (reply: string) => void;
  preliminary?: boolean;
}) {
  const models = useModels();
  const checking = preliminary && models.state !== 'failed';
  if (r.safety) {
    return (
      <SafetyPanel safety={r.safety} message={r.safety.message} alert>
        <SafetyReplies replies={r.replies} onUse={onUse} />
      </SafetyPanel>
    );
  }
  return (
    <section
      className={preliminary ? 'hear preliminary' : 'hear'}
      aria-label="Hear beneath"
      data-reading={preliminary ? 'preliminary' : 'full'}
    >
      {preliminary && (
        <div className="checking" data-testid="safety-pending">
          <p>
            <strong>Safety:</strong>{' '}
            {checking
              ? 'still checking this message…'
              : 'checked by the rules alone; the closer check could not load.'}
          </p>
          {checking && <p className="muted small">A first reading: reading more closely…</p>}
        </div>
      )}
      <p className="quote">
        <Marked text={r.text} spans={r.cues} kind="cue" />
      </p>
      {r.cues.length > 0 && (
        <p className="muted">
          Marked: {[...new Set(r.cues.map((c) => c.id.replace(/_/g, ' ')))].join(', ')}: wording that can
          sound like blame.
        </p>
      )}
      <dl>
        <dt>Feelings</dt>
        <dd>{r.feelings.map((f) => f.id).join(', ') || 'none named'}</dd>
        <dt>Needs</dt>
        <dd>{r.needs.map((n) => n.id).join(', ') || 'none named'}</dd>
        <dt>Beneath</dt>
        <dd>{r.beneath}</dd>
        <dt>The misreading to avoid</dt>
        <dd>“{r.misreading}”</dd>
      </dl>
      {checking ? (
        <p className="muted">Replies to start from come once the safety check is done.</p>
      ) : (
        <>
          <p className="muted">Replies to start from{onUse ? ' (click to use)' : ''}:</p>
          <ul className="replies">
            {r.replies.map((x) => (
              <li key={x}>
                {onUse ? (
                  <button type="button" className="link" onClick={() => onUse(x)}>
                    {x}
                  </button>
                ) : (
                  x
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * One resource line with every phone number in it as a link a phone can tap. Only what the engine's
 * resourceLinks finds in the configured text is linked (tel:, or sms: after "text"); no number is invented.
 */
export function Resource({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const l of resourceLinks(text)) {
    if (l.start < at) continue;
    parts.push(text.slice(at, l.start));
    parts.push(
      <a
        key={l.start}
        className="dial"
        href={l.href}
        aria-label={`${l.href.startsWith('sms:') ? 'Text' : 'Call'} ${l.text}`}
      >
        {l.text}
      </a>,
    );
    at = l.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

/**
 * Safety first: what the flag means for this reader (or writer), and the resources with tappable numbers.
 * `alert` announces it as it appears (the lens, where focus stays in the box being typed in); the room
 * instead moves focus to it (it is focusable through `panelRef`) and announces the paused floor itself.
 */
export function SafetyPanel({
  safety,
  message,
  alert,
  panelRef,
  children,
  testId,
}: {
  safety: Safety;
  message: string;
  alert?: boolean;
  panelRef?: Ref<HTMLElement>;
  children?: ReactNode;
  testId?: string;
}) {
  const title = useId();
  return (
    <section
      className="safety"
      role={alert ? 'alert' : 'region'}
      aria-labelledby={title}
      tabIndex={-1}
      ref={panelRef}
      data-safety={safety.id}
      data-level={safety.level ?? 'concern'}
      data-testid={testId}
    >
      <h2 id={title}>Safety first</h2>
      <p className="safety-message">{message}</p>
      <ul className="resources" aria-label="Where to get help">
        {safety.resources.map((x) => (
          <li key={x}>
            <Resource text={x} />
          </li>
        ))}
      </ul>
      {children}
    </section>
  );
}

/** The engine's safety-first replies (asking whether they are safe, stepping away), never coaching to soothe. */
export function SafetyReplies({ replies, onUse }: { replies: string[]; onUse?: (reply: string) => void }) {
  if (!replies.length) return null;
  return (
    <>
      <p className="muted">
        Steady will not coach you to absorb this calmly. Words you could use{onUse ? ' (click to use)' : ''}:
      </p>
      <ul className="replies">
        {replies.map((x) => (
          <li key={x}>
            {onUse ? (
              <button type="button" className="link" onClick={() => onUse(x)}>
                {x}
              </button>
            ) : (
              x
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A flag as its own writer should see it: help for themself, or a plain note on what the words do. */
export interface ForWriter {
  safety: Safety;
  message: string;
}

// Used only when soften does not (yet) carry a writer-addressed safety message of its own.
const WRITER_NOTE: Record<SafetyId, string> = {
  self_harm:
    'What you wrote sounds like you may be thinking about hurting yourself or not being alive. You matter, and you do not have to carry this alone or finish this conversation first. Please reach someone now: if you might act on it, call your local emergency number; if not, a crisis line can talk with you today.',
  violence:
    'What you wrote describes or threatens physical harm. Steady will not turn it into gentler words: if anyone is in danger, getting safe and reaching for help come before this conversation.',
  control:
    'What you wrote reads as controlling or degrading the other person. Steady will not turn it into gentler words: pressure like this is not a feeling to soften, and it can do real harm.',
};

/** The writer's view of a flag: soften's own safety message when it has one, else the note above. */
export function forWriter(
  heard: Safety | null | undefined,
  softened: Safety | null | undefined,
): ForWriter | null {
  if (softened) return { safety: softened, message: softened.message };
  if (heard) return { safety: heard, message: WRITER_NOTE[heard.id] };
  return null;
}

/** Read one's own draft: the cues and the gentler start, and whether the draft itself carries risk. */
export async function readDraft(
  text: string,
  relationship?: string,
): Promise<{ heard: HearResult; softened: SoftenResult; writer: ForWriter | null }> {
  const [heard, softened] = await Promise.all([engine.hear(text), engine.soften(text, relationship)]);
  return { heard, softened, writer: forWriter(heard.safety, softened.safety) };
}

/** readDraft for the lens: the rules' reading at once (a rules-only flag shows now), then the full one. */
export function readDraftEarly(
  text: string,
  on: OnReading<{ heard: HearResult; softened: SoftenResult; writer: ForWriter | null }>,
): () => void {
  let heard: Early<HearResult> = { value: null, preliminary: true };
  let softened: Early<SoftenResult> = { value: null, preliminary: true };
  const both = () => {
    if (heard.value && softened.value)
      on(
        {
          heard: heard.value,
          softened: softened.value,
          writer: forWriter(heard.value.safety, softened.value.safety),
        },
        heard.preliminary || softened.preliminary,
      );
  };
  const stopHear = engine.hearEarly(text, (value, preliminary) => {
    heard = { value, preliminary };
    both();
  });
  const stopSoften = engine.softenEarly(text, (value, preliminary) => {
    softened = { value, preliminary };
    both();
  });
  return () => {
    stopHear();
    stopSoften();
  };
}

/** Temperature over the turns, 0..1, as a small line. */
export function HeatLine({ values }: { values: number[] }) {
  if (values.length < 1) return null;
  const w = 220,
    h = 40;
  const pts = values
    .map(
      (v, i) =>
        `${values.length === 1 ? w / 2 : (i / (values.length - 1)) * (w - 8) + 4},${h - 4 - v * (h - 8)}`,
    )
    .join(' ');
  const last = values[values.length - 1]!;
  return (
    <figure className="heat">
      <svg
        width={w}
        height={h}
        role="img"
        aria-label={`Heat over ${values.length} turns, now ${Math.round(last * 100)} percent`}
      >
        <line
          x1="0"
          y1={h - 4 - 0.6 * (h - 8)}
          x2={w}
          y2={h - 4 - 0.6 * (h - 8)}
          stroke="#e8cfc0"
          strokeDasharray="3 3"
        />
        <polyline points={pts} fill="none" stroke="#b5651d" strokeWidth="2" />
      </svg>
      <figcaption>Heat {Math.round(last * 100)}%</figcaption>
    </figure>
  );
}

/**
 * "Before you send": a native modal <dialog> (showModal), so the page behind it is inert: Tab cannot
 * leave it for Export or Delete, and Escape means "Revise". Focus starts on Revise.
 */
export function Interstitial({
  result,
  onRevise,
  onUse,
  onPause,
  onSend,
}: {
  result: CheckResult;
  onRevise: () => void;
  onUse: () => void;
  onPause: () => void;
  onSend: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    first.current?.focus();
    return () => d?.close();
  }, []);
  const moves = result.moves.filter((m) => m.kind === 'defensive');
  return (
    <dialog
      ref={dialog}
      className="modal-box"
      aria-labelledby="inter-title"
      onCancel={(e) => {
        e.preventDefault(); // React removes the dialog; closing it here would race that
        onRevise();
      }}
    >
      <h3 id="inter-title">Before you send</h3>
      <p>This reply may land as defence: {moves.map((m) => `${nameOf(m)} (“${m.text}”)`).join(', ')}.</p>
      <p className="muted">{moves[0]?.why}</p>
      {result.suggestion && <p className="suggestion">Try: “{result.suggestion}”</p>}
      <div className="row">
        <button ref={first} type="button" onClick={onRevise}>
          Revise
        </button>
        {result.suggestion && (
          <button type="button" onClick={onUse}>
            Use the suggestion
          </button>
        )}
        <button type="button" onClick={onPause}>
          Take a pause
        </button>
        <button type="button" className="quiet" onClick={onSend}>
          Send anyway
        </button>
      </div>
    </dialog>
  );
}
