// npm run corpus: per-id precision and recall of hear and check on the labelled dev corpus.
// --misses lists every disagreement, for working on the rules.
import {
  readJsonl,
  scoreMessages,
  scoreReplies,
  table,
  type MessageCase,
  type ReplyCase,
} from './lib/corpus.ts';

const messages = readJsonl<MessageCase>('corpus/messages.jsonl');
const replies = readJsonl<ReplyCase>('corpus/replies.jsonl');
const m = scoreMessages(messages);
const r = scoreReplies(replies);
console.log(`## hear: cues and safety (${messages.length} messages)\n\n${table(m.scores)}\n`);
console.log(`## check: moves (${replies.length} replies)\n\n${table(r.scores)}\n`);
if (process.argv.includes('--misses'))
  for (const x of [...m.misses, ...r.misses]) console.log(`${x.kind}\t${x.id}\t${x.text}`);
