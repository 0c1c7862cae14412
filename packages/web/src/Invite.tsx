// Inviting and being invited: the link to pass on (copy, or the phone's share sheet where there is one),
// and the short page the invited person sees first: what this room is, and how the floor works.
import { useState } from 'react';
import { RELATIONSHIP_LABELS, type Floor } from '@steady/protocol';

/** The room's link, with Copy and (where the browser has the Web Share API) Share. */
export function ShareLink({
  link,
  label = 'Room link',
  testId = 'room-link',
  title = 'A Steady room',
}: {
  link: string;
  label?: string;
  testId?: string;
  title?: string;
}) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setSaid('Link copied.');
    } catch {
      setSaid('Could not copy: select the link and copy it.');
    }
  };
  const canShare = typeof navigator.share === 'function';
  return (
    <div className="share">
      <input
        aria-label={label}
        readOnly
        value={link}
        onFocus={(e) => e.target.select()}
        data-testid={testId}
      />
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        {canShare && (
          <button
            type="button"
            className="quiet"
            onClick={() => void navigator.share({ title, url: link }).catch(() => {})}
          >
            Share…
          </button>
        )}
        <span role="status" className="muted small">
          {said}
        </span>
      </div>
    </div>
  );
}

const AS: Record<string, string> = {
  partner: 'for the two of you as partners',
  parent_child: 'for a parent and their child',
  family: 'for two people in one family',
  friends: 'for two friends',
  coworkers: 'for two people who work together',
};

/** What the invited person reads before they join: what the room is and how the floor works. */
export function InvitePage({
  floor,
  name,
  setName,
  onJoin,
}: {
  floor: Floor;
  name: string;
  setName: (v: string) => void;
  onJoin: () => void;
}) {
  const host = floor.people.a?.name;
  const firstIsHost = floor.speaker === 'a';
  return (
    <section className="invite-page" aria-labelledby="invite-title">
      <h1 id="invite-title">{host ? `${host} invited you to talk` : 'An invitation to talk'}</h1>
      <p>
        This is a private room {floor.relationship ? AS[floor.relationship] : 'for two people'}
        {floor.relationship ? ` (${RELATIONSHIP_LABELS[floor.relationship].toLowerCase()})` : ''}, to talk
        about something hard without talking past each other. Only the two of you can read it: it is encrypted
        in your browsers, and the key is in the link, never on the server.
      </p>
      <h2>How the floor works</h2>
      <ol className="how">
        <li>One of you holds the floor and says what is true for them.</li>
        <li>
          The other says back what they heard, without defending or fixing, until the speaker says "yes,
          that's it".
        </li>
        <li>Then the listener may ask "is there more?", and the speaker passes the floor: you swap.</li>
        <li>
          Either of you can call a time-out at any moment. Steady notices words that may hurt, and puts safety
          first.
        </li>
      </ol>
      {host && (
        <p data-testid="first-speaker">
          <strong>{firstIsHost ? `${host} speaks first` : 'You speak first'}</strong>
          {firstIsHost ? '; you listen.' : `; ${host} listens.`}
        </p>
      )}
      <form
        className="join"
        onSubmit={(e) => {
          e.preventDefault();
          onJoin();
        }}
      >
        <label htmlFor="name">Your name in this room</label>
        <input
          id="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={40}
          autoComplete="given-name"
        />
        <button type="submit">Join the room</button>
      </form>
    </section>
  );
}
