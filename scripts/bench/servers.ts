/** The processes a benchmark talks to: Standin itself, bare express and Prism, each in its own process on loopback. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { newPriceDocument } from '../../fixtures/productive/index.ts';
import { freePort } from '../../suites/support/redis.ts';
import { SERVER_NODE_FLAGS } from '../server-flags.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';

export interface Served {
  name: string;
  base: string;
  pid: number;
  /** Milliseconds from spawn to the first answer of the readiness probe. */
  readyMs: number;
  /** Resident set size of the server process, in MiB. */
  rssMiB(): number;
  /** CPU seconds (user + system) the server process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
  /** What the process printed on stderr (for failures). */
  stderr(): string;
}

export function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** utime + stime of a process, from /proc (clock ticks of 1/100 s on Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request without keep-alive (probes, setup): status, headers and body bytes. */
export function http(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers, agent: false, timeout: init.timeoutMs ?? 120_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Spawns a server and waits until `probe` answers `expectStatus`; the time it took is `readyMs`. */
async function serve(
  name: string,
  command: string,
  args: string[],
  port: number,
  probe: { path: string; headers?: Record<string, string>; expectStatus?: number },
  options: { timeoutMs?: number; cwd?: string } = {},
): Promise<Served> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = performance.now();
  // As a user starts it: not under test (no strict self-check 500s, no VITEST).
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.VITEST;
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd ?? root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const base = `http://${HOST}:${port}`;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} before it answered:\n${stderr}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer ${probe.path} within ${timeoutMs} ms:\n${stderr}`);
    }
    try {
      const answer = await http(base + probe.path, { headers: probe.headers, timeoutMs: 5_000 });
      if (answer.status === (probe.expectStatus ?? 200)) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyMs = performance.now() - started;
  return {
    name,
    base,
    pid: child.pid!,
    readyMs,
    rssMiB: () => rssMiB(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    stderr: () => stderr,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

export const productiveAuth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

/** `standin serve` as `npm start` starts it (all APIs unless `apis`): scripts/start.mjs, without npm's own start-up. */
export async function startStandin(
  options: {
    dataDir?: string;
    apis?: string[];
    nodeArgs?: string[];
    strict?: boolean;
    maxSandboxes?: number;
    cwd?: string;
  } = {},
): Promise<Served> {
  const port = await freePort();
  const args = [
    ...SERVER_NODE_FLAGS,
    ...(options.nodeArgs ?? []),
    'scripts/start.mjs',
    'serve',
    '--host',
    HOST,
    '--port',
    String(port),
    '--log',
    'off',
  ];
  if (options.dataDir) args.push('--data', options.dataDir);
  if (options.strict) args.push('--strict');
  if (options.apis) args.push('--api', options.apis.join(','));
  if (options.maxSandboxes) args.push('--max-sandboxes', String(options.maxSandboxes));
  return serve(
    'standin',
    process.execPath,
    args,
    port,
    { path: '/productive/api/v2/prices/1', headers: productiveAuth },
    { cwd: options.cwd },
  );
}

export interface CannedRoute {
  method: string;
  path: string;
  status: number;
  contentType: string;
  /** base64 of the exact bytes to answer. */
  body: string;
}

/** Bare express answering fixed bytes from memory (scripts/bench/bare-express.ts); `routesFile` holds CannedRoute[]. */
export async function startBareExpress(routesFile: string): Promise<Served> {
  const port = await freePort();
  const args = ['--import', 'tsx', 'scripts/bench/bare-express.ts', String(port), routesFile];
  return serve('express', process.execPath, args, port, { path: '/__ready' });
}

/** node:http alone answering fixed bytes from memory (scripts/bench/raw-node.ts): the ceiling. */
export async function startRawNode(routesFile: string): Promise<Served> {
  const port = await freePort();
  const args = ['--import', 'tsx', 'scripts/bench/raw-node.ts', String(port), routesFile];
  return serve('node', process.execPath, args, port, { path: '/__ready' });
}

/** `prism mock` on the API's contract, without its per-request logging (its best case). */
export async function startPrism(contract: string): Promise<Served> {
  const port = await freePort();
  const bin = `${root}node_modules/@stoplight/prism-cli/dist/index.js`;
  const args = [bin, 'mock', contract, '--host', HOST, '--port', String(port), '--verboseLevel', 'silent'];
  return serve('prism', process.execPath, args, port, { path: '/api/v2/prices/1', headers: productiveAuth });
}

export const jsonApi = { ...productiveAuth, 'Content-Type': 'application/vnd.api+json' };

/** The price every benchmarked POST creates. */
export const newPrice = JSON.stringify(
  newPriceDocument({ name: 'Bench price', unit_id: 1, currency: 'EUR', quantity: 2, rate: 12_500 }),
);

/** Puts `productive` (the rest of the sandbox as the fixtures make it) into a sandbox through the admin API. */
export async function seedSandbox(base: string, sandbox: string, productive: unknown): Promise<void> {
  await http(`${base}/__standin/sandboxes/${sandbox}/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
  });
  const current = await http(`${base}/__standin/sandboxes/${sandbox}/state`);
  const state = JSON.parse(current.body.toString('utf8'));
  state.apis.productive = productive;
  const put = await http(`${base}/__standin/sandboxes/${sandbox}/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(state),
  });
  if (put.status !== 200) throw new Error(`seeding ${sandbox}: ${put.status} ${put.body.toString().slice(0, 300)}`);
}
