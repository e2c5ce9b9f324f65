/**
 * The `standin` command as a user runs it, in a child process: serve's config file and environment, --replay, a busy
 * port, the banner's links, `npm start` stopped by a signal, and the report folders of verify and drift.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'standin-cli-'));
const children: ChildProcess[] = [];

function run(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  // Its own process group, so that what it started goes with it at the end of the test.
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', VITEST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  return child;
}

const standin = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/standin.ts', ...args], env);

/** Everything the child wrote, once it has exited. */
function exited(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The banner, once the server listens (its address on the first line). */
function banner(child: ChildProcess): Promise<{ base: string; lines: string[] }> {
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const base = /serving on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (base && /API reference.*\n/.test(stdout)) resolve({ base, lines: stdout.split('\n') });
    });
    child.once('exit', (code) => reject(new Error(`standin exited with ${code}: ${stdout}${stderr}`)));
  });
}

const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (await condition()) return true;
  return false;
}

afterEach(() => {
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }
});

describe('standin serve', () => {
  it('takes its options from a config file and STANDIN_* variables', async () => {
    const config = join(scratch, 'standin.config.yaml');
    // The file's port (1) would not bind: the environment's wins.
    writeFileSync(config, 'api: [togai, toggl]\nport: 1\n');
    const { base, lines } = await banner(standin(['serve'], { STANDIN_CONFIG: config, STANDIN_PORT: '0' }));
    expect(lines.filter((l) => /operations\)$/.test(l)).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
      'Togai Accounts API',
      'Toggl Track API v9 — Subscription',
    ]);
    expect((await fetch(`${base}/__standin/health`)).status).toBe(200);
  });

  it('stops with one line naming an unknown key of the config file, or a bad value, exit 1', async () => {
    const config = join(scratch, 'unknown.json');
    writeFileSync(config, '{"prot": 4011}');
    const unknown = await exited(standin(['serve', '--config', config]));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      `error: ${config}: unknown key "prot"; the keys are port, host, api, data, store, storePrefix, storeLease, strict, maxSandboxes, onCorrupt, requestTimeout, adminToken, allowedHosts, replay, log`,
    );
    const bad = await exited(standin(['serve'], { STANDIN_MAX_SANDBOXES: 'many' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/value 'many' from env 'STANDIN_MAX_SANDBOXES' is invalid/);
  });

  it('--replay answers the exchanges a proxy recorded, then the mock', async () => {
    const recording = mkdtempSync(join(scratch, 'recorded-'));
    const recorded = { data: [{ id: 'recorded-1', type: 'prices', attributes: { name: 'From the recording' } }] };
    writeFileSync(
      join(recording, 'productive-000001.json'),
      JSON.stringify({
        api: 'productive',
        operationId: 'listPrices',
        method: 'GET',
        url: '/api/v2/prices',
        requestBody: '',
        status: 200,
        headers: { 'content-type': 'application/vnd.api+json' },
        body: Buffer.from(JSON.stringify(recorded)).toString('base64'),
      }),
    );
    const { base } = await banner(standin(['serve', '--port', '0', '--replay', recording]));
    expect(await (await fetch(`${base}/productive/api/v2/prices`)).json()).toEqual(recorded);
    const missing = await exited(standin(['serve', '--port', '0', '--replay', join(scratch, 'nowhere')]));
    expect([missing.code, missing.stderr.trim()]).toEqual([
      1,
      `standin: --replay ${join(scratch, 'nowhere')}: cannot read the directory (ENOENT)`,
    ]);
  });

  it('says in one line that the port is busy, exit 1, no stack trace', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const result = await exited(standin(['serve', '--port', String(port)]));
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `standin: cannot listen on 127.0.0.1:${port}: is in use by another program (another Standin? stop it, or give another --port; 0 picks a free one)`,
      );
    } finally {
      busy.close();
    }
  });

  it('prints links that answer: admin API, console, API reference', async () => {
    const { lines } = await banner(standin(['serve', '--port', '0']));
    const links = lines
      .filter((l) => /admin API|console|API reference/.test(l))
      .map((l) => /(http:\/\/\S+)/.exec(stripVTControlCharacters(l))![1]!);
    expect(links).toHaveLength(3);
    for (const link of links) expect((await fetch(link)).status, link).toBe(200);
  });
});

describe('the request log', () => {
  it('writes one JSON line per request when stdout is not a terminal', async () => {
    const child = standin(['serve', '--port', '0', '--api', 'productive']);
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const { base } = await banner(child);
    const productive = {
      'X-Auth-Token': 'productive-test-token',
      'X-Organization-Id': '572',
      'X-Standin-Sandbox': 'log-test',
      'Content-Type': 'application/vnd.api+json',
    };
    expect((await fetch(`${base}/productive/api/v2/prices`, { headers: productive })).status).toBe(200);
    expect(
      (
        await fetch(`${base}/productive/api/v2/prices`, {
          method: 'POST',
          headers: productive,
          body: JSON.stringify({ data: { type: 'prices', attributes: { name: 7 } } }),
        })
      ).status,
    ).toBe(422);
    const logged = () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
    expect(await until(async () => logged().length === 2, 5_000)).toBe(true);
    const [listed, refused] = logged();
    expect(listed).toEqual({
      time: expect.any(String),
      sandbox: 'log-test',
      api: 'productive',
      method: 'GET',
      path: '/productive/api/v2/prices',
      operationId: 'list_prices',
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(refused).toMatchObject({
      sandbox: 'log-test',
      operationId: 'create_price',
      status: 422,
      violations: { request: expect.arrayContaining([expect.stringContaining('name')]), response: [] },
    });
  });
});

describe('standin serve, stopped by a signal', () => {
  it('answers the requests under way, takes no new connection, and exits 0', async () => {
    const served = standin(['serve', '--port', '0', '--log', 'off']);
    const output = exited(served);
    const { base } = await banner(served);
    const slow = fetch(`${base}/productive/api/v2/prices/1`, {
      headers: {
        'X-Auth-Token': 'productive-test-token',
        'X-Organization-Id': '572',
        'X-Standin-Fault': 'latency=1500',
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    served.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await answers(`${base}/__standin/health`)).toBe(false);
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { data: { id: string } }).data.id).toBe('1');
    expect((await output).code).toBe(0);
  });
});

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const)
    it(`ends when npm gets ${signal}, as \`npm start & … kill $!\` does`, async () => {
      const npm = run('npm', ['start', '--silent', '--', '--port', '0']);
      const { base } = await banner(npm);
      expect(await answers(`${base}/__standin/health`)).toBe(true);
      npm.kill(signal);
      expect(await until(async () => !(await answers(`${base}/__standin/health`)), 5_000)).toBe(true);
    });
});

describe('verify and drift', () => {
  it('write their reports into separate folders', async () => {
    const verify = await exited(standin(['verify', '--help']));
    const drift = await exited(standin(['drift', '--help']));
    expect(verify.stdout.replace(/\s+/g, ' ')).toContain('where reports are written (default: "reports/verify")');
    expect(drift.stdout.replace(/\s+/g, ' ')).toContain('where reports are written (default: "reports/drift")');
  });
});
