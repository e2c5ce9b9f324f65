/** Fault injection over HTTP: rules through the admin API, the X-Standin-Fault header, journal markers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin } from '../support/serve.ts';

const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

// Strict (as under every test): injected answers must not be turned into self-check 500s.
const listen = () => serveStandin({ strict: true });

describe('faults over HTTP', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (app = await listen()));
  afterAll(() => app.stop());
  // Admin writes are JSON, body-less ones too.
  const admin = (path: string, init?: RequestInit) =>
    fetch(
      `${app.base}/__standin${path}`,
      init?.method ? { ...init, headers: { 'content-type': 'application/json', ...init.headers } } : init,
    );
  const post = (path: string, body: unknown) => admin(path, { method: 'POST', body: JSON.stringify(body) });
  const prices = (sandbox: string, headers: Record<string, string> = {}) =>
    fetch(`${app.base}/productive/api/v2/prices`, {
      headers: { ...productive, 'x-standin-sandbox': sandbox, ...headers },
    });
  const journal = async (sandbox: string) => (await (await admin(`/sandboxes/${sandbox}/journal`)).json()) as any[];

  it('injects a 500 on one operation in the vendor format, leaves the others alone, and clears it', async () => {
    const res = await post('/sandboxes/f1/faults', { api: 'productive', operationId: 'list_prices', status: 500 });
    expect(res.status).toBe(201);
    const rule = (await res.json()) as any;
    expect(rule).toMatchObject({ api: 'productive', operationId: 'list_prices', status: 500, hits: 0 });

    const failed = await prices('f1');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({
      errors: [
        { status: '500', code: 'injected_fault', title: 'Internal Server Error', detail: 'Internal Server Error' },
      ],
    });
    // Another operation, and another sandbox, are unaffected.
    const one = await fetch(`${app.base}/productive/api/v2/prices/1`, {
      headers: { ...productive, 'x-standin-sandbox': 'f1' },
    });
    expect(one.status).toBe(200);
    expect((await prices('f2')).status).toBe(200);

    const [entry] = await journal('f1');
    expect(entry).toMatchObject({ operationId: 'get_price', status: 200 });
    const faulted = (await journal('f1')).find((e) => e.operationId === 'list_prices');
    expect(faulted).toMatchObject({
      status: 500,
      fault: { source: rule.id, status: 500 },
      validation: { response: [] },
    });

    expect(((await (await admin('/sandboxes/f1/faults')).json()) as any[]).map((r) => r.hits)).toEqual([1]);
    expect((await admin(`/sandboxes/f1/faults/${rule.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin(`/sandboxes/f1/faults/${rule.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await prices('f1')).status).toBe(200);
  });

  it('answers 429 with Retry-After, from a rule or the header', async () => {
    await post('/sandboxes/f3/faults', { status: 429, retryAfter: 3 });
    const limited = await prices('f3');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await (await admin('/sandboxes/f3/faults', { method: 'DELETE' })).json()).toEqual({ removed: 1 });

    const togai = await fetch(`${app.base}/togai/accounts/ACC00001`, {
      headers: { authorization: 'Bearer togai-test-token', 'x-standin-sandbox': 'f3', 'x-standin-fault': 'status=429' },
    });
    expect(togai.status).toBe(429);
    expect(togai.headers.get('retry-after')).toBe('1');
    expect(await togai.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('adds latency, fixed or in a range, then answers normally', async () => {
    const started = performance.now();
    const slow = await prices('f4', { 'x-standin-fault': 'latency=150-200' });
    const took = performance.now() - started;
    expect(slow.status).toBe(200);
    expect(took).toBeGreaterThanOrEqual(145);
    const [entry] = await journal('f4');
    expect(entry.fault.latencyMs).toBeGreaterThanOrEqual(150);
    expect(entry.fault.latencyMs).toBeLessThanOrEqual(200);
  });

  it('resets the connection, and journals it with status 0', async () => {
    await expect(prices('f5', { 'x-standin-fault': 'reset' })).rejects.toThrow();
    await post('/sandboxes/f5/faults', { operationId: 'list_prices', reset: true });
    await expect(prices('f5')).rejects.toThrow();
    const entries = await journal('f5');
    expect(entries.map((e) => [e.status, e.fault.reset])).toEqual([
      [0, true],
      [0, true],
    ]);
  });

  it('takes effect only `times` times when asked: the first call fails, the retry works', async () => {
    const rule = (await (
      await post('/sandboxes/f8/faults', { operationId: 'list_prices', status: 503, times: 1 })
    ).json()) as any;
    expect(rule.times).toBe(1);
    expect((await prices('f8')).status).toBe(503);
    expect((await prices('f8')).status).toBe(200);
    expect(((await (await admin('/sandboxes/f8/faults')).json()) as any[])[0]).toMatchObject({
      id: rule.id,
      hits: 1,
      times: 1,
    });
    expect((await post('/sandboxes/f8/faults', { status: 503, times: 0 })).status).toBe(400);
  });

  it('takes effect with its probability (0 never, 1 always)', async () => {
    await post('/sandboxes/f6/faults', { status: 503, probability: 0 });
    for (let i = 0; i < 5; i++) expect((await prices('f6')).status).toBe(200);
    expect((await prices('f6', { 'x-standin-fault': 'status=503;probability=1' })).status).toBe(503);
  });

  it('refuses a malformed header or rule with a reason, and a reset of the sandbox clears its rules', async () => {
    const bad = await prices('f7', { 'x-standin-fault': 'status=99' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('x-standin-fault');
    const refused = await post('/sandboxes/f7/faults', { operationId: 'no_such_op', status: 500 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'no operation no_such_op' });
    await post('/sandboxes/f7/faults', { status: 500 });
    await admin('/sandboxes/f7/reset', { method: 'POST' });
    expect(await (await admin('/sandboxes/f7/faults')).json()).toEqual([]);
  });

  it('answers an injected status in DjaoApp and Toggl formats too', async () => {
    const toggl = await fetch(`${app.base}/toggl/api/v9/workspaces/plans`, {
      headers: { 'x-standin-fault': 'status=502;message=Bad gateway upstream' },
    });
    expect(toggl.status).toBe(502);
    expect(await toggl.json()).toBe('Bad gateway upstream');
    const djaoapp = await fetch(`${app.base}/djaoapp/api/auth/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-standin-fault': 'status=500' },
      body: JSON.stringify({ username: 'donny', password: 'yoyo' }),
    });
    expect(djaoapp.status).toBe(500);
    expect(await djaoapp.json()).toEqual({ detail: 'Internal Server Error' });
  });
});
