/**
 * Limits: the body size cap, the bounded journal, a bounded number of sandboxes in memory (least recently used
 * dropped; with --data reloaded from its file on demand), a corrupt sandbox file (an error naming it, or with
 * onCorrupt 'fixtures' moved aside and the sandbox started from the fixtures, never silently), and a slow client
 * that cannot stall the others (request/header timeouts of the HTTP server).
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createStandin, listen } from '../../server/app.ts';
import { SandboxStore } from '../../server/core/sandbox/store.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-limits-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const fixtures = () => ({ demo: { items: [] as number[] } });
const items = (state: unknown) => (state as { apis: { demo: { items: number[] } } }).apis.demo.items;

describe('sandboxes in memory are bounded', () => {
  it('drops the least recently used past maxSandboxes; with a data directory it comes back from its file', async () => {
    const dataDir = tempDir();
    const store = await SandboxStore.open({ fixtures, dataDir, maxSandboxes: 3, flushDelayMs: 5 });
    for (let i = 0; i < 10; i++) {
      const sandbox = await store.get(`s${i}`);
      items(sandbox.state).push(i);
      sandbox.changed();
      sandbox.lastUsed = Date.now() + i; // a strict order of use
    }
    expect(store.list().length).toBeLessThanOrEqual(3);
    expect(store.list().map((s) => s.id)).toContain('s9');
    // Every dropped sandbox reloads with its own write, however many were dropped while their files were written.
    for (let i = 0; i < 10; i++) expect(items((await store.get(`s${i}`)).state), `s${i}`).toEqual([i]);
    expect(store.list().length).toBeLessThanOrEqual(3);
    await store.flushAll();
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.json')).length).toBe(10);
    // A dropped sandbox can still be deleted (its file goes).
    const dropped = ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'].find((id) => !store.peek(id))!;
    expect(await store.remove(dropped)).toBe(true);
    expect(readdirSync(dataDir)).not.toContain(`${dropped}.json`);
    expect(await store.remove('../escape')).toBe(false);
    console.log(
      `limits: 10 sandboxes through a store of at most 3 in memory, ${store.list().length} there now, all 10 reloaded with their writes`,
    );
  });

  it('by default at most 1,000: 1,050 requests with distinct sandbox names leave 1,000, the oldest back to the fixtures', async () => {
    const standin = await createStandin({ apis: ['togai'] });
    const server = standin.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const togai = (sandbox: string) => ({
      authorization: 'Bearer togai-test-token',
      'content-type': 'application/json',
      'x-standin-sandbox': sandbox,
    });
    const created = await fetch(`${origin}/togai/accounts`, {
      method: 'POST',
      headers: togai('first'),
      body: JSON.stringify({ id: 'FIRST-1', name: 'First', customerId: 'C-1' }),
    });
    expect(created.status).toBe(201);
    const names = Array.from({ length: 1_050 }, (_, i) => `crowd-${i}`);
    for (let i = 0; i < names.length; i += 25)
      await Promise.all(
        names
          .slice(i, i + 25)
          .map(async (name) => (await fetch(`${origin}/togai/accounts`, { headers: togai(name) })).arrayBuffer()),
      );
    const health = (await (await fetch(`${origin}/__standin/health`)).json()) as { sandboxes: number };
    expect(health.sandboxes).toBe(1_000);
    // The least recently used, dropped without --data, starts again from the fixtures.
    const first = await fetch(`${origin}/togai/accounts/FIRST-1`, { headers: togai('first') });
    expect(first.status).toBe(404);
    console.log(
      `limits: 1,051 sandbox names used, ${health.sandboxes} in memory (the default bound); the first dropped, back to the fixtures`,
    );
    server.close();
    await standin.close();
  }, 60_000);

  it('in memory only, a dropped sandbox starts again from the fixtures (the bound is on memory)', async () => {
    const store = await SandboxStore.open({ fixtures, maxSandboxes: 2 });
    items((await store.get('a')).state).push(1);
    await store.get('b');
    (await store.get('c')).lastUsed += 10;
    expect(store.list().length).toBe(2);
    expect(items((await store.get('a')).state)).toEqual([]);
  });
});

describe('admin reads create no sandbox', () => {
  it('GET of a sandbox, its faults, state, clock, journal or a view, and DELETE of its faults: 404 for one that does not exist', async () => {
    const standin = await createStandin({ apis: ['togai'] });
    const server = standin.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const admin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/__standin`;
    const count = async () => ((await (await fetch(`${admin}/health`)).json()) as { sandboxes: number }).sandboxes;
    const before = await count();
    const reads: Array<[string, string]> = [
      ['GET', ''],
      ['GET', '/faults'],
      ['GET', '/state'],
      ['GET', '/clock'],
      ['GET', '/journal'],
      ['GET', '/apis/togai/accounts'],
      ['DELETE', '/faults'],
    ];
    for (const [method, path] of reads) {
      const res = await fetch(`${admin}/sandboxes/never-used${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { error: string }).error).toContain('no sandbox never-used');
    }
    expect(await count()).toBe(before);
    expect(standin.store.peek('never-used')).toBeUndefined();
    // The default sandbox always exists; an admin write makes a sandbox, and then it is read.
    expect((await fetch(`${admin}/sandboxes/default/state`)).status).toBe(200);
    expect(
      (
        await fetch(`${admin}/sandboxes/made/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    expect((await fetch(`${admin}/sandboxes/made/state`)).status).toBe(200);
    server.close();
    await standin.close();
  });

  it('with a data directory, a sandbox dropped from memory is still found (from its file), and none is made by a read', async () => {
    const dataDir = tempDir();
    const store = await SandboxStore.open({ fixtures, dataDir, maxSandboxes: 1, flushDelayMs: 5 });
    items((await store.get('kept')).state).push(1);
    (await store.get('kept')).changed();
    await store.get('other'); // drops 'kept' from memory
    expect(store.peek('kept')).toBeUndefined();
    expect(items((await store.find('kept'))!.state)).toEqual([1]);
    expect(await store.find('nowhere')).toBeUndefined();
    await store.close();
    expect(
      readdirSync(dataDir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(['kept.json', 'other.json']);
  });
});

describe('a corrupt sandbox file', () => {
  it('stops the start with an error naming the file, and changes nothing on disk', async () => {
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'broken.json'),
      '{"clock": {"offsetMs": 0, "frozenAt": null}, "apis": {"demo": {"items": [1,',
    );
    await expect(SandboxStore.open({ fixtures, dataDir })).rejects.toThrow(
      `Sandbox file ${join(dataDir, 'broken.json')} is corrupt`,
    );
    expect(readdirSync(dataDir)).toEqual(['broken.json']);
  });

  it("with onCorrupt 'fixtures': moved aside as <id>.json.corrupt-<time>, logged, the sandbox starts from the fixtures", async () => {
    const dataDir = tempDir();
    const truncated = '{"clock": {"offsetMs": 0, "frozenAt": null}, "apis": {"demo": {"ite';
    writeFileSync(join(dataDir, 'broken.json'), truncated);
    writeFileSync(
      join(dataDir, 'fine.json'),
      JSON.stringify({ clock: { offsetMs: 0, frozenAt: null }, apis: { demo: { items: [7] } } }),
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const store = await SandboxStore.open({ fixtures, dataDir, onCorrupt: 'fixtures', flushDelayMs: 5 });
    expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
      /broken\.json is corrupt .*moved it to .*broken\.json\.corrupt-/,
    );
    errors.mockRestore();
    expect(items((await store.get('broken')).state)).toEqual([]);
    expect(items((await store.get('fine')).state)).toEqual([7]);
    await store.flushAll();
    const aside = readdirSync(dataDir).find((f) => f.startsWith('broken.json.corrupt-'))!;
    expect(readFileSync(join(dataDir, aside), 'utf8')).toBe(truncated);
    expect(JSON.parse(readFileSync(join(dataDir, 'broken.json'), 'utf8')).apis.demo.items).toEqual([]);
  });
});

describe('body size cap and journal bound', () => {
  it('a body over 1 MiB is refused with 413 and the journal keeps at most its size', async () => {
    const standin = await createStandin({ apis: ['productive'], strict: true, journalSize: 20 });
    const server = standin.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = {
      'X-Auth-Token': 'productive-test-token',
      'X-Organization-Id': '572',
      'x-standin-sandbox': 'caps',
    };
    const big = await fetch(`${origin}/productive/api/v2/prices`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'prices', attributes: { name: 'x'.repeat(1024 * 1024) } } }),
    });
    expect(big.status).toBe(413);
    for (let i = 0; i < 50; i++) await (await fetch(`${origin}/productive/api/v2/prices`, { headers })).arrayBuffer();
    const journal = (await (await fetch(`${origin}/__standin/sandboxes/caps/journal`)).json()) as unknown[];
    expect(journal.length).toBe(20);
    server.close();
    await standin.close();
  });
});

describe('a slow client', () => {
  it('cannot stall the others, and is cut off at the request timeout', async () => {
    const standin = await createStandin({ apis: ['productive'], strict: true });
    const server = listen(standin.app, 0, '127.0.0.1', { requestTimeoutMs: 1_500 });
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    // Five clients that send their headers a byte at a time and never finish.
    const slow = Array.from({ length: 5 }, () => {
      const socket = connect(port, '127.0.0.1');
      const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
      socket.on('error', () => {});
      const request = 'GET /productive/api/v2/prices HTTP/1.1\r\nHost: x\r\nX-Auth-Token: productive-test-token\r\n';
      let i = 0;
      const timer = setInterval(() => (i < request.length ? socket.write(request[i++]!) : undefined), 100);
      return { socket, closed, timer };
    });
    const started = performance.now();
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/productive/api/v2/prices`, {
        headers: { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      latencies.push(performance.now() - t0);
    }
    const closedAt = await Promise.all(slow.map((s) => s.closed));
    slow.forEach((s) => clearInterval(s.timer));
    const cutAfter = Math.max(...closedAt) - started;
    console.log(
      `limits: 20 requests beside 5 stalled clients, slowest ${Math.round(Math.max(...latencies))} ms; the stalled ones cut off after ${Math.round(cutAfter)} ms`,
    );
    expect(Math.max(...latencies)).toBeLessThan(1_000);
    expect(cutAfter).toBeLessThan(6_000);
    server.closeAllConnections();
    server.close();
    await standin.close();
  });
});
