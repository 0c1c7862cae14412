// Starting a room: a name, who the two are to each other, and who speaks first. The room is made on the
// server (it learns only a verifier of the key), and the creator is seated as soon as it opens.
import { useState } from 'react';
import { RELATIONSHIP_LABELS, ROOM_RELATIONSHIPS, type RoomRelationship } from '@steady/protocol';
import { createRoom } from './rooms';
import { roomLink } from './room-crypto/index.ts';

/** What the creator chose, kept until the room opens and seats them (then removed). */
export interface StartChoice {
  name: string;
  relationship: RoomRelationship;
  first: 'me' | 'them';
}
export const startKey = (room: string) => `steady:start:${room}`;

export function StartRoom() {
  const [name, setName] = useState(() => localStorage.getItem('steady:name') ?? '');
  const [relationship, setRelationship] = useState<RoomRelationship>('partner');
  const [first, setFirst] = useState<'me' | 'them'>('me');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const { id, secret } = await createRoom();
      localStorage.setItem('steady:name', name.trim());
      const choice: StartChoice = { name: name.trim(), relationship, first };
      localStorage.setItem(startKey(id), JSON.stringify(choice));
      location.href = roomLink(location.origin, id, secret);
    } catch (e) {
      setError(`Could not open a room: ${(e as Error).message}`);
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void create();
      }}
      className="card"
    >
      <h2>A private room for two</h2>
      <p className="muted">
        One of you holds the floor and speaks; the other says back what they heard until you say "yes, that's
        it". Then you swap. Everything is encrypted in your browser; the key lives only in the link.
      </p>
      <label htmlFor="home-name">Your name</label>
      <input
        id="home-name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={40}
        autoComplete="given-name"
      />
      <label htmlFor="home-relationship">The two of you are</label>
      <select
        id="home-relationship"
        value={relationship}
        onChange={(e) => setRelationship(e.target.value as RoomRelationship)}
      >
        {ROOM_RELATIONSHIPS.map((r) => (
          <option key={r} value={r}>
            {RELATIONSHIP_LABELS[r]}
          </option>
        ))}
      </select>
      <fieldset className="choice">
        <legend>Who speaks first</legend>
        <label>
          <input type="radio" name="first" checked={first === 'me'} onChange={() => setFirst('me')} /> I do
        </label>
        <label>
          <input type="radio" name="first" checked={first === 'them'} onChange={() => setFirst('them')} /> The
          other person
        </label>
      </fieldset>
      <button type="submit" disabled={busy}>
        Start a private room
      </button>
      {error && (
        <p role="alert" className="problem">
          {error}
        </p>
      )}
    </form>
  );
}
