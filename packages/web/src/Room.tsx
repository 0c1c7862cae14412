// The room for two: the floor, the engine beside each person, and nothing lost.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CheckResult, HearResult, SoftenResult } from '@steady/engine';
import { allowed, asFloorEvent, replay, roleOf, other, ROLE_LINES, DEFAULT_TIMEOUT_MINUTES, type FloorEvent, type Turn } from '@steady/protocol';
import { open, randomId, roomKey, seal, type RoomKey } from './crypto';
import { Connection } from './connection';
import { engine } from './engine';
import { DraftBox, HearPanel, HeatLine, Interstitial, MoveList, useDebounced } from './ui';

const SOOTHE = ['Breathe out slowly, longer than you breathe in.', 'Step outside or get a glass of water.', 'Notice five things you can see.', 'Do not rehearse your side: let the body settle first.'];

export function Room({ id }: { id: string }) {
  const [key, setKey] = useState<RoomKey | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [events, setEvents] = useState<FloorEvent[]>([]);
  const [status, setStatus] = useState('connecting');
  const conn = useRef<Connection | null>(null);
  const me = useMemo(() => {
    const k = `steady:me:${id}`;
    let v = localStorage.getItem(k);
    if (!v) localStorage.setItem(k, (v = randomId()));
    return v;
  }, [id]);
  const [name, setName] = useState(() => localStorage.getItem('steady:name') ?? '');

  useEffect(() => {
    const secret = new URLSearchParams(location.hash.slice(1)).get('k');
    if (!secret) { setProblem('This link has no key (the part after #k=). Ask for the full link.'); return; }
    let c: Connection | undefined;
    roomKey(secret).then((k) => {
      setKey(k);
      c = new Connection(id, k.auth, {
        onStatus: (s, detail) => { setStatus(s); if (s === 'deleted') setProblem('This conversation was deleted for good.'); else if (s === 'error' && detail) setProblem(detail); },
        onMessages: async (msgs) => {
          const opened: FloorEvent[] = [];
          for (const m of msgs) {
            const e = asFloorEvent(await open(k, m.body));
            if (e) opened.push(e);
          }
          setEvents((prev) => [...prev, ...opened]);
        },
      });
      conn.current = c;
    }, (e: Error) => setProblem(e.message));
    return () => c?.close();
  }, [id]);

  const floor = useMemo(() => replay(events), [events]);
  const role = roleOf(floor, me);
  const can = role ? allowed(floor, role) : [];
  const emit = async (e: FloorEvent): Promise<void> => {
    if (!key || !conn.current) return;
    conn.current.send(randomId(), await seal(key, e));
  };

  if (problem) return <main className="room"><p role="alert" className="problem">{problem}</p><p><a href="/">Back to Steady</a></p></main>;
  if (!key) return <main className="room"><p>Opening the room…</p></main>;

  const joined = role !== null;
  const full = !joined && floor.people.a && floor.people.b;
  const speakerName = floor.people[floor.speaker]?.name ?? '…';
  const listenerName = floor.people[other(floor.speaker)]?.name ?? '…';
  const lastSpeak = [...floor.turns].reverse().find((t) => t.kind === 'speak' || (t.kind === 'confirm' && t.text))?.text;

  return (
    <main className="room">
      <header className="floor-bar" aria-live="polite">
        <p><strong data-testid="floor-holder">{speakerName}</strong> has the floor · <span className="muted">{listenerName} listens</span></p>
        <p className="muted small">Status: <span data-testid="status">{status}</span>{conn.current?.unsent ? ` · ${conn.current.unsent} waiting to send` : ''}</p>
        {role && <p className="role-line" data-testid="role-line">{role === floor.speaker ? ROLE_LINES.speaker : ROLE_LINES.listener}</p>}
      </header>

      {!joined && !full && (
        <form className="join" onSubmit={(e) => { e.preventDefault(); localStorage.setItem('steady:name', name); void emit({ kind: 'join', by: me, name: name.trim() || 'Someone' }); }}>
          <label htmlFor="name">Your name in this room</label>
          <input id="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={40} autoComplete="given-name" />
          <button type="submit">Join the room</button>
        </form>
      )}
      {full && <p role="alert">This room already has two people.</p>}
      {joined && (!floor.people.a || !floor.people.b) && (
        <section className="invite">
          <p>Share this link with the other person. The key after # never reaches the server.</p>
          <input aria-label="Room link" readOnly value={location.href} onFocus={(e) => e.target.select()} data-testid="room-link" />
        </section>
      )}

      <Conversation turns={floor.turns} people={floor.people} myRole={role} />
      {floor.timeout ? (
        <TimeOut t={floor.timeout} byName={floor.people[floor.timeout.by]?.name ?? ''} onResume={() => void emit({ kind: 'resume', by: me })} />
      ) : role && floor.people.b ? (
        <Composer key={`${floor.speaker}-${floor.phase}`} role={role} speaker={floor.speaker} phase={floor.phase} can={can} lastSpeak={lastSpeak} me={me} emit={emit} />
      ) : null}
      <Tools turns={floor.turns} people={floor.people} id={id} auth={key.auth} />
    </main>
  );
}

function Conversation({ turns, people, myRole }: { turns: Turn[]; people: Record<string, { name: string } | undefined>; myRole: string | null }) {
  const [open, setOpen] = useState<number | null>(null);
  const [reading, setReading] = useState<HearResult | null>(null);
  const heat = useHeat(turns);
  const lastIncoming = useRef(-1);
  // Safety is never left in a closed panel: a flagged incoming message opens its lens by itself.
  useEffect(() => {
    turns.forEach((t, i) => {
      if (i <= lastIncoming.current || t.role === myRole || !t.text) return;
      lastIncoming.current = i;
      void engine.hear(t.text).then((r) => { if (r.safety) { setOpen(i); setReading(r); } });
    });
  }, [turns.length]);
  return (
    <section className="conversation" aria-label="Conversation">
      <HeatLine values={heat} />
      <ol>
        {turns.map((t, i) => (
          <li key={i} className={`turn ${t.kind} ${t.role === myRole ? 'mine' : 'theirs'}`} data-testid={`turn-${t.kind}`}>
            <span className="who">{people[t.role]?.name}</span>{' '}
            <span className="what">{describe(t)}</span>
            {t.text && t.role !== myRole && (t.kind === 'speak' || t.kind === 'confirm') && (
              <button type="button" className="link" aria-expanded={open === i} onClick={async () => { if (open === i) { setOpen(null); return; } setReading(await engine.hear(t.text!)); setOpen(i); }}>
                Hear beneath
              </button>
            )}
            {open === i && reading && <HearPanel r={reading} onUse={(x) => window.dispatchEvent(new CustomEvent('steady:insert', { detail: x }))} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function describe(t: Turn): string {
  switch (t.kind) {
    case 'speak': return t.text!;
    case 'reflect': return `reflects: ${t.text}`;
    case 'confirm': return t.yes ? '“Yes, that\'s it.”' : `“Not quite.”${t.text ? ` ${t.text}` : ''}`;
    case 'more': return 'asks: “Is there more?”';
    case 'pass': return 'passes the floor.';
    case 'timeout': return `calls a time-out for ${t.minutes} minutes.`;
    case 'resume': return 'is back: the conversation resumes.';
  }
}

function useHeat(turns: Turn[]): number[] {
  const [heat, setHeat] = useState<number[]>([]);
  useEffect(() => {
    const said = turns.filter((t) => t.text && (t.kind === 'speak' || t.kind === 'reflect' || t.kind === 'confirm'));
    void Promise.all(said.map((t) => (t.kind === 'reflect' ? engine.check(t.text!) : engine.hear(t.text!)).then((r) => r.heat))).then(setHeat);
  }, [turns.length]);
  return heat;
}

function Composer({ role, speaker, phase, can, lastSpeak, me, emit }: { role: string; speaker: string; phase: string; can: string[]; lastSpeak?: string; me: string; emit: (e: FloorEvent) => Promise<void> }) {
  const [text, setText] = useState('');
  const [minutes, setMinutes] = useState(DEFAULT_TIMEOUT_MINUTES);
  const [gate, setGate] = useState<CheckResult | null>(null);
  const speaking = role === speaker;
  const reflecting = can.includes('reflect');
  const checked = useDebounced((t) => engine.check(t, lastSpeak), reflecting ? text : '');
  const heard = useDebounced((t) => engine.hear(t), speaking ? text : '');
  const softened = useDebounced<SoftenResult>((t) => engine.soften(t), speaking && heard?.cues.length ? text : '');
  useEffect(() => {
    const insert = (e: Event) => setText((e as CustomEvent<string>).detail);
    window.addEventListener('steady:insert', insert);
    return () => window.removeEventListener('steady:insert', insert);
  }, []);

  const sendReflection = async (force = false): Promise<void> => {
    if (!text.trim()) return;
    const r = await engine.check(text, lastSpeak);
    if (!force && r.moves.some((m) => m.kind === 'defensive')) { setGate(r); return; }
    await emit({ kind: 'reflect', by: me, text });
    setText('');
    setGate(null);
  };
  const timeout = <button type="button" className="quiet" onClick={() => void emit({ kind: 'timeout', by: me, at: Date.now(), minutes })}>Time-out</button>;

  return (
    <section className="composer" aria-label={speaking ? 'Your turn to speak' : 'Your turn to listen'}>
      {speaking && (can.includes('speak') || can.includes('confirm')) && (
        <>
          <DraftBox id="speak" label={phase === 'confirm' ? 'Anything to add? (optional)' : phase === 'understood' ? 'Say more, or pass the floor' : 'Say what is true for you'} value={text} onChange={setText} spans={heard?.cues ?? []} kind="cue" onSubmit={() => { if (text.trim() && phase !== 'confirm') { void emit({ kind: 'speak', by: me, text }); setText(''); } }} />
          {heard && heard.cues.length > 0 && (
            <div className="soften" aria-live="polite">
              <p className="muted">Some words may sound like blame: {[...new Set(heard.cues.map((c) => c.id.replace(/_/g, ' ')))].join(', ')}.</p>
              {softened && <p>A gentler start: “{softened.softened}” <button type="button" className="link" onClick={() => setText(softened.softened)}>Use this</button></p>}
            </div>
          )}
          <div className="row">
            {phase === 'confirm' ? (
              <>
                <button type="button" onClick={() => { void emit({ kind: 'confirm', by: me, yes: true }); setText(''); }}>Yes, that's it</button>
                <button type="button" onClick={() => { void emit({ kind: 'confirm', by: me, yes: false, ...(text.trim() ? { text } : {}) }); setText(''); }}>Not quite</button>
              </>
            ) : (
              <button type="button" disabled={!text.trim()} onClick={() => { void emit({ kind: 'speak', by: me, text }); setText(''); }}>Send</button>
            )}
            {can.includes('pass') && <button type="button" onClick={() => void emit({ kind: 'pass', by: me })}>Pass the floor</button>}
            {timeout}
          </div>
        </>
      )}
      {speaking && phase === 'reflect' && <p className="muted">Waiting for them to say back what they heard. {timeout}</p>}
      {!speaking && reflecting && (
        <>
          <DraftBox id="reflect" label="Say back what you heard" value={text} onChange={setText} spans={checked?.moves ?? []} kind="move" onSubmit={() => void sendReflection()} placeholder="It sounds like…" />
          <MoveList result={text.trim() ? checked : null} />
          <div className="row">
            <button type="button" disabled={!text.trim()} onClick={() => void sendReflection()}>Send reflection</button>
            {timeout}
          </div>
        </>
      )}
      {!speaking && phase === 'speak' && <p className="muted">They have the floor. Listen for what is beneath the words. {timeout}</p>}
      {!speaking && can.includes('more') && (
        <div className="row">
          <button type="button" onClick={() => void emit({ kind: 'more', by: me })}>Is there more?</button>
          {timeout}
        </div>
      )}
      <label className="small muted">Time-out length <input type="number" min={1} max={120} value={minutes} onChange={(e) => setMinutes(Number(e.target.value) || DEFAULT_TIMEOUT_MINUTES)} aria-label="Time-out minutes" style={{ width: '4em' }} /> minutes</label>
      {gate && (
        <Interstitial result={gate}
          onRevise={() => { setGate(null); document.getElementById('reflect')?.focus(); }}
          onUse={() => { setText(gate.suggestion); setGate(null); }}
          onPause={() => { setGate(null); void emit({ kind: 'timeout', by: me, at: Date.now(), minutes }); }}
          onSend={() => void sendReflection(true)} />
      )}
    </section>
  );
}

function TimeOut({ t, byName, onResume }: { t: { at: number; minutes: number }; byName: string; onResume: () => void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => { const i = setInterval(() => setNow(Date.now()), 1000); return () => clearInterval(i); }, []);
  const left = Math.max(0, t.at + t.minutes * 60000 - now);
  const mm = Math.floor(left / 60000), ss = Math.floor((left % 60000) / 1000);
  const back = new Date(t.at + t.minutes * 60000);
  return (
    <section className="timeout" aria-label="Time-out">
      <h2>A pause, with a way back</h2>
      <p>{byName} called a time-out. You'll come back at <strong>{back.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</strong>.</p>
      <p className="timer" role="timer" aria-live="off">{String(mm).padStart(2, '0')}:{String(ss).padStart(2, '0')}</p>
      <ul>{SOOTHE.map((s) => <li key={s}>{s}</li>)}</ul>
      <button type="button" onClick={onResume}>Resume the conversation</button>
    </section>
  );
}

function Tools({ turns, people, id, auth }: { turns: Turn[]; people: Record<string, { name: string } | undefined>; id: string; auth: string }) {
  const download = (name: string, type: string, body: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([body], { type }));
    a.download = name;
    a.click();
  };
  const markdown = () => ['# Steady conversation', '', ...turns.map((t) => `- **${people[t.role]?.name ?? t.role}** ${describe(t)}`)].join('\n') + '\n';
  return (
    <footer className="tools">
      <button type="button" className="quiet" onClick={() => download('steady-conversation.md', 'text/markdown', markdown())}>Export Markdown</button>
      <button type="button" className="quiet" onClick={() => download('steady-conversation.json', 'application/json', JSON.stringify({ people, turns }, null, 2))}>Export JSON</button>
      <button type="button" className="quiet danger" onClick={async () => {
        if (!confirm('Delete this conversation for good, for both of you?')) return;
        const r = await fetch(`/api/rooms/${id}`, { method: 'DELETE', headers: { 'x-steady-auth': auth } });
        if (r.status === 204) { localStorage.removeItem(`steady:pending:${id}`); location.href = '/'; }
      }}>Delete for good</button>
    </footer>
  );
}
