// What each person can do with the conversation itself: export it, continue on another device, and
// delete it. Deleting is a member's request that the other person hears of first (docs/room.md): it
// goes when both ask, or after a day, unless one of them keeps it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { renderSVG } from 'uqr';
import type { Turn } from '@steady/protocol';
import { describe } from './Conversation';
import { forgetRoom } from './drafts';
import { forgetIdentity } from './identity';
import { ShareLink } from './Invite';
import type { Grant } from './room-crypto/index.ts';
import { seatLink, seatToken, type Seat } from './seat';

type People = Record<string, { name: string } | undefined>;

function download(name: string, type: string, body: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([body], { type }));
  a.download = name;
  a.click();
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeOf = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
/** "UTC+01:00": the export's times are the exporter's local time, and it says which. */
function zoneOf(d: Date): string {
  const m = -d.getTimezoneOffset();
  return `UTC${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60))}:${pad(Math.abs(m) % 60)}`;
}

/** The conversation as Markdown: a heading per day, each turn with its time (turns from before events
 * carried a time have none). */
export function markdownOf(turns: Turn[], people: People, now = new Date()): string {
  const out = [
    '# Steady conversation',
    '',
    `Exported ${dayOf(now)} ${timeOf(now)}; times are local (${zoneOf(now)}).`,
    '',
  ];
  let day = '';
  for (const t of turns) {
    const d = t.at === undefined ? null : new Date(t.at);
    if (d && dayOf(d) !== day) {
      if (day) out.push('');
      out.push(`## ${(day = dayOf(d))}`, '');
    }
    out.push(`- ${d ? `${timeOf(d)} ` : ''}**${people[t.role]?.name ?? t.role}** ${describe(t)}`);
  }
  return `${out.join('\n')}\n`;
}

export const exportMarkdown = (turns: Turn[], people: People) =>
  download('steady-conversation.md', 'text/markdown', markdownOf(turns, people));

/** A member's requests about the room itself, proven by their seat token. */
export function useRoomActions(id: string, auth: string, seat: Seat) {
  const [problem, setProblem] = useState('');
  const call = async (path: string, method: string): Promise<Response | null> => {
    try {
      const { token } = await seatToken(seat);
      const r = await fetch(`/api/rooms/${path}`, {
        method,
        headers: { 'x-steady-auth': auth, 'x-steady-seat': token },
      });
      if (r.ok) setProblem('');
      else
        setProblem(
          (
            (await r
              .clone()
              .json()
              .catch(() => ({}))) as { message?: string }
          ).message ?? `${r.status}`,
        );
      return r;
    } catch (e) {
      setProblem(`Could not reach the server: ${(e as Error).message}`);
      return null;
    }
  };
  return {
    problem,
    /** Ask to delete: gone at once (alone, or the other asked too), else told to the other first. */
    async remove(): Promise<void> {
      const r = await call(id, 'DELETE');
      if (r?.status === 200) {
        forgetRoom(id);
        await forgetIdentity(id);
        location.href = '/';
      } else if (r?.status !== 202) {
        // say so: a person who asked for deletion must not believe it happened
        const why = r ? ((await r.json().catch(() => null)) as { message?: string } | null)?.message : null;
        alert(`The conversation was not deleted: ${why ?? 'the server could not be reached'}. Try again.`);
      }
    },
    async keep(): Promise<void> {
      await call(`${id}/keep`, 'POST');
    },
  };
}

/** A deletion on its way: when, the chance to export, and the two ways to answer it. */
export function DeleteNotice({
  at,
  member,
  onExport,
  actions,
}: {
  at: number;
  member: boolean;
  onExport: () => void;
  actions: ReturnType<typeof useRoomActions>;
}) {
  const when = new Date(at).toLocaleString([], {
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <section className="delete-notice" role="alert" data-testid="delete-notice">
      <h2>This conversation is going to be deleted</h2>
      <p>
        One of you asked to delete it for good. It will be deleted on <strong>{when}</strong>, unless one of
        you keeps it; if you both delete it, it goes at once. Export it first if you want a copy.
      </p>
      <div className="row">
        <button type="button" onClick={onExport}>
          Export Markdown
        </button>
        {member && (
          <>
            <button type="button" className="quiet" onClick={() => void actions.keep()}>
              Keep the conversation
            </button>
            <button type="button" className="quiet danger" onClick={() => void actions.remove()}>
              Delete it now
            </button>
          </>
        )}
      </div>
      {actions.problem && <p className="problem">{actions.problem}</p>}
    </section>
  );
}

export function Tools({
  turns,
  people,
  seat,
  member,
  otherName,
  actions,
  handOver,
}: {
  turns: Turn[];
  people: People;
  seat: Seat;
  /** Has a seat in this room: only a member may move it or delete the room. */
  member: boolean;
  otherName: string;
  actions: ReturnType<typeof useRoomActions>;
  /** Make a signing key for another device and add it to the log (outbox.ts handOver). */
  handOver: () => Promise<Grant | null>;
}) {
  return (
    <footer className="tools">
      <div className="row">
        <button type="button" className="quiet" onClick={() => exportMarkdown(turns, people)}>
          Export Markdown
        </button>
        <button
          type="button"
          className="quiet"
          onClick={() =>
            download(
              'steady-conversation.json',
              'application/json',
              JSON.stringify({ people, turns }, null, 2),
            )
          }
        >
          Export JSON
        </button>
        {member && (
          <button
            type="button"
            className="quiet danger"
            onClick={() => {
              if (
                confirm(
                  `Delete this conversation for good? ${otherName} is told first and can export it: it is deleted in a day, or at once if they delete it too.`,
                )
              )
                void actions.remove();
            }}
          >
            Delete for good
          </button>
        )}
      </div>
      {actions.problem && <p className="problem">{actions.problem}</p>}
      {member && <MoveSeat seat={seat} handOver={handOver} />}
    </footer>
  );
}

/** The seat link, to carry on with this conversation on one's own phone or laptop, and its QR code. */
function MoveSeat({ seat, handOver }: { seat: Seat; handOver: () => Promise<Grant | null> }) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState('');
  const hand = useRef(handOver); // a new function each render: the key is made once per opening
  hand.current = handOver;
  // each opening makes a link with a new key for the other device (its public half is in the log first)
  useEffect(() => {
    if (!open) return setLink('');
    let gone = false;
    void hand.current().then((g) => {
      if (!gone) setLink(seatLink(seat, g));
    });
    return () => {
      gone = true;
    };
  }, [open, seat]);
  const qr = useMemo(
    () => (link ? `data:image/svg+xml;utf8,${encodeURIComponent(renderSVG(link, { border: 2 }))}` : ''),
    [link],
  );
  return (
    <details className="seat-move" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Continue on another device</summary>
      <p className="muted small">
        This link is your seat: whoever opens it speaks as you here. Open it only on your own device.
      </p>
      {link && (
        <>
          <ShareLink link={link} label="Your seat link" testId="seat-link" title="My seat in a Steady room" />
          <img src={qr} alt="QR code of your seat link" width={180} height={180} data-testid="seat-qr" />
        </>
      )}
    </details>
  );
}
