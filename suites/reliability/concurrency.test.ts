/**
 * Concurrency: 1,000 creates at once in one sandbox are all stored, with unique ids; concurrent updates of one
 * record end in exactly one writer's values, never a mix; sandboxes written in parallel never see each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facts, freshSandbox, Harness, productivePrice, send } from './support.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

const JSONAPI = 'application/vnd.api+json';
/** 1,000 requests queued at once on a loaded 2-core machine: the last answers are slow, but must come. */
const BURST_MS = 60_000;

describe('concurrency', () => {
  it('1,000 concurrent creates in one sandbox: 1,000 stored, ids unique (Productive and Togai)', async () => {
    const N = 1000;
    const prices = h.target('productive');
    await freshSandbox(prices);
    const headers = { ...facts.productive.valid, 'content-type': JSONAPI };
    const started = performance.now();
    const created = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        send(prices, 'POST', '/api/v2/prices', {
          headers,
          body: productivePrice(`concurrent-${i}`, i + 1),
          timeoutMs: BURST_MS,
        }),
      ),
    );
    const productiveMs = performance.now() - started;
    expect(created.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const ids = created.map((r) => r.body.data.id as string);
    expect(new Set(ids).size).toBe(N);
    const stored = (
      await prices.admin<{ apis: { productive: { prices: Record<string, { name: string }> } } }>('GET', '/state')
    ).apis.productive.prices;
    const names = new Set(Object.values(stored).map((p) => p.name));
    for (let i = 0; i < N; i++) expect(names.has(`concurrent-${i}`), `concurrent-${i}`).toBe(true);
    for (const id of ids) expect(stored[id]?.name).toMatch(/^concurrent-\d+$/);

    const accounts = h.target('togai');
    await freshSandbox(accounts);
    const togaiStarted = performance.now();
    const made = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        send(accounts, 'POST', '/accounts', {
          headers: { ...facts.togai.valid, 'content-type': 'application/json' },
          body: JSON.stringify({ id: `CONC-${i}`, name: `Concurrent ${i}`, customerId: `CUST-${i % 50}` }),
          timeoutMs: BURST_MS,
        }),
      ),
    );
    const togaiMs = performance.now() - togaiStarted;
    expect(made.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    expect(new Set(made.map((r) => r.body.togaiAccountId)).size).toBe(N);
    const listed = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await send(accounts, 'GET', '/accounts', {
        headers: facts.togai.valid,
        query: nextToken ? [['nextToken', nextToken]] : [['pageSize', '100']],
      });
      expect(page.status).toBe(200);
      for (const account of page.body.data as Array<{ id: string }>) listed.add(account.id);
      nextToken = page.body.nextToken;
    } while (nextToken);
    for (let i = 0; i < N; i++) expect(listed.has(`CONC-${i}`), `CONC-${i}`).toBe(true);
    console.log(
      `concurrency: ${N} concurrent creates → ${N} stored, ids unique (Productive ${Math.round(productiveMs)} ms, Togai ${Math.round(togaiMs)} ms)`,
    );
  }, 120_000);

  it('concurrent updates of one record end in one writer’s values, never a mix', async () => {
    const W = 200;
    const prices = h.target('productive');
    await freshSandbox(prices);
    const headers = { ...facts.productive.valid, 'content-type': JSONAPI };
    const updates = await Promise.all(
      Array.from({ length: W }, (_, i) =>
        send(prices, 'PATCH', '/api/v2/prices/1', {
          headers,
          body: JSON.stringify({
            data: { type: 'prices', attributes: { name: `writer-${i}`, rate: 1000 + i, quantity: i + 1 } },
          }),
        }),
      ),
    );
    expect(updates.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const price = (await send(prices, 'GET', '/api/v2/prices/1', { headers: facts.productive.valid })).body.data
      .attributes;
    const writer = Number(/^writer-(\d+)$/.exec(price.name)![1]);
    expect([price.rate, Number(price.quantity)]).toEqual([1000 + writer, writer + 1]);

    const accounts = h.target('togai');
    await freshSandbox(accounts);
    await Promise.all(
      Array.from({ length: W }, (_, i) =>
        send(accounts, 'PATCH', '/accounts/ACC00001', {
          headers: { ...facts.togai.valid, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `writer-${i}`, primaryEmail: `writer-${i}@example.com`, netTermDays: i % 90 }),
        }).then((r) => expect(r.status).toBe(200)),
      ),
    );
    const account = (await send(accounts, 'GET', '/accounts/ACC00001', { headers: facts.togai.valid })).body;
    const last = Number(/^writer-(\d+)$/.exec(account.name)![1]);
    expect([account.primaryEmail, account.netTermDays]).toEqual([`writer-${last}@example.com`, last % 90]);
    console.log(
      `concurrency: ${W} concurrent updates of one price and of one account → each ends as one writer wrote it (price writer ${writer}, account writer ${last})`,
    );
  }, 60_000);

  it('parallel sandboxes never interfere', async () => {
    const S = 8;
    const PER = 40;
    const targets = Array.from({ length: S }, () => h.target('productive'));
    await Promise.all(targets.map((t) => freshSandbox(t)));
    const headers = { ...facts.productive.valid, 'content-type': JSONAPI };
    await Promise.all(
      targets.flatMap((t, s) =>
        Array.from({ length: PER }, (_, i) =>
          send(t, 'POST', '/api/v2/prices', {
            headers,
            body: productivePrice(`${t.sandbox}-${i}`, s * 1000 + i + 1),
          }).then((r) => expect(r.status).toBe(201)),
        ),
      ),
    );
    for (const t of targets) {
      const list = await send(t, 'GET', '/api/v2/prices', {
        headers: facts.productive.valid,
        query: [['page[size]', '200']],
      });
      const names = (list.body.data as Array<{ attributes: { name: string } }>).map((p) => p.attributes.name);
      expect(names.filter((n) => n.startsWith(`${t.sandbox}-`)).length).toBe(PER);
      expect(names.filter((n) => n.startsWith('rel-productive-') && !n.startsWith(`${t.sandbox}-`))).toEqual([]);
      expect(list.body.meta.total_count).toBe(PER + 1); // the fixtures' price 1 of organization 572
    }
    console.log(
      `concurrency: ${S} sandboxes × ${PER} creates in parallel → each holds its own ${PER} and none of the others'`,
    );
  }, 60_000);
});
