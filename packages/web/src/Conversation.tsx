// The conversation as it reads on screen (and in the export): each turn, who said it, and whether it
// is still on its way (this device's outbox) or stored.
import { useEffect, useState } from 'react';
import type { HearResult } from '@steady/engine';
import { minutesText, type FloorEvent, type Role, type Turn } from '@steady/protocol';
import { engine } from './engine';
import { HeatLine, HearPanel } from './ui';

export function Conversation({
  turns,
  people,
  myRole,
  flagged,
  coaching,
  heatOf,
  pending,
  connected,
}: {
  turns: Turn[];
  people: Record<string, { name: string } | undefined>;
  myRole: string | null;
  flagged: number[];
  coaching: boolean;
  /** The stored turns, read for heat (what is still on its way is not yet part of the conversation). */
  heatOf: Turn[];
  /** This device's turns not yet stored, shown after the stored ones (even before those are known). */
  pending: Turn[];
  /** Whether the room's connection is up: "sending…" then, else "waiting for connection". */
  connected: boolean;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const [reading, setReading] = useState<HearResult | null>(null);
  const heat = useHeat(heatOf);
  const pendingFrom = turns.length;
  return (
    <section className="conversation" aria-label="Conversation">
      <HeatLine values={heat} />
      <ol>
        {[...turns, ...pending].map((t, i) => (
          <li
            key={i}
            className={`turn ${t.kind} ${i >= pendingFrom || t.role === myRole ? 'mine' : 'theirs'}${flagged.includes(i) ? ' flagged' : ''}${i >= pendingFrom ? ' pending' : ''}`}
            data-testid={`turn-${t.kind}`}
          >
            <span className="who">
              {i >= pendingFrom ? (myRole && people[myRole]?.name) || 'You' : people[t.role]?.name}
            </span>{' '}
            <span className="what">{describe(t)}</span>
            {i >= pendingFrom && (
              <span className="on-its-way" data-testid="on-its-way">
                {' '}
                · {connected ? 'sending…' : 'waiting for connection'}
              </span>
            )}
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

/** An event of one's own, as the turn it will be once stored (the floor may still refuse it). */
export function turnOf(e: FloorEvent, role: Role): Turn | null {
  const t = shapeOf(e, role);
  return t && e.at !== undefined ? { ...t, at: e.at } : t;
}

function shapeOf(e: FloorEvent, role: Role): Turn | null {
  switch (e.kind) {
    case 'join':
      return null;
    case 'speak':
    case 'reflect':
      return { kind: e.kind, role, text: e.text };
    case 'confirm':
      return { kind: 'confirm', role, yes: e.yes, text: e.text };
    case 'timeout':
    case 'extend':
      return { kind: e.kind, role, at: e.at, minutes: e.minutes };
    default:
      return { kind: e.kind, role };
  }
}

export function describe(t: Turn): string {
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
      return `calls a time-out for ${minutesText(t.minutes ?? 0)}.`;
    case 'extend':
      return `asks for ${minutesText(t.minutes ?? 0)} more.`;
    case 'resume':
      // the one who called the pause is back; the other only picks the conversation up when time is up
      return t.caller && t.caller !== t.role
        ? 'picks the conversation up again: the time-out is over.'
        : 'is back: the conversation resumes.';
  }
}

function useHeat(turns: Turn[]): number[] {
  const [heat, setHeat] = useState<number[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the log only grows; its length says when to read again
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
