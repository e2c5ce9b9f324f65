/**
 * Persistence faults with the real CLI (`standin serve --data`): kill -9 during a write storm → it restarts, every
 * file parses, and every write acknowledged more than one flush window before the kill is there; a corrupt or
 * truncated data file on start → an exit naming the file, or with --on-corrupt fixtures the file moved aside, the
 * move logged, and that sandbox started from the fixtures. Loopback only; every process is ended by the test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { plugins } from '../../server/apis/index.ts';
import { productiveStateWithPrices } from '../../fixtures/productive/generate.ts';
import { productivePrice } from './support.ts';

const productiveFixtures = () => plugins.find((p) => p.name === 'productive')!.fixtures();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Writes acknowledged longer ago than this before the kill must have reached the disk (the flush window is 25 ms or 3× the last write, plus the write). */
const FLUSH_WINDOW_MS = 1_000;
/**
 * A small sandbox's window while a large one is written: its 25 ms delay (3x its own serialisation time, not the
 * wall time of its last write, which a busy disk stretches) plus its own write (open, write, fsync, rename, fsync of
 * the directory), which a disk busy with the large file slows to a few hundred milliseconds on a loaded machine.
 */
const SMALL_WINDOW_MS = Number(process.env.SMALL_WINDOW_MS ?? 750);

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

/**
 * Starts `standin serve` on a free loopback port; resolves once it serves (or rejects with its output if it exits).
 * `wrapper` runs it inside another command (e.g. a mount namespace), which ends with exec.
 */
function serve(args: string[], wrapper: string[] = []): Promise<Served> {
  const command = [
    ...wrapper,
    process.execPath,
    '--import',
    'tsx',
    'scripts/standin.ts',
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    ...args,
  ];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', VITEST: '', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
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

/** Ends `served` as an operator does (SIGTERM); its exit code. */
function stopped(served: Served): Promise<number | null> {
  served.child.kill('SIGTERM');
  return served.exited;
}

/**
 * Runs `writers` (each writes while `writing()` holds) for `ms`, then kill -9s `served` under them and waits for them
 * and for its exit: when it was killed (performance.now()) and its exit code.
 */
async function killWhileWriting(
  served: Served,
  ms: number,
  writers: (writing: () => boolean) => Array<Promise<unknown>>,
): Promise<{ killedAt: number; code: number | null }> {
  let writing = true;
  const running = writers(() => writing);
  await sleep(ms);
  const killedAt = performance.now();
  served.child.kill('SIGKILL');
  writing = false;
  await Promise.all(running);
  return { killedAt, code: await served.exited };
}

/** A sandbox's state as `served` holds it. */
const sandboxState = async (served: Served, sandbox: string): Promise<any> =>
  (await fetch(`${served.origin}/__standin/sandboxes/${sandbox}/state`)).json();

const productiveHeaders = (sandbox: string) => ({
  'X-Auth-Token': 'productive-test-token',
  'X-Organization-Id': '572',
  'content-type': 'application/vnd.api+json',
  'x-standin-sandbox': sandbox,
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-crash-'));
  dirs.push(dir);
  return dir;
};

/** Why `standin serve` refused to start (its exit code and output), or undefined when it started. */
const refusal = (started: Promise<Served>) =>
  started.then(
    () => undefined,
    (error: Error & { output?: string; code?: number | null }) => ({
      code: error.code,
      output: error.output ?? error.message,
    }),
  );

/** `unshare -rm` (a user and mount namespace) then a tmpfs mounted with `options` on the directory: a real file system. */
const onTmpfs = (options: string, dir: string) => [
  'unshare',
  '-rm',
  'sh',
  '-c',
  `mount -t tmpfs -o ${options} tmpfs "$0" && exec "$@"`,
  dir,
];
const canMountTmpfs = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-mount-'));
  const ok =
    spawnSync(onTmpfs('ro', dir)[0]!, [...onTmpfs('ro', dir).slice(1), 'true'], { stdio: 'ignore' }).status === 0;
  rmSync(dir, { recursive: true, force: true });
  return ok;
})();

/** Skips a scenario where tmpfs cannot be mounted; `meanwhile` says what covers the same faults then. */
const needsTmpfs = (ctx: Pick<TestContext, 'skip'>, meanwhile: string) =>
  ctx.skip(!canMountTmpfs, `needs \`unshare -rm\` and tmpfs mounts (user namespaces); ${meanwhile}`);

/** The names of a sandbox state's Productive prices. */
const priceNames = (state: any) =>
  new Set(Object.values(state.apis.productive.prices as Record<string, { name: string }>).map((p) => p.name));

/**
 * The verdict on a kill -9 at `killedAt`: every acknowledged write that is not `present` after the restart must have
 * been acknowledged within the flush window `windowMs` before the kill. Logs the numbers after `what`.
 */
function expectOnlyRecentLost<W extends { at: number }>(
  what: string,
  acknowledged: W[],
  present: (write: W) => boolean,
  killedAt: number,
  windowMs: number,
): void {
  const older = (a: W) => a.at < killedAt - windowMs;
  const missing = acknowledged.filter((a) => !present(a));
  const lostOld = missing.filter(older);
  const oldestMissingMs = missing.length ? Math.round(killedAt - Math.min(...missing.map((a) => a.at))) : 0;
  console.log(
    `persistence: ${what}: ${acknowledged.length} writes acknowledged, kill -9, restart: ${missing.length} missing, ` +
      `the oldest acknowledged ${oldestMissingMs} ms before the kill (window allowed ${windowMs} ms); ` +
      `${acknowledged.filter(older).length} older writes, ${lostOld.length} lost`,
  );
  expect(lostOld).toEqual([]);
}

describe('persistence faults', () => {
  it('kill -9 during a write storm: restarts, files parse, every write acknowledged before the last flush window is there', async () => {
    const dataDir = tempDir();
    const first = await serve(['--data', dataDir, '--api', 'togai,productive']);
    const acknowledged: Array<{ kind: 'account' | 'price'; key: string; at: number }> = [];
    const togai = {
      authorization: 'Bearer togai-test-token',
      'content-type': 'application/json',
      'x-standin-sandbox': 'storm-a',
    };
    const productive = {
      'X-Auth-Token': 'productive-test-token',
      'X-Organization-Id': '572',
      'content-type': 'application/vnd.api+json',
      'x-standin-sandbox': 'storm-b',
    };
    const worker = async (w: number, writing: () => boolean) => {
      for (let i = 0; writing(); i++) {
        try {
          if (i % 2 === 0) {
            const id = `STORM-${w}-${i}`;
            const res = await fetch(`${first.origin}/togai/accounts`, {
              method: 'POST',
              headers: togai,
              body: JSON.stringify({ id, name: `Storm ${w} ${i}`, customerId: `C-${w}` }),
            });
            await res.arrayBuffer();
            if (res.status === 201) acknowledged.push({ kind: 'account', key: id, at: performance.now() });
          } else {
            const name = `storm-${w}-${i}`;
            const body = productivePrice(name);
            const res = await fetch(`${first.origin}/productive/api/v2/prices`, {
              method: 'POST',
              headers: productive,
              body,
            });
            await res.arrayBuffer();
            if (res.status === 201) acknowledged.push({ kind: 'price', key: name, at: performance.now() });
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const { killedAt, code } = await killWhileWriting(first, 2_500, (writing) =>
      Array.from({ length: 8 }, (_, w) => worker(w, writing)),
    );
    expect(code).toBe(null);
    expect(acknowledged.length).toBeGreaterThan(50);

    // Every file left behind parses (writes are atomic: a temporary file renamed over the old one).
    const files = readdirSync(dataDir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['storm-a.json', 'storm-b.json']);
    for (const file of files) expect(() => JSON.parse(readFileSync(join(dataDir, file), 'utf8')), file).not.toThrow();

    const second = await serve(['--data', dataDir, '--api', 'togai,productive']);
    const accounts = (await sandboxState(second, 'storm-a')).apis.togai.accounts['tenant-a'] as Record<string, unknown>;
    const prices = priceNames(await sandboxState(second, 'storm-b'));
    await stopped(second);
    const present = (a: (typeof acknowledged)[number]) =>
      a.kind === 'account' ? a.key in accounts : prices.has(a.key);
    expectOnlyRecentLost('a write storm of 2.5 s', acknowledged, present, killedAt, FLUSH_WINDOW_MS);
  }, 90_000);

  it('a corrupt or truncated data file: the start stops naming it; with --on-corrupt fixtures it is moved aside and logged', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'cut.json');
    // A sandbox file as the store writes it, cut in the middle (as a write that was not atomic would leave it).
    const whole = JSON.stringify({
      clock: { offsetMs: 0, frozenAt: null },
      apis: { productive: productiveFixtures() },
    });
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
    const state = await sandboxState(recovered, 'cut');
    expect(Object.keys(state.apis.productive.prices).sort()).toEqual(['1', '12', '2']);
    console.log(
      `persistence: truncated ${file.split('/').pop()} → start refused naming it; --on-corrupt fixtures → moved to ${aside[0]}, sandbox from the fixtures`,
    );
    await stopped(recovered);
  }, 90_000);

  it("kill -9 while a 20,000-price sandbox is being written: a small sandbox's writes older than its window survive", async () => {
    const dataDir = tempDir();
    const first = await serve(['--data', dataDir, '--api', 'productive']);
    const big = { clock: { offsetMs: 0, frozenAt: null }, apis: { productive: productiveStateWithPrices(20_000) } };
    const put = await fetch(`${first.origin}/__standin/sandboxes/big/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(big),
    });
    expect(put.status).toBe(200);
    const acknowledged: Array<{ name: string; at: number }> = [];
    let bigWrites = 0;
    const post = (sandbox: string, name: string) =>
      fetch(`${first.origin}/productive/api/v2/prices`, {
        method: 'POST',
        headers: productiveHeaders(sandbox),
        body: productivePrice(name),
      }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      });
    const bigWriter = async (writing: () => boolean) => {
      for (let i = 0; writing(); i++) if ((await post('big', `big-${i}`).catch(() => 0)) === 201) bigWrites++;
    };
    const smallWriter = async (w: number, writing: () => boolean) => {
      for (let i = 0; writing(); i++) {
        const name = `small-${w}-${i}`;
        const status = await post('small', name).catch(() => 0);
        if (status === 201) acknowledged.push({ name, at: performance.now() });
        await sleep(5);
      }
    };
    const { killedAt } = await killWhileWriting(first, 3_000, (writing) => [
      ...[0, 1, 2, 3].map(() => bigWriter(writing)),
      ...[0, 1].map((w) => smallWriter(w, writing)),
    ]);
    expect(acknowledged.length).toBeGreaterThan(20);
    expect(bigWrites).toBeGreaterThan(5);

    const second = await serve(['--data', dataDir, '--api', 'productive']);
    const names = priceNames(await sandboxState(second, 'small'));
    await stopped(second);
    const present = (a: (typeof acknowledged)[number]) => names.has(a.name);
    const what = `small-sandbox writes beside ${bigWrites} writes to a 20,000-price sandbox`;
    expectOnlyRecentLost(what, acknowledged, present, killedAt, SMALL_WINDOW_MS);
  }, 120_000);

  it("one server per data directory: a second refuses to start naming the holder; a dead holder's lock is taken over", async () => {
    const dataDir = tempDir();
    const lock = join(dataDir, '.standin.lock');
    const first = await serve(['--data', dataDir, '--api', 'productive']);
    const post = (origin: string, name: string) =>
      fetch(`${origin}/productive/api/v2/prices`, {
        method: 'POST',
        headers: productiveHeaders('locked'),
        body: productivePrice(name),
      }).then((res) => res.status);
    expect(await post(first.origin, 'by the first')).toBe(201);

    const second = await refusal(serve(['--data', dataDir, '--api', 'productive']));
    expect(second?.code).toBe(1);
    expect(second?.output).toContain(
      `the data directory ${dataDir} is in use by another Standin (pid ${first.child.pid}, lock file ${lock})`,
    );
    expect(await post(first.origin, 'after the refusal')).toBe(201); // the first one serves on, alone

    await sleep(300); // past the flush window
    first.child.kill('SIGKILL');
    await first.exited;
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.child.pid)); // left behind, its holder gone
    const third = await serve(['--data', dataDir, '--api', 'productive']);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(third.child.pid));
    expect([...priceNames(await sandboxState(third, 'locked'))]).toEqual(
      expect.arrayContaining(['by the first', 'after the refusal']),
    );
    expect(await stopped(third)).toBe(0);
    expect(existsSync(lock)).toBe(false); // released on a clean stop
    console.log(
      `persistence: second server on one --data refused naming pid ${first.child.pid}; after kill -9 its stale lock taken over by pid ${third.child.pid}, released on SIGTERM`,
    );
  }, 90_000);

  it('a --data that can never be a directory (a file; a path under /proc): refused at start, naming it', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const underFile = await refusal(serve(['--data', join(file, 'data'), '--api', 'productive']));
    expect(underFile?.code).toBe(1);
    expect(underFile?.output).toContain(`standin: the data directory ${join(file, 'data')} cannot be written (ENOTDIR`);
    if (existsSync('/proc/self')) {
      const dir = `/proc/standin-${process.pid}`;
      const underProc = await refusal(serve(['--data', dir, '--api', 'productive']));
      expect(underProc?.code).toBe(1);
      expect(underProc?.output).toContain(`standin: the data directory ${dir} cannot be written (ENOENT`);
    }
  }, 90_000);

  it('a read-only and a full file system (real tmpfs mounts in a user namespace): refused at start, naming the cause', async (ctx) => {
    needsTmpfs(ctx, 'the injected-disk tests in disk-faults.test.ts run anyway');
    const readOnly = tempDir();
    const ro = await refusal(serve(['--data', readOnly, '--api', 'productive'], onTmpfs('ro', readOnly)));
    expect(ro?.code).toBe(1);
    expect(ro?.output).toContain(
      `standin: the data directory ${readOnly} cannot be written (EROFS: read-only file system`,
    );
    const full = tempDir(); // 32 KiB: the 64 KiB probe does not fit
    const enospc = await refusal(serve(['--data', full, '--api', 'productive'], onTmpfs('size=32k', full)));
    expect(enospc?.code).toBe(1);
    expect(enospc?.output).toContain(
      `standin: the data directory ${full} cannot be written (ENOSPC: no space left on device`,
    );
    console.log(
      'persistence: a read-only tmpfs → refused at start (EROFS); a 32 KiB tmpfs → refused at start (ENOSPC)',
    );
  }, 90_000);

  it('a disk that fills up at run time (a real 384 KiB tmpfs in a user namespace): no crash, 503 while full, saved once there is room', async (ctx) => {
    needsTmpfs(ctx, 'disk-faults.test.ts injects the same failures anyway');
    const dataDir = tempDir();
    const served = await serve(['--data', dataDir, '--api', 'productive'], onTmpfs('size=384k', dataDir));
    // The mount exists only in the server's namespace: its files are read through /proc/<pid>/root.
    const seen = (file: string) => join(`/proc/${served.child.pid}/root`, dataDir, file);
    const admin = `${served.origin}/__standin`;
    const ballast = { clock: { offsetMs: 0, frozenAt: null }, apis: { productive: productiveStateWithPrices(400) } };
    expect(
      (
        await fetch(`${admin}/sandboxes/ballast/state`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ballast),
        })
      ).status,
    ).toBe(200);
    const post = async (name: string) => {
      const res = await fetch(`${served.origin}/productive/api/v2/prices`, {
        method: 'POST',
        headers: productiveHeaders('fill'),
        body: productivePrice(name),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const acknowledged: string[] = [];
    let refused: { status: number; body: any } | undefined;
    for (let i = 0; i < 5_000 && !refused; i++) {
      const answer = await post(`fill-${i}-${'x'.repeat(200)}`);
      if (answer.status === 201) acknowledged.push(`fill-${i}-${'x'.repeat(200)}`);
      else refused = answer;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.body.errors[0]).toMatchObject({ status: '503', code: 'service_unavailable' });
    expect(refused?.body.errors[0].detail).toContain('ENOSPC');
    const health = (await (await fetch(`${admin}/health`)).json()) as any;
    expect(health).toMatchObject({ status: 'degraded', unsaved: [expect.objectContaining({ sandbox: 'fill' })] });
    // Reads are served, with every acknowledged write; the file on disk is whole (the last one that fitted).
    const inMemory = (await (await fetch(`${admin}/sandboxes/fill/state`)).json()) as any;
    expect(acknowledged.filter((n) => !priceNames(inMemory).has(n))).toEqual([]);
    expect(() => JSON.parse(readFileSync(seen('fill.json'), 'utf8'))).not.toThrow();

    // Room again: the ballast sandbox is deleted; the retry saves every acknowledged write, writes are taken again.
    expect(
      (await fetch(`${admin}/sandboxes/ballast`, { method: 'DELETE', headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(204);
    const deadline = Date.now() + 15_000;
    while (((await (await fetch(`${admin}/health`)).json()) as any).status !== 'ok') {
      if (Date.now() > deadline) throw new Error('still degraded 15 s after room was made');
      await sleep(100);
    }
    const saved = priceNames(JSON.parse(readFileSync(seen('fill.json'), 'utf8')));
    expect(acknowledged.filter((n) => !saved.has(n))).toEqual([]);
    expect((await post('after')).status).toBe(201);
    // Its flush runs after the answer: once it is on disk, no temporary file of any write is left.
    const flushed = Date.now() + 15_000;
    while (!priceNames(JSON.parse(readFileSync(seen('fill.json'), 'utf8'))).has('after')) {
      if (Date.now() > flushed) throw new Error('the write after the disk had room again is not on disk after 15 s');
      await sleep(50);
    }
    expect(readdirSync(seen('')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    console.log(
      `persistence: a 384 KiB tmpfs filled by ${acknowledged.length} acknowledged writes → 503 (ENOSPC), health degraded, process alive; ballast deleted → all ${acknowledged.length} on disk, writes taken again`,
    );
    expect(await stopped(served)).toBe(0);
  }, 90_000);
});
