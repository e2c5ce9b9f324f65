/** Sandboxes, the admin API and persistence, seen from outside through HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin } from '../../server/app.ts';
import { serveStandin } from '../support/serve.ts';

const auth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const jsonApi = { ...auth, 'content-type': 'application/vnd.api+json' };
const newPrice = (name: string) =>
  JSON.stringify({
    data: {
      type: 'prices',
      attributes: { name, unit_id: 1, currency: 'USD' },
      relationships: { company: { data: { type: 'companies', id: '1926' } } },
    },
  });

const listen = (dataDir?: string) => serveStandin({ apis: ['productive'], dataDir });

async function priceNames(base: string, sandbox: string): Promise<string[]> {
  const res = await fetch(`${base}/productive/api/v2/prices?page[size]=200`, {
    headers: { ...auth, 'x-standin-sandbox': sandbox },
  });
  return ((await res.json()) as any).data.map((p: any) => p.attributes.name);
}

async function create(base: string, sandbox: string, name: string): Promise<number> {
  const res = await fetch(`${base}/productive/api/v2/prices`, {
    method: 'POST',
    headers: { ...jsonApi, 'x-standin-sandbox': sandbox },
    body: newPrice(name),
  });
  return res.status;
}

describe('sandboxes in memory', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (app = await listen()));
  afterAll(() => app.stop());
  const admin = (path: string, init?: RequestInit) => fetch(`${app.base}/__standin${path}`, init);

  it('answers health with the mounted APIs', async () => {
    const health = await (await admin('/health')).json();
    expect(health).toMatchObject({
      status: 'ok',
      apis: [{ name: 'productive', operations: 5, mountedAt: '/productive' }],
    });
  });

  it('keeps two sandboxes apart, and lists them', async () => {
    expect(await create(app.base, 'team-a', 'A only')).toBe(201);
    expect(await create(app.base, 'team-b', 'B only')).toBe(201);
    expect(await priceNames(app.base, 'team-a')).toEqual(['Price', 'A only']);
    expect(await priceNames(app.base, 'team-b')).toEqual(['Price', 'B only']);
    expect(await priceNames(app.base, 'default')).toEqual(['Price']);
    const ids = ((await (await admin('/sandboxes')).json()) as any[]).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['team-a', 'team-b', 'default']));
  });

  it('rejects a bad sandbox header in the vendor format', async () => {
    const res = await fetch(`${app.base}/productive/api/v2/prices`, {
      headers: { ...auth, 'x-standin-sandbox': '../etc' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].detail).toContain('x-standin-sandbox');
  });

  it('resets a sandbox to the fixtures', async () => {
    await create(app.base, 'resettable', 'temporary');
    expect(
      (await admin('/sandboxes/resettable/reset', { method: 'POST', headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(200);
    expect(await priceNames(app.base, 'resettable')).toEqual(['Price']);
  });

  it('snapshots a sandbox and restores it into another', async () => {
    await create(app.base, 'snap', 'in the snapshot');
    const state = await (await admin('/sandboxes/snap/state')).json();
    const put = await admin('/sandboxes/copy/state', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state),
    });
    expect(put.status).toBe(200);
    expect(await priceNames(app.base, 'copy')).toEqual(['Price', 'in the snapshot']);
    const bad = await admin('/sandboxes/copy/state', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"apis": {}}',
    });
    expect(bad.status).toBe(400);
    expect(await priceNames(app.base, 'copy')).toEqual(['Price', 'in the snapshot']);
  });

  it('sets, advances and freezes the clock; bad input is a 400', async () => {
    const set = await (
      await admin('/sandboxes/timed/clock', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ set: '2031-05-01T00:00:00Z', freeze: true }),
      })
    ).json();
    expect(set).toEqual({ now: '2031-05-01T00:00:00.000Z', frozen: true, offsetMs: 0 });
    const advanced = await (
      await admin('/sandboxes/timed/clock', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advance: 'P1M' }),
      })
    ).json();
    expect(advanced.now).toBe('2031-06-01T00:00:00.000Z');
    expect((await (await admin('/sandboxes/timed/clock')).json()).now).toBe('2031-06-01T00:00:00.000Z');
    const bad = await admin('/sandboxes/timed/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'soon' }),
    });
    expect(bad.status).toBe(400);
  });

  it('journals requests with their validation results, newest first, bounded by limit', async () => {
    await fetch(`${app.base}/productive/api/v2/prices`, {
      method: 'POST',
      headers: { ...jsonApi, 'x-standin-sandbox': 'journaled' },
      body: '{"data":',
    });
    await fetch(`${app.base}/productive/api/v2/prices/1`, { headers: { ...auth, 'x-standin-sandbox': 'journaled' } });
    const entries = (await (await admin('/sandboxes/journaled/journal?limit=2')).json()) as any[];
    expect(entries.map((e) => [e.method, e.operationId, e.status])).toEqual([
      ['GET', 'get_price', 200],
      ['POST', 'create_price', 400],
    ]);
    expect(entries[1].validation.request[0]).toMatchObject({ in: 'body', keyword: 'json' });
    expect(entries[0].validation.response).toEqual([]);
  });
});

describe('persistence with --data', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'standin-data-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every sandbox across a restart of the app', async () => {
    const first = await listen(dir);
    expect(await create(first.base, 'kept', 'survives')).toBe(201);
    await first.stop();
    const second = await listen(dir);
    expect(await priceNames(second.base, 'kept')).toEqual(['Price', 'survives']);
    await second.stop();
  });

  it('names a corrupt sandbox file instead of losing it', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'standin-bad-'));
    writeFileSync(join(bad, 'broken.json'), '{"clock": ');
    await expect(createStandin({ apis: ['productive'], dataDir: bad })).rejects.toThrow(/broken\.json is corrupt/);
    rmSync(bad, { recursive: true, force: true });
  });

  it('flushes on SIGTERM: `standin serve --data` restarted keeps what it acknowledged', async () => {
    const port = 4900 + Math.floor(Math.random() * 90);
    const serve = () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/standin.ts', 'serve', '--port', String(port), '--data', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return new Promise<ChildProcess>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving on') && resolve(child));
        child.once('exit', (code) => reject(new Error(`standin exited with ${code}`)));
      });
    };
    const base = `http://127.0.0.1:${port}`;
    let child = await serve();
    for (let i = 0; i < 20; i++) expect(await create(base, 'signalled', `write ${i}`)).toBe(201);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(JSON.parse(readFileSync(join(dir, 'signalled.json'), 'utf8')).apis.productive.next_price_id).toBe(33);
    child = await serve();
    expect((await priceNames(base, 'signalled')).length).toBe(21);
    const stopped = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await stopped;
  });
});
