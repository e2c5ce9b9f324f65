/** Sandbox files: the sliced, coalesced writer (store.ts), the data directory lock, and safe sandbox ids. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeDisk, replaceFile, type Disk } from './disk.ts';
import { DataDirectoryError, LOCK_FILE } from './data-dir.ts';
import { isSandboxId, jsonSlices, SandboxStore, SlicedJSONFile } from './store.ts';
import { beginTransaction } from './transaction.ts';

const big = {
  clock: { offsetMs: 0, frozenAt: null },
  apis: {
    a: {
      records: Object.fromEntries(
        Array.from({ length: 500 }, (_, i) => [
          String(i),
          { id: String(i), name: `n"${i}\n`, tags: [i, null, 'x'], gone: undefined },
        ]),
      ),
      list: Array.from({ length: 200 }, (_, i) => (i % 7 ? { i, nested: { deep: [1, 2, { deeper: i }] } } : undefined)),
      small: { x: 1, y: [undefined, 2], f: () => 1, d: new Date(0) },
      counter: 501,
    },
  },
};

describe('sandbox files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same JSON value as JSON.stringify, in slices', () => {
    const slices = [...jsonSlices(big, 0)];
    expect(slices.length).toBeGreaterThan(5);
    expect(slices.join('')).toBe(JSON.stringify(big));
    expect([...jsonSlices(big)].join('')).toBe(JSON.stringify(big));
    const mixedKeys = {
      b: 1,
      10: 'ten',
      a: { 2: 'two', z: 'zed', 1: 'one' },
      3: [undefined, () => 1, { 5: 5, x: undefined }],
    };
    const manyMixed = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [i % 3 ? `k${i}` : String(i), i % 5 ? i : undefined]),
    );
    for (const value of [
      null,
      1,
      'text',
      [],
      {},
      [undefined],
      { a: undefined },
      mixedKeys,
      { deep: { deeper: { deepest: manyMixed } } },
    ])
      expect([...jsonSlices(value, 0)].join('')).toBe(JSON.stringify(value));
  });

  it('coalesces writes asked for while one runs and ends with the latest data, atomically', async () => {
    const file = join(dir, 'coalesced.json');
    const adapter = new SlicedJSONFile<{ n: number; payload: typeof big }>(file, 0);
    const writes = Array.from({ length: 5 }, (_, n) => adapter.write({ n, payload: big }));
    await Promise.all(writes);
    expect(JSON.parse(readFileSync(file, 'utf8')).n).toBe(4);
    expect(await adapter.read()).toMatchObject({ n: 4 });
    expect(readdirSync(dir)).toEqual(['coalesced.json']);
    expect(await new SlicedJSONFile(join(dir, 'missing.json')).read()).toBeNull();
  });

  it('replaces a file whole: written, synced, then renamed under a name of this process; a failure leaves the old file', async () => {
    const file = join(dir, 'whole.json');
    writeFileSync(file, 'old');
    const steps: string[] = [];
    const failAt = (step: 'write' | 'sync' | undefined): Disk => ({
      ...nodeDisk,
      async create(path) {
        steps.push(`create ${path.slice(dir.length + 1)}`);
        const out = await nodeDisk.create(path);
        const failed = () => Object.assign(new Error(`EIO: i/o error, ${step}`), { code: 'EIO' });
        return {
          close: out.close,
          async write(text) {
            await out.write(step === 'write' ? text.slice(0, 2) : text);
            if (step === 'write') throw failed();
          },
          async sync() {
            if (step === 'sync') throw failed();
            steps.push('sync');
            await out.sync();
          },
        };
      },
      async rename(from, to) {
        steps.push('rename');
        await nodeDisk.rename(from, to);
      },
    });
    for (const step of ['write', 'sync'] as const) {
      await expect(replaceFile(failAt(step), file, ['new ', 'content'])).rejects.toThrow(`EIO: i/o error, ${step}`);
      expect(readFileSync(file, 'utf8')).toBe('old');
      expect(readdirSync(dir).filter((f) => f.includes('whole'))).toEqual(['whole.json']);
    }
    await replaceFile(failAt(undefined), file, ['new ', 'content']);
    expect(readFileSync(file, 'utf8')).toBe('new content');
    const [create, ...after] = steps.slice(-3);
    expect(create).toMatch(new RegExp(`^create \\.whole\\.json\\.${process.pid}\\.\\d+\\.tmp$`));
    expect(after).toEqual(['sync', 'rename']);
    const created = steps.filter((s) => s.startsWith('create'));
    expect(new Set(created).size).toBe(created.length); // a new name for every write
  });

  it('locks the data directory: a second store on it is refused until the first closes; a lock nobody holds is taken over', async () => {
    const dataDir = join(dir, 'locked');
    const lock = join(dataDir, LOCK_FILE);
    const fixtures = () => ({});
    const first = await SandboxStore.open({ fixtures, dataDir });
    const second = SandboxStore.open({ fixtures, dataDir: join(dataDir, '..', 'locked') });
    await expect(second).rejects.toThrow(DataDirectoryError);
    await expect(second).rejects.toThrow(
      `is in use by another Standin (pid ${process.pid}, lock file ${join(dataDir, '..', 'locked', LOCK_FILE)})`,
    );
    await first.close();
    expect(readdirSync(dataDir)).toEqual([]);
    // Left by an earlier process that had this pid (a restarted container), or not a pid at all: taken over.
    for (const left of [`${process.pid}\n`, 'not a pid']) {
      writeFileSync(lock, left);
      const store = await SandboxStore.open({ fixtures, dataDir });
      expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
      await store.close();
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});

describe('sandboxes over shared fixtures', () => {
  interface Shop {
    prices: Record<string, { id: string; name: string; tags: string[] }>;
    next: number;
  }
  const fixtures = () => ({
    shop: { prices: { '1': { id: '1', name: 'one', tags: ['x'] } }, next: 2 } as Shop,
    other: { users: [{ name: 'xia' }] },
  });
  const write = (state: unknown, change: (shop: Shop) => void) => {
    const tx = beginTransaction(state as Shop);
    change(tx.state);
    tx.commit();
  };

  it('builds the fixtures once and shares them, frozen, between sandboxes until they write', async () => {
    let built = 0;
    const build = () => {
      built++;
      return fixtures();
    };
    const store = await SandboxStore.open({ fixtures: build, shareFixtures: true });
    const [a, b] = [await store.get('a'), await store.get('b')];
    expect(built).toBe(1);
    const shopOf = (id: string) => store.peek(id)!.state.apis.shop as Shop;
    expect(shopOf('a')).not.toBe(shopOf('b'));
    expect(shopOf('a').prices).toBe(shopOf('b').prices);
    expect(Object.isFrozen(shopOf('a').prices['1'])).toBe(true);
    expect(() => {
      shopOf('a').prices['1']!.name = 'raw';
    }).toThrow(TypeError);
    write(a.state.apis.shop, (shop) => {
      shop.prices['1']!.tags.push('a');
      shop.prices[String(shop.next++)] = { id: '2', name: 'two', tags: [] };
    });
    expect(shopOf('a')).toEqual({
      prices: { '1': { id: '1', name: 'one', tags: ['x', 'a'] }, '2': { id: '2', name: 'two', tags: [] } },
      next: 3,
    });
    expect(b.state.apis).toEqual(fixtures());
    expect((await store.get('c')).state.apis).toEqual(fixtures());
    // Each API's root object is the sandbox's own; what is in it is shared.
    expect(a.state.apis.other).not.toBe(b.state.apis.other);
    expect((a.state.apis.other as { users: object }).users).toBe((b.state.apis.other as { users: object }).users);
  });

  it('resets a sandbox to the fixtures and round-trips a snapshot', async () => {
    const store = await SandboxStore.open({ fixtures, shareFixtures: true });
    const sandbox = await store.get('s');
    write(sandbox.state.apis.shop, (shop) => {
      shop.prices['1']!.name = 'renamed';
    });
    const snapshot = structuredClone(sandbox.state);
    await store.reset('s');
    expect(sandbox.state.apis).toEqual(fixtures());
    expect((sandbox.state.apis.shop as Shop).prices).toBe(((await store.get('t')).state.apis.shop as Shop).prices);
    await store.restore('s', snapshot);
    expect(sandbox.state).toEqual(snapshot);
    write(sandbox.state.apis.shop, (shop) => {
      shop.next = 7;
    });
    expect(snapshot.apis.shop).toMatchObject({ next: 2 });
    expect((await store.get('u')).state.apis).toEqual(fixtures());
  });

  it('writes the whole state of a sandbox, shared parts included, to its --data file, and loads it back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'standin-shared-'));
    try {
      const store = await SandboxStore.open({ fixtures, shareFixtures: true, dataDir, flushDelayMs: 1 });
      write((await store.get('d')).state.apis.shop, (shop) => {
        shop.prices['1']!.tags.push('saved');
      });
      const expected = {
        ...fixtures(),
        shop: { ...fixtures().shop, prices: { '1': { id: '1', name: 'one', tags: ['x', 'saved'] } } },
      };
      await store.close();
      expect(JSON.parse(readFileSync(join(dataDir, 'd.json'), 'utf8')).apis).toEqual(expected);
      const reopened = await SandboxStore.open({ fixtures, shareFixtures: true, dataDir });
      expect((await reopened.get('d')).state.apis).toEqual(expected);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sandbox ids', () => {
  it('are short names safe as file names', () => {
    expect(isSandboxId('ci-job_42.a')).toBe(true);
    for (const bad of ['', '../etc', 'a/b', '.hidden', 'x'.repeat(65)]) expect(isSandboxId(bad)).toBe(false);
  });
});
