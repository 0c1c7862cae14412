// One suite per pluggable backend, run against every implementation (as automerge-repo runs its storage
// adapter tests): the Store on SQLite and on PostgreSQL, the Hub in process and over Redis. A backend
// added later gets these tests by joining the lists below.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Hub, LocalHub, openStore, RedisHub, type Store } from '../src/index.ts';
import type { HubEvent } from '../src/hub.ts';
import { type Postgres, type RedisServer, startPostgres, startRedis } from '../testing/services.ts';

interface Backend<T> {
  name: string;
  open(): Promise<T>;
}

function storeSuite(b: Backend<Store>): void {
  describe(`Store: ${b.name}`, () => {
    let store: Store;
    before(async () => {
      store = await b.open();
    });
    after(() => store.close());

    it('creates a room and keeps its verifier; an unknown room has none', async () => {
      await store.createRoom('r1', 'v1');
      assert.equal(await store.verifier('r1'), 'v1');
      assert.equal(await store.verifier('nope'), undefined);
    });
    it('appends in order, once per client id, and reads back what came after a sequence number', async () => {
      await store.createRoom('r2', 'v');
      const a = await store.append('r2', 'c1', 'one');
      const b2 = await store.append('r2', 'c2', 'two');
      const again = await store.append('r2', 'c1', 'one');
      assert.ok('seq' in a && 'seq' in b2 && 'seq' in again);
      assert.equal(b2.seq, a.seq + 1);
      assert.equal(again.seq, a.seq, 'a resend of a stored client id gets its first sequence number');
      assert.equal(again.fresh, false);
      assert.deepEqual(
        (await store.since('r2', 0)).map((m) => [m.id, m.body]),
        [
          ['c1', 'one'],
          ['c2', 'two'],
        ],
      );
      assert.deepEqual(
        (await store.since('r2', a.seq)).map((m) => m.body),
        ['two'],
      );
    });
    it('pages a long history within a bound, always at least one message per page', async () => {
      await store.createRoom('r3', 'v');
      for (let i = 0; i < 5; i++) await store.append('r3', `c${i}`, 'x'.repeat(100));
      const first = await store.page('r3', 0, 250);
      assert.equal(first.messages.length, 2);
      assert.equal(first.more, true);
      const rest = await store.page('r3', first.messages.at(-1)!.seq, 10_000);
      assert.equal(rest.messages.length, 3);
      assert.equal(rest.more, false);
      const tiny = await store.page('r3', 0, 1);
      assert.equal(tiny.messages.length, 1, 'a page smaller than one message still carries one');
    });
    it('deletes a room and everything in it', async () => {
      await store.createRoom('r4', 'v');
      await store.append('r4', 'c', 'secret');
      assert.equal(await store.deleteRoom('r4'), true);
      assert.equal(await store.verifier('r4'), undefined);
      assert.deepEqual(await store.since('r4', 0), []);
      assert.equal(await store.deleteRoom('r4'), false);
    });
    it('seats: two per room, the same one again is fine, a third is refused; they go with the room', async () => {
      await store.createRoom('r5', 'v');
      assert.equal(await store.addSeat('r5', 's1'), 'ok');
      assert.equal(await store.addSeat('r5', 's1'), 'ok');
      assert.equal(await store.addSeat('r5', 's2'), 'ok');
      assert.equal(await store.addSeat('r5', 's3'), 'full');
      assert.deepEqual((await store.seats('r5')).sort(), ['s1', 's2']);
      assert.equal(await store.addSeat('nope', 's1'), 'gone');
      assert.equal(await store.deleteRoom('r5'), true);
      assert.deepEqual(await store.seats('r5'), []);
    });
    it('keeps a pending deletion, lists it once due, and calls it off', async () => {
      await store.createRoom('r6', 'v');
      assert.equal(await store.deletion('r6'), null);
      const at = Date.now() + 1000;
      await store.setDeletion('r6', { at, by: 's1' });
      assert.deepEqual(await store.deletion('r6'), { at, by: 's1' });
      assert.ok(!(await store.dueDeletions(at - 1)).includes('r6'), 'not due before its time');
      assert.ok((await store.dueDeletions(at)).includes('r6'));
      await store.setDeletion('r6', null);
      assert.equal(await store.deletion('r6'), null);
      assert.ok(!(await store.dueDeletions(at + 1)).includes('r6'));
    });
    it('prunes the rooms idle past a cut-off, and none that are in use', async () => {
      await store.createRoom('old', 'v');
      const later = Date.now() + 40 * 24 * 3600_000;
      await store.createRoom('fresh', 'v');
      const pruned = await store.prune(30 * 24 * 3600_000, later);
      assert.ok(pruned.includes('old') && pruned.includes('fresh'), 'both idle 40 days later');
      assert.deepEqual(await store.prune(30 * 24 * 3600_000), [], 'nothing idle now');
    });
    it('answers the health check', async () => {
      assert.equal(await store.ping(), true);
      assert.equal(store.writable, true);
    });
  });
}

function hubSuite(b: Backend<Hub>): void {
  describe(`Hub: ${b.name}`, () => {
    let one: Hub;
    let two: Hub;
    before(async () => {
      one = await b.open();
      two = b.name === 'local' ? one : await b.open();
    });
    after(async () => {
      await one.close();
      if (two !== one) await two.close();
    });

    const next = (h: Hub) =>
      new Promise<HubEvent>((resolve) => {
        h.onEvent = resolve;
      });

    it('delivers a published event to a process that joined the room', async () => {
      await two.join('room-a');
      const got = next(two);
      one.publish({ room: 'room-a', kind: 'msg', msg: { seq: 1, id: 'c1', body: 'hello' } });
      const e = await got;
      assert.equal(e.room, 'room-a');
      assert.equal(e.kind, 'msg');
      assert.equal(e.kind === 'msg' && e.msg.body, 'hello');
      assert.equal(two.live, true);
    });
    it('delivers a deletion', async () => {
      await two.join('room-b');
      const got = next(two);
      one.publish({ room: 'room-b', kind: 'deleted' });
      assert.deepEqual(await got, { room: 'room-b', kind: 'deleted' });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'steady-backends-'));
let pg: Postgres | undefined;
let redis: RedisServer | undefined;
after(async () => {
  await pg?.stop();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
storeSuite({ name: 'sqlite', open: () => openStore(join(dir, `s${n++}.db`)) });
storeSuite({
  name: 'postgres',
  open: async () => {
    pg ??= await startPostgres();
    return openStore(await pg.database());
  },
});
hubSuite({ name: 'local', open: async () => new LocalHub() });
hubSuite({
  name: 'redis',
  open: async () => {
    redis ??= await startRedis();
    return new RedisHub(redis.url);
  },
});
