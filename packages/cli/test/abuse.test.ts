// Issue 15, item 8 (and the prune command of item 3): the CLI as an attacker would feed it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildApi } from '@steady/api';
import { openStore, sqliteFile } from '@steady/server';

const bin = fileURLToPath(new URL('../bin/steady.js', import.meta.url));
const run = (args: string[], input?: string | Buffer) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// an OSC 0 title, an OSC 52 clipboard write, a C1 CSI, a carriage return over the line
const HOSTILE = 'You never listen \x1b]0;owned\x07 \x1b]52;c;cm0gLXJmIH4=\x07 \x9b2J\rI feel invisible.';

describe('steady CLI under hostile input', () => {
  for (const lens of ['hear', 'check', 'soften'])
    it(`${lens}: control characters in the input are shown, never sent raw to the terminal`, () => {
      const r = run([lens, HOSTILE]);
      assert.equal(r.code, 0, r.err);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      assert.doesNotMatch(r.out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no raw control character reaches stdout');
      if (lens !== 'soften') assert.match(r.out, /␛\]0;owned␇/, 'the sequence is visible');
      // JSON keeps the text exactly (escaped by JSON itself)
      const j = JSON.parse(run([lens, HOSTILE, '--json']).out) as { text?: string; reply?: string };
      assert.equal(j.text ?? j.reply, HOSTILE);
    });

  it('standard input over 1 MB is refused with a clear error; --jsonl streams any length', () => {
    const big = 'You never listen to me. '.repeat(50_000); // 1.2 MB
    const r = run(['hear'], big);
    assert.equal(r.code, 2);
    assert.match(r.err, /over 1 MB/);
    assert.equal(r.out, '');
    const lines = `${'You never listen to me.\n'.repeat(2000)}`.repeat(25); // 1.2 MB of lines
    const s = run(['hear', '--jsonl', '--rules-only'], lines);
    assert.equal(s.code, 0, s.err);
    assert.equal(s.out.trim().split('\n').length, 50_000);
  });

  it('`| head` ends quietly: no EPIPE, no stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'hear', '--jsonl', '--rules-only'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdin.on('error', () => {});
    child.stdin.end('You never listen to me.\n'.repeat(200_000));
    // like head -1: read the first line, then close the pipe
    await new Promise<void>((r) =>
      child.stdout.once('data', () => {
        child.stdout.destroy();
        r();
      }),
    );
    const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    assert.equal(err, '');
    assert.equal(code, 0);
  });

  it('text made only of invisible characters is empty input, in the CLI and the API', async () => {
    const invisible = [
      '\u200b\u200b',
      '\u2800\u2800',
      '\u{e0041}\u{e0042}',
      '\u2060\ufeff\u00ad',
      '\x1b\x07',
    ];
    for (const t of invisible) {
      const r = run(['hear', t]);
      assert.equal(r.code, 2, JSON.stringify(t));
      assert.match(r.err, /empty/);
    }
    const api = buildApi({ perMinute: 0 });
    for (const t of invisible)
      for (const [lens, body] of [
        ['hear', { text: t }],
        ['check', { reply: t }],
        ['soften', { text: t }],
      ] as const) {
        const r = await api.inject({ method: 'POST', url: `/v1/${lens}`, payload: body });
        assert.equal(r.statusCode, 400, `${lens} ${JSON.stringify(t)}`);
        assert.match(r.body, /empty/);
      }
    await api.close();
    assert.equal(run(['hear', 'ok \u2800']).code, 0, 'a word among them is text');
  });

  it('steady prune deletes rooms idle longer than --older-than from the server database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steady-prune-'));
    dirs.push(dir);
    const store = await openStore(join(dir, 'steady.db'));
    const idle = 'idle-room-aaaaaaaaaaaaa';
    const used = 'used-room-aaaaaaaaaaaaa';
    for (const id of [idle, used]) await store.createRoom(id, 'v'.repeat(64));
    await store.append(idle, 'client-one', 'ciphertext');
    sqliteFile(store)!
      .prepare('UPDATE rooms SET active_at = ? WHERE id = ?')
      .run(Date.now() - 40 * 86_400_000, idle);
    await store.close();
    assert.match(run(['prune', '--data', dir, '--older-than', 'soon']).err, /like 30d/);
    assert.match(run(['prune', '--data', dir, '--older-than', '0d']).err, /more than 0/);
    assert.match(run(['prune', '--data', join(dir, 'nowhere')]).err, /no database/);
    const r = run(['prune', '--data', dir, '--older-than', '30d']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /deleted 1 room idle for more than 30d/);
    const again = await openStore(join(dir, 'steady.db'));
    assert.equal(await again.verifier(idle), undefined);
    assert.ok(await again.verifier(used));
    await again.close();
    assert.deepEqual(JSON.parse(run(['prune', '--data', dir, '--json']).out), {
      pruned: 0,
      olderThan: '30d',
    });
  });
});
