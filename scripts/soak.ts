#!/usr/bin/env -S npx tsx
/**
 * Soak: `standin serve` in a child process on loopback, and workers that run every vendor's flows against it for
 * a bounded time (Productive price CRUD, Togai accounts with aliases, Toggl billing reads and quotes, DjaoApp
 * sign-in, users and contacts). Each worker has its own sandbox, reset every RESET_EVERY flows as a CI job would.
 * Every interval it prints requests, errors, 5xx, p50/p99 latency and the server's RSS; at the end the RSS growth
 * after warm-up. Exit 1 on any 5xx, any unexpected status, or RSS growth of 10% or more after warm-up.
 *
 * The load is steady (--rate): RSS follows the request rate (the young generation and socket buffers grow with it),
 * so memory is only comparable over time at the same rate.
 *
 *   npm run soak -- --minutes 5 --workers 8 --rate 120 --interval 15 --warmup 60
 */
import { newPriceDocument } from '../fixtures/productive/index.ts';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';

const number = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};
const options = new Command('soak')
  .option('--minutes <n>', 'how long the load runs', number, 5)
  .option('--workers <n>', 'concurrent flows', number, 8)
  .option('--interval <s>', 'seconds between two report lines', number, 15)
  .option('--warmup <s>', 'seconds before the RSS baseline is taken', number, 60)
  .option(
    '--rate <n>',
    'requests per second at most, all workers together (a steady load: memory is compared at the same rate)',
    number,
    120,
  )
  .parse()
  .opts<{ minutes: number; workers: number; interval: number; warmup: number; rate: number }>();

const RESET_EVERY = 100;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

// --- the server ---------------------------------------------------------------------------------------------------
// --expose-gc and soak-gc.mjs: on SIGUSR2 the server collects its garbage and prints its memory after it.
// --strict: an answer outside the contract is a 500, so the soak's "zero 5xx" covers the contract too. --log off:
// the soak counts the requests itself.
const child = spawn(
  process.execPath,
  [
    '--expose-gc',
    '--import',
    'tsx',
    '--import',
    './scripts/soak-gc.mjs',
    'scripts/standin.ts',
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--strict',
    '--log',
    'off',
  ],
  {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let serverLog = '';
child.stdout.on('data', (chunk) => (serverLog += chunk));
child.stderr.on('data', (chunk) => (serverLog += chunk));
const origin = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`standin did not start:\n${serverLog}`)), 60_000);
  child.stdout.on('data', () => {
    const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog);
    if (!match) return;
    clearTimeout(timer);
    resolve(match[1]!);
  });
  child.on('exit', (code) => reject(new Error(`standin exited (${code}):\n${serverLog}`)));
});
if (!/^http:\/\/127\.0\.0\.1:/.test(origin)) throw new Error('the soak only targets loopback');

const MiB = 1024 * 1024;
let gcWaiters: Array<(memory: { rss: number; heapUsed: number }) => void> = [];
child.stderr.on('data', (chunk: Buffer) => {
  for (const match of chunk.toString('utf8').matchAll(/standin-soak-gc (\{[^\n]*\})/g)) {
    const memory = JSON.parse(match[1]!) as { rss: number; heapUsed: number };
    const waiting = gcWaiters;
    gcWaiters = [];
    waiting.forEach((resolve) => resolve(memory));
  }
});
/** The server's memory right after a full garbage collection (MiB). */
function memoryAfterGc(): Promise<{ rss: number; heap: number }> {
  return new Promise((resolve) => {
    gcWaiters.push((m) => resolve({ rss: m.rss / MiB, heap: m.heapUsed / MiB }));
    child.kill('SIGUSR2');
  });
}

/** The server's resident set size in MiB (Linux /proc). */
function serverRssMiB(): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

// --- measuring ----------------------------------------------------------------------------------------------------
interface Window {
  latencies: number[];
  requests: number;
  unexpected: number;
  serverErrors: number;
}
const fresh = (): Window => ({ latencies: [], requests: 0, unexpected: 0, serverErrors: 0 });
let window = fresh();
const total = { requests: 0, unexpected: 0, serverErrors: 0 };
const allLatencies: number[] = [];
const firstProblems: string[] = [];

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Paces the workers together to --rate requests per second. */
let nextSlot = 0;
async function pace(): Promise<void> {
  const now = performance.now();
  nextSlot = Math.max(now, nextSlot) + 1000 / options.rate;
  const wait = nextSlot - now - 1000 / options.rate;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function call(
  sandbox: string,
  method: string,
  path: string,
  expected: number[],
  init: { headers?: Record<string, string>; body?: unknown; contentType?: string } = {},
): Promise<any> {
  const headers: Record<string, string> = { 'x-standin-sandbox': sandbox, ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = init.contentType ?? 'application/json';
  }
  await pace();
  const started = performance.now();
  const res = await fetch(origin + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const raw = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  window.latencies.push(ms);
  allLatencies.push(ms);
  window.requests++;
  total.requests++;
  if (res.status >= 500) {
    window.serverErrors++;
    total.serverErrors++;
  }
  if (!expected.includes(res.status)) {
    window.unexpected++;
    total.unexpected++;
    if (firstProblems.length < 10)
      firstProblems.push(
        `${method} ${path} → ${res.status} (expected ${expected.join('/')}): ${raw.toString('utf8').slice(0, 200)}`,
      );
  }
  return /json/.test(res.headers.get('content-type') ?? '') && raw.length ? JSON.parse(raw.toString('utf8')) : raw;
}

// --- every vendor's flows -----------------------------------------------------------------------------------------
const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const togai = { Authorization: 'Bearer togai-test-token' };
const toggl = { Authorization: `Basic ${Buffer.from('admin@toggl.test:yoyo').toString('base64')}` };

async function productiveFlow(sb: string, n: number): Promise<void> {
  await call(sb, 'GET', '/productive/api/v2/prices?page[size]=50', [200], { headers: productive });
  const created = await call(sb, 'POST', '/productive/api/v2/prices', [201], {
    headers: productive,
    contentType: 'application/vnd.api+json',
    body: newPriceDocument({ name: `Soak ${n}`, rate: 1000 + n }),
  });
  const id = created?.data?.id;
  if (!id) return;
  await call(sb, 'GET', `/productive/api/v2/prices/${id}`, [200], { headers: productive });
  await call(sb, 'PATCH', `/productive/api/v2/prices/${id}`, [200], {
    headers: productive,
    contentType: 'application/vnd.api+json',
    body: { data: { type: 'prices', attributes: { rate: 2000 + n } } },
  });
  await call(sb, 'DELETE', `/productive/api/v2/prices/${id}`, [204], { headers: productive });
  await call(sb, 'GET', `/productive/api/v2/prices/${id}`, [404], { headers: productive });
}

async function togaiFlow(sb: string, n: number): Promise<void> {
  const id = `SOAK-${n}`;
  await call(sb, 'POST', '/togai/accounts', [201], {
    headers: togai,
    body: { id, name: `Soak account ${n}`, customerId: `SOAKC-${n % 10}`, primaryEmail: 'soak@example.com' },
  });
  await call(sb, 'GET', `/togai/accounts/${id}`, [200], { headers: togai });
  await call(sb, 'PATCH', `/togai/accounts/${id}`, [200], {
    headers: togai,
    body: { name: `Soak account ${n} renamed` },
  });
  await call(sb, 'POST', `/togai/accounts/${id}/add_aliases`, [200], {
    headers: togai,
    body: { aliases: [`soak-${n}-a`, `soak-${n}-b`] },
  });
  await call(sb, 'GET', `/togai/accounts/${id}/account_aliases`, [200], { headers: togai });
  await call(sb, 'GET', '/togai/accounts?pageSize=20', [200], { headers: togai });
  await call(sb, 'GET', '/togai/accounts/NO-SUCH-ACCOUNT', [404], { headers: togai });
  await call(sb, 'DELETE', `/togai/accounts/${id}`, [200], { headers: togai });
}

async function togglFlow(sb: string, n: number): Promise<void> {
  await call(sb, 'GET', '/toggl/api/v9/workspaces/plans', [200]);
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/subscription', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/organizations/56/subscription', [200], { headers: toggl });
  await call(sb, 'POST', '/toggl/api/v9/workspaces/56/subscription/calculate', [200], {
    headers: toggl,
    body: { period: n % 2 ? 1 : 12, pricing_plan_id: 57, user_count: 1 + (n % 20) },
  });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/customer', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/payment_records', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/invoices/55.pdf', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/subscription', [401]);
}

async function djaoappFlow(sb: string, n: number): Promise<void> {
  const login = await call(sb, 'POST', '/djaoapp/api/auth/', [201], { body: { username: 'donny', password: 'yoyo' } });
  if (!login?.token) return;
  const auth = { Authorization: `Bearer ${login.token}` };
  await call(sb, 'POST', '/djaoapp/api/auth/tokens/verify/', [200], { headers: auth, body: { token: login.token } });
  await call(sb, 'GET', '/djaoapp/api/users/xia/', [200], { headers: auth });
  await call(sb, 'GET', '/djaoapp/api/users/?page_size=10', [200], { headers: auth });
  const slug = `soak${n}`;
  await call(sb, 'POST', '/djaoapp/api/contacts/', [201], {
    headers: auth,
    body: { email: `${slug}@example.com`, full_name: `Soak ${n}`, slug },
  });
  await call(sb, 'GET', `/djaoapp/api/contacts/${slug}/activities/`, [200], { headers: auth });
  await call(sb, 'DELETE', `/djaoapp/api/contacts/${slug}/`, [204], { headers: auth });
  await call(sb, 'GET', '/djaoapp/api/users/nobody-here/', [404], { headers: auth });
}

const flows = [productiveFlow, togaiFlow, togglFlow, djaoappFlow];
const deadline = performance.now() + options.minutes * 60_000;

async function worker(w: number): Promise<void> {
  const sandbox = `soak-${w}`;
  for (let n = 0; performance.now() < deadline; n++) {
    if (n % RESET_EVERY === 0)
      await fetch(`${origin}/__standin/sandboxes/${sandbox}/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
    try {
      await flows[n % flows.length]!(sandbox, n);
    } catch (error) {
      total.unexpected++;
      window.unexpected++;
      if (firstProblems.length < 10)
        firstProblems.push(`${flows[n % flows.length]!.name}: ${(error as Error).message}`);
    }
  }
}

// --- reporting ----------------------------------------------------------------------------------------------------
// RSS is sampled every second and summarised by medians: one sample is as much the garbage collector's timing as
// the server's memory (it saws up and down by a hundred MiB under load).
const started = performance.now();
const samples: Array<{ at: number; rss: number }> = [];
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)]! : 0;
};
const sampler = setInterval(
  () => samples.push({ at: (performance.now() - started) / 1000, rss: serverRssMiB() }),
  1_000,
);
let lastReport = 0;
console.log(
  `soak: ${options.minutes} min, ${options.workers} workers at most ${options.rate} requests/s, every vendor's flows against ${origin} (server pid ${child.pid})`,
);
console.log(
  '   time  requests   req/s  unexpected  5xx   p50 ms   p99 ms   RSS MiB (median, max)   after a full GC: RSS, heap MiB',
);
const afterGc: Array<{ at: number; rss: number; heap: number }> = [];
const report = async () => {
  const gc = await memoryAfterGc();
  const at = (performance.now() - started) / 1000;
  const sorted = window.latencies.sort((a, b) => a - b);
  const recent = samples.filter((s) => s.at > lastReport).map((s) => s.rss);
  lastReport = at;
  const rss = recent.length ? `${median(recent).toFixed(1)}, ${Math.max(...recent).toFixed(1)}` : '-';
  afterGc.push({ at, ...gc });
  console.log(
    `${at.toFixed(0).padStart(6)}s ${String(window.requests).padStart(9)} ${(window.requests / options.interval).toFixed(0).padStart(7)} ` +
      `${String(window.unexpected).padStart(11)} ${String(window.serverErrors).padStart(4)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ` +
      `${percentile(sorted, 99).toFixed(1).padStart(8)} ${rss.padStart(22)}   ${gc.rss.toFixed(1).padStart(8)}, ${gc.heap.toFixed(1)}`,
  );
  window = fresh();
};
const timer = setInterval(() => void report(), options.interval * 1000);
await Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
clearInterval(timer);
clearInterval(sampler);
await report();
child.kill('SIGTERM');

// Baseline: the median RSS of the minute after warm-up; end: the median of the last minute.
const end = samples[samples.length - 1]!.at;
const span = Math.min(60, Math.max(1, (end - options.warmup) / 2));
const baseline = median(
  samples.filter((s) => s.at >= options.warmup && s.at < options.warmup + span).map((s) => s.rss),
);
const final = median(samples.filter((s) => s.at >= end - span).map((s) => s.rss));
const peak = Math.max(...samples.filter((s) => s.at >= options.warmup).map((s) => s.rss), baseline);
const growth = ((final - baseline) / baseline) * 100;
// The same after full collections: what the server retains, free of the collector's timing.
const gcAfterWarmup = afterGc.filter((g) => g.at >= options.warmup);
const gcFirst = gcAfterWarmup[0] ?? afterGc[0]!;
const gcLast = afterGc[afterGc.length - 1]!;
const sorted = allLatencies.sort((a, b) => a - b);
console.log(
  `soak: ${total.requests} requests in ${((performance.now() - started) / 1000).toFixed(0)} s, ${total.serverErrors} 5xx, ${total.unexpected} unexpected; ` +
    `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms; ` +
    `server RSS (median of ${span.toFixed(0)} s) after the ${options.warmup} s warm-up ${baseline.toFixed(1)} MiB → ${final.toFixed(1)} MiB at the end (peak ${peak.toFixed(1)}): ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`,
);
console.log(
  `soak: after a full GC, first after warm-up → last: RSS ${gcFirst.rss.toFixed(1)} → ${gcLast.rss.toFixed(1)} MiB ` +
    `(${(((gcLast.rss - gcFirst.rss) / gcFirst.rss) * 100).toFixed(1)}%), heap ${gcFirst.heap.toFixed(1)} → ${gcLast.heap.toFixed(1)} MiB ` +
    `(${(((gcLast.heap - gcFirst.heap) / gcFirst.heap) * 100).toFixed(1)}%)`,
);
for (const problem of firstProblems) console.log(`  ${problem}`);
const ok = total.serverErrors === 0 && total.unexpected === 0 && growth < 10;
console.log(ok ? 'soak: PASSED' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
