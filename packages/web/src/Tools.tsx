// Export and delete: what each person can do with the conversation itself.
import type { Turn } from '@steady/protocol';
import { describe } from './Conversation';
import { forgetRoom } from './drafts';

export function Tools({
  turns,
  people,
  id,
  auth,
  member,
}: {
  turns: Turn[];
  people: Record<string, { name: string } | undefined>;
  id: string;
  auth: string;
  /** Has a seat in this room: only a member may delete it. */
  member: boolean;
}) {
  const download = (name: string, type: string, body: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([body], { type }));
    a.download = name;
    a.click();
  };
  const markdown = () =>
    `${[
      '# Steady conversation',
      '',
      ...turns.map((t) => `- **${people[t.role]?.name ?? t.role}** ${describe(t)}`),
    ].join('\n')}\n`;
  return (
    <footer className="tools">
      <button
        type="button"
        className="quiet"
        onClick={() => download('steady-conversation.md', 'text/markdown', markdown())}
      >
        Export Markdown
      </button>
      <button
        type="button"
        className="quiet"
        onClick={() =>
          download('steady-conversation.json', 'application/json', JSON.stringify({ people, turns }, null, 2))
        }
      >
        Export JSON
      </button>
      {member && (
        <button
          type="button"
          className="quiet danger"
          onClick={async () => {
            if (!confirm('Delete this conversation for good, for both of you?')) return;
            const r = await fetch(`/api/rooms/${id}`, {
              method: 'DELETE',
              headers: { 'x-steady-auth': auth },
            });
            if (r.status === 204) {
              forgetRoom(id);
              location.href = '/';
            }
          }}
        >
          Delete for good
        </button>
      )}
    </footer>
  );
}
