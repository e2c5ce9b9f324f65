/**
 * No request costs much more to answer and journal than it cost to send: validation problems are capped (those at
 * the first MAX_PROBLEM_PLACES places, the count of the rest in X-Standin-Problems-Omitted and the journal), a
 * journal entry holds at most 16 KB of each body, and a sandbox's journal at most about JOURNAL_MAX_BYTES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OMITTED_PROBLEMS_HEADER } from '../../server/core/headers.ts';
import { Journal, journalBody, JOURNAL_MAX_BYTES } from '../../server/core/sandbox/journal.ts';
import { capProblems, MAX_PROBLEM_PLACES } from '../../server/core/validator/problems.ts';
import type { Problem } from '../../server/core/validator/compile.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { placesOf, sampleOf, type Json } from './schema.ts';
import {
  APIS,
  djaoappSession,
  facts,
  freshSandbox,
  Harness,
  pathOf,
  send,
  validParams,
  type ApiName,
} from './support.ts';

/** What an answer and a journal entry may take, at most, whatever the request. */
const MAX_ANSWER_BYTES = 16 * 1024;
const MAX_ENTRY_BYTES = 64 * 1024;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

async function lastEntry(t: ConformanceTarget): Promise<{
  text: string;
  entry: { status: number; validation: { request: Problem[]; omitted?: { request: number } } };
}> {
  const res = await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/journal?limit=1`);
  const text = await res.text();
  return { text, entry: (JSON.parse(text) as Array<never>)[0]! };
}

describe('capped problems', () => {
  it('keeps the problems at the first places, those containing them, and counts the rest', () => {
    const found: Problem[] = [
      { in: 'body', pointer: '', keyword: 'type', message: 'must be object' },
      ...Array.from(
        { length: 1000 },
        (_, i): Problem => ({ in: 'body', pointer: `/${i}/plan`, keyword: 'required', message: 'is required' }),
      ),
      { in: 'body', pointer: '', keyword: 'oneOf', message: 'must match exactly one schema in oneOf' },
      { in: 'body', pointer: `/x${'y'.repeat(10_000)}`, keyword: 'additionalProperties', message: 'is not allowed' },
    ];
    const { problems, omitted } = capProblems(found);
    expect(problems.map((p) => p.pointer)).toEqual([
      '',
      ...Array.from({ length: MAX_PROBLEM_PLACES - 1 }, (_, i) => `/${i}/plan`),
      '',
    ]);
    expect(problems.at(-1)!.keyword).toBe('oneOf');
    expect(omitted).toBe(found.length - problems.length);
    const long = capProblems([
      { in: 'body', pointer: `/${'k'.repeat(100_000)}`, keyword: 'additionalProperties', message: 'm'.repeat(100_000) },
    ]).problems[0]!;
    expect(long.pointer.length + long.message.length).toBeLessThan(1_000);
  });
});

describe('DjaoApp: cart lists of items without a plan', () => {
  const addToCart = async (t: ConformanceTarget, count: number) => {
    const body = `[${Array(count).fill('{}').join(',')}]`;
    const res = await send(t, 'POST', '/api/cart/', {
      headers: { ...facts.djaoapp.other, 'content-type': 'application/json' },
      body,
    });
    expect(res.status, res.raw.toString().slice(0, 200)).toBe(400);
    expect(t.contractProblems('cart_add', res)).toEqual([]);
    expect(res.raw.length).toBeLessThan(MAX_ANSWER_BYTES);
    const { text, entry } = await lastEntry(t);
    expect(entry.status).toBe(400);
    expect(entry.validation.request.length).toBeLessThanOrEqual(MAX_PROBLEM_PLACES + 2);
    expect(text.length).toBeLessThan(MAX_ENTRY_BYTES);
    console.log(
      `amplification: a cart of ${count} items (${body.length} bytes) → ${res.raw.length} bytes answered, ${text.length} bytes journaled`,
    );
    return { res, entry };
  };
  let t: ConformanceTarget;
  beforeAll(async () => {
    t = h.target('djaoapp');
    await freshSandbox(t);
    await djaoappSession(t);
  });

  it('100 items (the most a cart takes at once) → the first items’ errors, as DRF lists them, the rest counted', async () => {
    const { res, entry } = await addToCart(t, 100);
    // DRF's answer to a list: one object per item (the list itself is one of the places).
    const listed = res.body as unknown[];
    expect(listed.length).toBeGreaterThan(MAX_PROBLEM_PLACES / 2);
    expect(listed).toEqual(Array.from({ length: listed.length }, () => ({ plan: ['This field is required.'] })));
    expect(Number(res.headers.get(OMITTED_PROBLEMS_HEADER))).toBe(100 - listed.length);
    expect(entry.validation.omitted?.request).toBe(100 - listed.length);
  });

  it.each([100_000, 300_000])(
    '%i items → the list’s length refused alone, as DRF does; problems counted, not kept',
    async (count) => {
      const { res, entry } = await addToCart(t, count);
      expect(res.body).toEqual({ non_field_errors: ['Ensure this field has no more than 100 elements.'] });
      expect(Number(res.headers.get(OMITTED_PROBLEMS_HEADER))).toBeGreaterThan(count - MAX_PROBLEM_PLACES - 3);
      expect(entry.validation.omitted!.request).toBeGreaterThan(count - MAX_PROBLEM_PLACES - 3);
    },
  );
});

/** The valid body with the list at `path` replaced by `count` nulls (each one a problem). */
function withLongList(root: Json, path: Array<string | number>, count: number): string {
  const marker = '"__standin_list__"';
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  if (path.length) node[path.at(-1)!] = '__standin_list__';
  const text = path.length ? JSON.stringify(copy) : marker;
  return text.replace(marker, `[${Array(count).fill('null').join(',')}]`);
}

describe('the outermost list of every JSON body, 20,000 bad items long', () => {
  it.each(APIS)(
    '%s: never a 5xx, the answer and its journal entry small',
    async (api: ApiName) => {
      const t = h.target(api);
      await freshSandbox(t);
      if (api === 'djaoapp') await djaoappSession(t);
      const failures: string[] = [];
      let count = 0;
      for (const op of h.contracts[api].operations) {
        const type = Object.keys(op.requestBody?.content ?? {}).find((type) => /json/i.test(type));
        if (!type) continue;
        const schema = op.requestBody!.content[type]!.schema;
        const base = sampleOf(h.contracts[api].document, schema, 0, true);
        const path = pathOf(op, validParams(api, op));
        const lists = placesOf(h.contracts[api].document, schema, base).filter(
          (p) => Array.isArray(p.value) || p.schema.type === 'array',
        );
        const outermost = lists.filter((p) => p.path.length === Math.min(...lists.map((l) => l.path.length)));
        for (const place of outermost) {
          count++;
          const body = withLongList(base, place.path, 20_000);
          const res = await send(t, op.method.toUpperCase(), path, {
            headers: { ...facts[api].valid, 'content-type': type },
            body,
          });
          const where = `${api}.${op.operationId} /${place.path.join('/')} → ${res.status}`;
          if (res.status >= 500) failures.push(`${where}: ${res.raw.toString().slice(0, 160)}`);
          if (res.raw.length > MAX_ANSWER_BYTES) failures.push(`${where}: answered ${res.raw.length} bytes`);
          const { text } = await lastEntry(t);
          if (text.length > MAX_ENTRY_BYTES) failures.push(`${where}: journaled ${text.length} bytes`);
        }
      }
      console.log(`amplification ${api}: ${count} lists of 20,000 nulls, ${failures.length} failures`);
      for (const failure of failures.slice(0, 20)) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    120_000,
  );
});

describe('the journal of a sandbox is bounded in bytes', () => {
  it('drops its oldest entries beyond JOURNAL_MAX_BYTES, whatever the entries hold', async () => {
    const journal = new Journal(10_000, 100_000);
    const big = 'x'.repeat(1_000_000);
    for (let i = 0; i < 50; i++)
      journal.add({
        at: '',
        api: 'a',
        operationId: 'o',
        method: 'POST',
        path: `/${big}`,
        status: 400,
        durationMs: 1,
        validation: { request: [], response: [] },
        requestBody: journalBody(big),
        responseBody: journalBody(big),
      });
    expect(journal.byteSize).toBeLessThanOrEqual(100_000);
    expect(journal.size).toBeGreaterThan(1);
    expect(JSON.stringify(journal.last()).length).toBeLessThan(150_000);
    expect(journal.last()[0]!.seq).toBe(50);

    const t = h.target('productive');
    const body = JSON.stringify({ data: { type: 'prices', attributes: { name: 'x'.repeat(20_000) } } });
    for (let i = 0; i < 250; i++)
      await send(t, 'POST', '/api/v2/prices', {
        headers: { ...facts.productive.valid, 'content-type': 'application/vnd.api+json' },
        body,
      });
    const text = await (await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/journal`)).text();
    expect(text.length).toBeLessThan(JOURNAL_MAX_BYTES * 1.25);
    console.log(
      `journal: 250 requests of ${body.length} bytes → ${(JSON.parse(text) as unknown[]).length} entries, ${text.length} bytes`,
    );
  }, 60_000);
});
