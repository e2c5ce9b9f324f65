/**
 * Persistence faults with the real CLI (`standin serve --data`): kill -9 during a write storm → it restarts, every
 * file parses, and every write acknowledged more than one flush window before the kill is there; a corrupt or
 * truncated data file on start → an exit naming the file, or with --on-corrupt fixtures the file moved aside, the
 * move logged, and that sandbox started from the fixtures. Loopback only; every process is ended by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { plugins } from '../../server/apis/index.ts';

const productiveFixtures = () => plugins.find((p) => p.name === 'productive')!.fixtures();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Writes acknowledged longer ago than this before the kill must have reached the disk (the flush window is 25 ms or 3× the last write, plus the write). */
const FLUSH_WINDOW_MS = 1_000;

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  origin: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `standin serve` on a free loopback port; resolves once it serves (or rejects with its output if it exits). */
function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/standin.ts', 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', VITEST: '', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`standin did not start within 30 s:\n${output}`)), 30_000);
    child.stdout!.on('data', () => {
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, origin: match[1]!, output: () => output, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`standin exited (${code}):\n${output}`), { output, code }));
    });
  });
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-crash-'));
  dirs.push(dir);
  return dir;
};

describe('persistence faults', () => {
  it('kill -9 during a write storm: restarts, files parse, every write acknowledged before the last flush window is there', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data', dataDir, '--api', 'togai,productive']);
    const acknowledged: Array<{ kind: 'account' | 'price'; key: string; at: number }> = [];
    let killedAt = Infinity;
    let stop = false;
    const togai = { authorization: 'Bearer togai-test-token', 'content-type': 'application/json', 'x-standin-sandbox': 'storm-a' };
    const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572', 'content-type': 'application/vnd.api+json', 'x-standin-sandbox': 'storm-b' };
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 2 === 0) {
            const id = `STORM-${w}-${i}`;
            const res = await fetch(`${first.origin}/togai/accounts`, { method: 'POST', headers: togai, body: JSON.stringify({ id, name: `Storm ${w} ${i}`, customerId: `C-${w}` }) });
            await res.arrayBuffer();
            if (res.status === 201) acknowledged.push({ kind: 'account', key: id, at: performance.now() });
          } else {
            const name = `storm-${w}-${i}`;
            const body = JSON.stringify({ data: { type: 'prices', attributes: { name, unit_id: 2, rate: 100, currency: 'USD', quantity: 1 }, relationships: { company: { data: { type: 'companies', id: '1926' } }, service_type: { data: { type: 'service_types', id: '107' } } } } });
            const res = await fetch(`${first.origin}/productive/api/v2/prices`, { method: 'POST', headers: productive, body });
            await res.arrayBuffer();
            if (res.status === 201) acknowledged.push({ kind: 'price', key: name, at: performance.now() });
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    killedAt = performance.now();
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(await first.exited).toBe(null);

    // Every file left behind parses (writes are atomic: a temporary file renamed over the old one).
    const files = readdirSync(dataDir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['storm-a.json', 'storm-b.json']);
    for (const file of files) expect(() => JSON.parse(readFileSync(join(dataDir, file), 'utf8')), file).not.toThrow();

    const second = await serve(['--data', dataDir, '--api', 'togai,productive']);
    const stateOf = async (id: string) => (await (await fetch(`${second.origin}/__standin/sandboxes/${id}/state`)).json()) as any;
    const accounts = (await stateOf('storm-a')).apis.togai.accounts['tenant-a'] as Record<string, unknown>;
    const priceNames = new Set(Object.values((await stateOf('storm-b')).apis.productive.prices as Record<string, { name: string }>).map((p) => p.name));
    const present = (a: (typeof acknowledged)[number]) => (a.kind === 'account' ? a.key in accounts : priceNames.has(a.key));
    const missing = acknowledged.filter((a) => !present(a));
    const mustBeThere = acknowledged.filter((a) => a.at < killedAt - FLUSH_WINDOW_MS);
    const lostOld = mustBeThere.filter((a) => !present(a));
    const oldestMissingMs = missing.length ? Math.round(killedAt - Math.min(...missing.map((a) => a.at))) : 0;
    console.log(
      `persistence: ${acknowledged.length} writes acknowledged in 2.5 s, kill -9, restart: ${acknowledged.length - missing.length} there, ` +
        `${missing.length} missing, all acknowledged within the last ${oldestMissingMs} ms before the kill (window allowed ${FLUSH_WINDOW_MS} ms); ` +
        `${mustBeThere.length} older writes, ${lostOld.length} lost`,
    );
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(lostOld).toEqual([]);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 90_000);

  it('a corrupt or truncated data file: the start stops naming it; with --on-corrupt fixtures it is moved aside and logged', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'cut.json');
    // A sandbox file as the store writes it, cut in the middle (as a write that was not atomic would leave it).
    const whole = JSON.stringify({ clock: { offsetMs: 0, frozenAt: null }, apis: { productive: productiveFixtures() } });
    writeFileSync(file, whole.slice(0, Math.floor(whole.length / 2)));

    const refused = await serve(['--data', dataDir, '--api', 'productive']).then(
      () => undefined,
      (error: Error & { output?: string; code?: number }) => error,
    );
    expect(refused?.code).not.toBe(0);
    expect(refused?.output).toContain(`Sandbox file ${file} is corrupt`);
    expect(readFileSync(file, 'utf8')).toBe(whole.slice(0, Math.floor(whole.length / 2))); // nothing touched

    const recovered = await serve(['--data', dataDir, '--api', 'productive', '--on-corrupt', 'fixtures']);
    expect(recovered.output()).toMatch(/cut\.json is corrupt .*moved it to .*cut\.json\.corrupt-/);
    const aside = readdirSync(dataDir).filter((f) => f.startsWith('cut.json.corrupt-'));
    expect(aside.length).toBe(1);
    const state = (await (await fetch(`${recovered.origin}/__standin/sandboxes/cut/state`)).json()) as any;
    expect(Object.keys(state.apis.productive.prices).sort()).toEqual(['1', '12', '2']);
    console.log(`persistence: truncated ${file.split('/').pop()} → start refused naming it; --on-corrupt fixtures → moved to ${aside[0]}, sandbox from the fixtures`);
    recovered.child.kill('SIGTERM');
    await recovered.exited;
  }, 90_000);
});
