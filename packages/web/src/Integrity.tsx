// What the room's log refused or found missing (room-log.ts), said plainly in the room. The live
// region is always in the page, so a screen reader announces each new notice.
import { describeNotice, type Notice } from './room-log';

const SHOWN = 8;

export function IntegrityNotices({ notices }: { notices: Notice[] }) {
  const recent = notices.slice(-SHOWN);
  return (
    <div aria-live="polite" data-testid="integrity">
      {notices.length > 0 && (
        <section className="integrity" aria-label="Room integrity">
          {notices.some((n) => n.kind !== 'too-large') && (
            <p className="problem">
              <strong>Something in this conversation's log was not right.</strong>
            </p>
          )}
          <ul>
            {recent.map((n, i) => (
              <li key={notices.length - recent.length + i} data-testid={`notice-${n.kind}`}>
                {describeNotice(n)}
              </li>
            ))}
          </ul>
          {notices.length > SHOWN && (
            <p className="muted small">And {notices.length - SHOWN} earlier notices like these.</p>
          )}
        </section>
      )}
    </div>
  );
}
