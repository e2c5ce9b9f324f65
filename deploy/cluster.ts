/**
 * A shared Standin on one machine: N replicas (`standin serve --store redis://...`, each on its own port) behind
 * HAProxy, routed by sandbox (deploy/haproxy.cfg). Redis is the caller's: `deploy/start-cluster.ts` starts one, a
 * test brings its own. Used by `npm run cluster`, the cluster test and the cluster bench.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugins } from '../server/apis/index.ts';
import type { ApiError } from '../server/core/plugin.ts';
import { freePort } from '../suites/support/redis.ts';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const TEMPLATE = join(root, 'deploy/haproxy.cfg');

/** The response header the balancer adds: which replica answered (its server name in the config, r1, r2...). */
export const REPLICA_HEADER = 'X-Standin-Replica';

/** Why the cluster cannot start here, or undefined when haproxy is installed. */
export const HAPROXY_MISSING = binaryPath('haproxy')
  ? undefined
  : 'haproxy is not installed (apt-get install haproxy; .ci/run installs it)';

function binaryPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The balancer's configuration and its error pages.

export interface BalancerLayout {
  host: string;
  port: number;
  /** The replicas' ports, r1 first. */
  replicaPorts: number[];
  /** Where the error pages are (writeErrorPages). */
  errorsDir: string;
}

/** The servers of a backend: checked (the admin backend) or tracking the admin backend's checks (an API's). */
function serverLines(layout: BalancerLayout, mode: 'check' | 'track'): string {
  return layout.replicaPorts
    .map((port, i) => {
      const name = `r${i + 1}`;
      // The same id in every backend, so every backend hashes a sandbox to the same replica.
      const how = mode === 'check' ? 'check' : `track admin/${name}`;
      return `    server ${name} ${layout.host}:${port} id ${i + 1} ${how}`;
    })
    .join('\n');
}

/** deploy/haproxy.cfg with its fields filled in: `{{#each api}}` blocks once per API, then the rest. */
export function haproxyConfig(layout: BalancerLayout, apis = plugins.map((p) => p.name)): string {
  const template = readFileSync(TEMPLATE, 'utf8');
  const perApi = template.replace(/^\{\{#each api\}\}\n([\s\S]*?)^\{\{\/each\}\}\n/gm, (_, block: string) =>
    apis.map((api) => block.replaceAll('{{api}}', api)).join(''),
  );
  const fields: Record<string, string> = {
    '{{host}}': layout.host,
    '{{port}}': String(layout.port),
    '{{replica-header}}': REPLICA_HEADER,
    '{{errors}}': layout.errorsDir,
    '{{servers check}}': serverLines(layout, 'check'),
    '{{servers track}}': serverLines(layout, 'track'),
  };
  return perApi.replace(/\{\{[^}]+\}\}/g, (field) => {
    const value = fields[field];
    if (value === undefined) throw new Error(`deploy/haproxy.cfg: unknown field ${field}`);
    return value;
  });
}

/**
 * What the balancer answers itself, by the status HAProxy gives the case, in each API's error format (the admin API's
 * for the rest). HAProxy's 502 (the replica closed the connection without an answer: it died with the request in
 * flight) is answered 503 with Retry-After: the sandbox is served again after the lease gap, like the other 503s, and
 * the message says what only this case has, that the request may have taken effect.
 */
export const BALANCER_ERRORS = {
  502: {
    status: 503,
    message:
      'The Standin replica serving this sandbox stopped while it handled this request: whether the request took effect is unknown. Read before sending a write again; another replica serves this sandbox within seconds: try again after Retry-After seconds.',
  },
  503: {
    status: 503,
    message:
      'The Standin replica serving this sandbox cannot be reached; this request did not reach it and changed nothing. Another replica takes the sandbox over within seconds: try again after Retry-After seconds.',
  },
  504: {
    status: 504,
    message:
      'The Standin replica serving this sandbox did not answer in time: whether the request took effect is unknown; read before sending a write again.',
  },
} as const;

type BalancerCase = keyof typeof BALANCER_ERRORS;

/** A raw HTTP response, as an HAProxy errorfile holds it. */
function rawResponse(status: number, contentType: string, body: string, headers: Record<string, string>): string {
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${contentType}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Cache-Control: no-cache',
    'Connection: close',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function vendorPage(error: ApiError, contentType: string, retryAfter: Record<string, string>): string {
  return rawResponse(error.status, error.contentType ?? contentType, JSON.stringify(error.body), {
    ...error.headers,
    ...retryAfter,
  });
}

/**
 * Writes <api>.<case>.http and admin.<case>.http for HAProxy's 502, 503 and 504 into `dir`: the 503 answers (502 and
 * 503) with Retry-After.
 */
export function writeErrorPages(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const code of [502, 503, 504] as BalancerCase[]) {
    const { status, message } = BALANCER_ERRORS[code];
    const retryAfter: Record<string, string> = status === 503 ? { 'Retry-After': '1' } : {};
    for (const plugin of plugins) {
      const error = status === 503 ? plugin.errors.unavailable(message) : plugin.errors.gatewayTimeout(message);
      writeFileSync(join(dir, `${plugin.name}.${code}.http`), vendorPage(error, plugin.contentType, retryAfter));
    }
    const admin = rawResponse(
      status,
      'application/json; charset=utf-8',
      JSON.stringify({ error: message }),
      retryAfter,
    );
    writeFileSync(join(dir, `admin.${code}.http`), admin);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes.

export interface Process {
  name: string;
  pid: number;
  /** Sends a signal (SIGKILL in the tests); resolves when the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  exited(): boolean;
  /** The last of what it wrote on stderr and stdout, for failures. */
  output(): string;
}

function spawned(name: string, command: string, args: string[]): Process & { child: ChildProcess } {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: serveEnv() });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    pid: child.pid!,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}

/** As a user starts it: not under test (no strict self-check 500s). */
function serveEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.VITEST;
  return env;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function untilAnswers(child: Process, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (child.exited()) throw new Error(`${child.name} exited before it answered ${url}:\n${child.output()}`);
    if (Date.now() > deadline) {
      await child.kill('SIGKILL');
      throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Replica extends Process {
  port: number;
  /** r1, r2...: its server name in the balancer and in the X-Standin-Replica header. */
  server: string;
  base: string;
}

/** `standin serve` on `port` with `store` (the Redis URL), or in memory without. */
export async function startReplica(options: {
  server: string;
  host: string;
  port: number;
  store?: string;
  serveArgs?: string[];
}): Promise<Replica> {
  const args = ['scripts/start.mjs', 'serve', '--host', options.host, '--port', String(options.port), '--log', 'off'];
  if (options.store) args.push('--store', options.store);
  const child = spawned(`replica ${options.server}`, process.execPath, [
    ...SERVER_NODE_FLAGS,
    ...args,
    ...(options.serveArgs ?? []),
  ]);
  const base = `http://${options.host}:${options.port}`;
  await untilAnswers(child, `${base}/__standin/health`, 60_000);
  return { ...child, port: options.port, server: options.server, base };
}

/**
 * HAProxy in front of `layout`'s replicas: writes the error pages and the configuration (into `configDir`) and starts
 * it in the foreground (-db: stopped with its caller; -W would fork a master we do not need). It answers once a
 * replica does (untilAnswers).
 */
export function startBalancer(layout: BalancerLayout, configDir: string): Process {
  if (HAPROXY_MISSING) throw new Error(HAPROXY_MISSING);
  writeErrorPages(layout.errorsDir);
  const configFile = join(configDir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(layout));
  return spawned('haproxy', 'haproxy', ['-db', '-f', configFile]);
}

export interface Cluster {
  /** The balancer's origin: every API and the admin API, e.g. http://127.0.0.1:4010 */
  url: string;
  replicas: Replica[];
  balancer: Process;
  /** Where the rendered configuration and the error pages are. */
  configDir: string;
  /** Stops the balancer and every replica still running (SIGTERM: they finish their writes), then removes configDir. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  replicas: number;
  /** The Redis store every replica uses (redis://host:port[/db]); in memory without (each replica its own). */
  store?: string;
  host?: string;
  /** The balancer's port (a free one when 0 or absent). */
  port?: number;
  /** The first replica's port; the others follow it (free ones when absent). */
  replicaPort?: number;
  serveArgs?: string[];
}

/** Starts the replicas (the first alone: it builds dist/ when a source changed), then the balancer in front. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const replicas: Replica[] = [];
  const configDir = mkdtempSync(join(tmpdir(), 'standin-cluster-'));
  let balancer: Process | undefined;
  const stop = async () => {
    await balancer?.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.kill('SIGTERM')));
    rmSync(configDir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < options.replicas; i++)
      ports.push(options.replicaPort ? options.replicaPort + i : await freePort());
    const start = (i: number) =>
      startReplica({ server: `r${i + 1}`, host, port: ports[i]!, store: options.store, serveArgs: options.serveArgs });
    replicas.push(await start(0));
    replicas.push(...(await Promise.all(ports.slice(1).map((_, i) => start(i + 1)))));
    const port = options.port || (await freePort());
    balancer = startBalancer({ host, port, replicaPorts: ports, errorsDir: join(configDir, 'errors') }, configDir);
    const url = `http://${host}:${port}`;
    await untilAnswers(balancer, `${url}/__standin/health`, 10_000);
    return { url, replicas, balancer, configDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
