/**
 * A disk that fails under a running Standin, simulated by giving the store a Disk whose writes fail (ENOSPC after
 * half of a file, EROFS on create) — no root needed. The process lives on, the file on disk stays the last whole
 * one, no temporary file is left, health says degraded and why, writes to that sandbox are refused with 503 in each
 * vendor's error format while reads are served, and once the disk works again the retry saves what was kept in
 * memory. The real read-only directory and a full one at start are in persistence.test.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../../server/app.ts';
import { loadContract } from '../../server/core/contract/load.ts';
import { nodeDisk, type Disk } from '../../server/core/sandbox/disk.ts';
import { APIS, productivePrice, type ApiName } from './support.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const fail = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });

/** The real disk, unless `failure` is set: then a new file cannot be created (EROFS) or fills up half-way (ENOSPC). */
function failingDisk(): Disk & { failure?: 'EROFS' | 'ENOSPC' } {
  const disk: Disk & { failure?: 'EROFS' | 'ENOSPC' } = {
    ...nodeDisk,
    async create(path) {
      if (disk.failure === 'EROFS') throw fail('EROFS', `read-only file system, open '${path}'`);
      const file = await nodeDisk.create(path);
      return {
        ...file,
        async write(text) {
          if (disk.failure !== 'ENOSPC') return file.write(text);
          await file.write(text.slice(0, Math.floor(text.length / 2)));
          throw fail('ENOSPC', 'no space left on device, write');
        },
      };
    },
  };
  return disk;
}

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const SANDBOX = 'disk';
const productive = {
  'X-Auth-Token': 'productive-test-token',
  'X-Organization-Id': '572',
  'content-type': 'application/vnd.api+json',
  'x-standin-sandbox': SANDBOX,
};

/** A write operation of each API (method, and its path with every parameter filled): refused before auth while unsaved. */
function aWrite(api: ApiName): [string, string] {
  const op = loadContract(api).operations.find((o) => o.method.toUpperCase() === 'POST')!;
  return ['POST', `/${api}${op.path.replace(/\{[^}]+\}/g, 'x')}`];
}

/** The message of each vendor's error body. */
const messageOf: Record<ApiName, (body: any) => string> = {
  productive: (body) => (body.errors[0].status === '503' ? body.errors[0].detail : ''),
  togai: (body) => body.message,
  toggl: (body) => body,
  djaoapp: (body) => body.detail,
};

describe('a disk that fails at run time (injected: the store writes through a Disk that fails)', () => {
  let standin: Standin;
  let server: Server;
  let origin: string;
  const disk = failingDisk();
  const dataDir = mkdtempSync(join(tmpdir(), 'standin-disk-'));
  dirs.push(dataDir);
  afterAll(async () => {
    disk.failure = undefined;
    server?.closeAllConnections();
    server?.close();
    await standin?.close();
  });

  const createPrice = async (name: string) =>
    fetch(`${origin}/productive/api/v2/prices`, { method: 'POST', headers: productive, body: productivePrice(name) });
  const priceNames = async () => {
    const res = await fetch(`${origin}/productive/api/v2/prices`, { headers: productive });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { attributes: { name: string } }[] }).data.map((p) => p.attributes.name);
  };
  const onDisk = () => JSON.stringify(JSON.parse(readFileSync(join(dataDir, `${SANDBOX}.json`), 'utf8')));
  const health = async () => (await (await fetch(`${origin}/__standin/health`)).json()) as any;

  it('keeps the data, answers 503 in each vendor format to writes, serves reads, and saves it all once the disk works', async () => {
    standin = await createStandin({ dataDir, disk });
    server = await new Promise<Server>((resolve) => {
      const s = standin.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect((await createPrice('before')).status).toBe(201);
    await until(
      'the first price is on disk',
      () => readdirSync(dataDir).includes(`${SANDBOX}.json`) && onDisk().includes('"before"'),
    );
    const saved = onDisk();

    disk.failure = 'ENOSPC';
    expect((await createPrice('kept in memory')).status).toBe(201); // acknowledged before its flush ran
    await until('health says degraded', async () => (await health()).status === 'degraded');
    const degraded = await health();
    expect(degraded.unsaved).toEqual([
      expect.objectContaining({ sandbox: SANDBOX, reason: expect.stringContaining('ENOSPC') }),
    ]);
    expect(degraded.reason).toMatch(/refused \(503\)/);

    // The file is the last whole one, and the half-written temporary file was removed, not renamed into place.
    expect(onDisk()).toBe(saved);
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Writes to that sandbox: 503 in the vendor's error format, whatever the API; nothing changes.
    const refusals: string[] = [];
    for (const api of APIS) {
      const [method, path] = aWrite(api);
      const res = await fetch(`${origin}${path}`, {
        method,
        headers: { 'x-standin-sandbox': SANDBOX, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status, api).toBe(503);
      expect(res.headers.get('retry-after'), api).toBe('1');
      expect(messageOf[api](await res.json()), api).toMatch(`cannot save sandbox ${SANDBOX} (ENOSPC`);
      refusals.push(`${api} ${res.status}`);
    }
    expect((await createPrice('refused')).status).toBe(503);
    const reset = await fetch(`${origin}/__standin/sandboxes/${SANDBOX}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(reset.status).toBe(503); // an admin write too
    // Reads are served, from memory, with the acknowledged write.
    expect(await priceNames()).toEqual(expect.arrayContaining(['before', 'kept in memory']));
    expect(await priceNames()).not.toContain('refused');

    disk.failure = 'EROFS'; // still failing, differently: the reason follows
    await until('the reason is the new failure', async () => (await health()).unsaved?.[0]?.reason.includes('EROFS'));
    expect(onDisk()).toBe(saved);
    // A stop now (SIGTERM flushes) says what it could not write, instead of exiting as if all were saved.
    await expect(standin.store.flushAll()).rejects.toThrow(
      `could not be written: ${SANDBOX} (EROFS: read-only file system`,
    );

    disk.failure = undefined;
    await until('health is ok again', async () => (await health()).status === 'ok');
    expect(onDisk()).toContain('"kept in memory"');
    expect((await createPrice('after')).status).toBe(201);
    await until('the write after recovery is on disk', () => onDisk().includes('"after"'));
    console.log(
      `disk faults: ENOSPC then EROFS on flush → process alive, file unchanged, no temporary file, health degraded; ${refusals.join(', ')}; reads served; recovered by retry, every acknowledged write on disk`,
    );
  });
});
