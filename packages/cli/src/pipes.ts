// Standard streams for a command-line tool: `steady hear ... | head` ends quietly when head stops
// reading, and standard input outside --jsonl is bounded (one reading is of one message, not a file).
import { InputError } from '@steady/engine';

/** Most bytes read from standard input when it is one text (--jsonl streams, so it has no bound). */
export const STDIN_MAX = 1024 * 1024;

/** A reader that went away (EPIPE) is not an error: stop, exit 0, print nothing. */
export function quietPipes(): void {
  for (const s of [process.stdout, process.stderr])
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
}

/** Read a stream whole, refusing (and stopping) past `max` bytes with a clear error. */
export async function readBounded(input: NodeJS.ReadableStream, max = STDIN_MAX): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of input) {
    n += (c as Buffer).length;
    if (n > max) {
      (input as NodeJS.ReadStream).destroy?.();
      throw new InputError(
        `standard input is over ${max / 1024 / 1024} MB; give one message (or use --jsonl, one per line)`,
      );
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
