/** The sliced, coalesced writer of sandbox files (server/core/sandbox/store.ts). */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonSlices, SlicedJSONFile } from '../../server/core/sandbox/store.ts';

const big = {
  clock: { offsetMs: 0, frozenAt: null },
  apis: {
    a: {
      records: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [String(i), { id: String(i), name: `n"${i}\n`, tags: [i, null, 'x'], gone: undefined }])),
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
    const mixedKeys = { b: 1, 10: 'ten', a: { 2: 'two', z: 'zed', 1: 'one' }, 3: [undefined, () => 1, { 5: 5, x: undefined }] };
    const manyMixed = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [i % 3 ? `k${i}` : String(i), i % 5 ? i : undefined]));
    for (const value of [null, 1, 'text', [], {}, [undefined], { a: undefined }, mixedKeys, { deep: { deeper: { deepest: manyMixed } } }])
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
});
