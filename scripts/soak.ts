#!/usr/bin/env -S npx tsx
/**
 * Soak: `standin serve` in a child process on loopback, and workers that run every vendor's flows against it for
 * a bounded time (Productive price CRUD, Togai accounts with aliases, Toggl billing reads and quotes, DjaoApp
 * sign-in, users and contacts). Each worker has its own sandbox, reset every RESET_EVERY flows as a CI job would.
 * Every interval it prints requests, errors, 5xx, p50/p99 latency and the server's RSS; at the end the RSS growth
 * after warm-up. Exit 1 on any 5xx, any unexpected status, or RSS growth of 10% or more after warm-up.
 *
 *   npm run soak -- --minutes 5 --workers 8 --interval 15 --warmup 60
 */
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
  .parse()
  .opts<{ minutes: number; workers: number; interval: number; warmup: number }>();

const RESET_EVERY = 100;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

// --- the server ---------------------------------------------------------------------------------------------------
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/standin.ts', 'serve', '--port', '0', '--host', '127.0.0.1'], {
  cwd: ROOT,
  env: { ...process.env, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
child.stdout.on('data', (chunk) => (serverLog += chunk));
child.stderr.on('data', (chunk) => (serverLog += chunk));
const origin = await new Promise<string>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`standin did not start:\n${serverLog}`)), 60_000);
  child.stdout.on('data', () => {
    const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog);
    if (match) resolve((clearTimeout(timer), match[1]!));
  });
  child.on('exit', (code) => reject(new Error(`standin exited (${code}):\n${serverLog}`)));
});
if (!/^http:\/\/127\.0\.0\.1:/.test(origin)) throw new Error('the soak only targets loopback');

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
  const started = performance.now();
  const res = await fetch(origin + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const raw = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - started;
  window.latencies.push(ms);
  allLatencies.push(ms);
  window.requests++;
  total.requests++;
  if (res.status >= 500) (window.serverErrors++, total.serverErrors++);
  if (!expected.includes(res.status)) {
    window.unexpected++;
    total.unexpected++;
    if (firstProblems.length < 10) firstProblems.push(`${method} ${path} → ${res.status} (expected ${expected.join('/')}): ${raw.toString('utf8').slice(0, 200)}`);
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
    body: { data: { type: 'prices', attributes: { name: `Soak ${n}`, unit_id: 2, rate: 1000 + n, currency: 'USD', quantity: 1 }, relationships: { company: { data: { type: 'companies', id: '1926' } }, service_type: { data: { type: 'service_types', id: '107' } } } } },
  });
  const id = created?.data?.id;
  if (!id) return;
  await call(sb, 'GET', `/productive/api/v2/prices/${id}`, [200], { headers: productive });
  await call(sb, 'PATCH', `/productive/api/v2/prices/${id}`, [200], { headers: productive, contentType: 'application/vnd.api+json', body: { data: { type: 'prices', attributes: { rate: 2000 + n } } } });
  await call(sb, 'DELETE', `/productive/api/v2/prices/${id}`, [204], { headers: productive });
  await call(sb, 'GET', `/productive/api/v2/prices/${id}`, [404], { headers: productive });
}

async function togaiFlow(sb: string, n: number): Promise<void> {
  const id = `SOAK-${n}`;
  await call(sb, 'POST', '/togai/accounts', [201], { headers: togai, body: { id, name: `Soak account ${n}`, customerId: `SOAKC-${n % 10}`, primaryEmail: 'soak@example.com' } });
  await call(sb, 'GET', `/togai/accounts/${id}`, [200], { headers: togai });
  await call(sb, 'PATCH', `/togai/accounts/${id}`, [200], { headers: togai, body: { name: `Soak account ${n} renamed` } });
  await call(sb, 'POST', `/togai/accounts/${id}/add_aliases`, [200], { headers: togai, body: { aliases: [`soak-${n}-a`, `soak-${n}-b`] } });
  await call(sb, 'GET', `/togai/accounts/${id}/account_aliases`, [200], { headers: togai });
  await call(sb, 'GET', '/togai/accounts?pageSize=20', [200], { headers: togai });
  await call(sb, 'GET', '/togai/accounts/NO-SUCH-ACCOUNT', [404], { headers: togai });
  await call(sb, 'DELETE', `/togai/accounts/${id}`, [200], { headers: togai });
}

async function togglFlow(sb: string, n: number): Promise<void> {
  await call(sb, 'GET', '/toggl/api/v9/workspaces/plans', [200]);
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/subscription', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/organizations/56/subscription', [200], { headers: toggl });
  await call(sb, 'POST', '/toggl/api/v9/workspaces/56/subscription/calculate', [200], { headers: toggl, body: { period: n % 2 ? 1 : 12, pricing_plan_id: 57, user_count: 1 + (n % 20) } });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/customer', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/payment_records', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/invoices/55.pdf', [200], { headers: toggl });
  await call(sb, 'GET', '/toggl/api/v9/workspaces/56/subscription', [401]);
}

async function djaoappFlow(sb: string, n: number): Promise<void> {
  const login = await call(sb, 'POST', '/djaoapp/api/auth/', [201], { body: { username: 'donny', password: 'yoyo' } });
  if (!login?.token) return;
  const auth = { Authorization: `Bearer ${login.token}` };
  await call(sb, 'POST', '/djaoapp/api/auth/tokens/verify/', [200], { body: { token: login.token } });
  await call(sb, 'GET', '/djaoapp/api/users/xia/', [200], { headers: auth });
  await call(sb, 'GET', '/djaoapp/api/users/?page_size=10', [200], { headers: auth });
  const slug = `soak${n}`;
  await call(sb, 'POST', '/djaoapp/api/contacts/', [201], { headers: auth, body: { email: `${slug}@example.com`, full_name: `Soak ${n}`, slug } });
  await call(sb, 'GET', `/djaoapp/api/contacts/${slug}/activities/`, [200], { headers: auth });
  await call(sb, 'DELETE', `/djaoapp/api/contacts/${slug}/`, [204], { headers: auth });
  await call(sb, 'GET', '/djaoapp/api/users/nobody-here/', [404], { headers: auth });
}

const flows = [productiveFlow, togaiFlow, togglFlow, djaoappFlow];
const deadline = performance.now() + options.minutes * 60_000;

async function worker(w: number): Promise<void> {
  const sandbox = `soak-${w}`;
  for (let n = 0; performance.now() < deadline; n++) {
    if (n % RESET_EVERY === 0) await fetch(`${origin}/__standin/sandboxes/${sandbox}/reset`, { method: 'POST' });
    try {
      await flows[n % flows.length]!(sandbox, n);
    } catch (error) {
      total.unexpected++;
      window.unexpected++;
      if (firstProblems.length < 10) firstProblems.push(`${flows[n % flows.length]!.name}: ${(error as Error).message}`);
    }
  }
}

// --- reporting ----------------------------------------------------------------------------------------------------
const started = performance.now();
const samples: Array<{ at: number; rss: number }> = [];
console.log(`soak: ${options.minutes} min, ${options.workers} workers, every vendor's flows against ${origin} (server pid ${child.pid})`);
console.log('   time  requests   req/s  unexpected  5xx   p50 ms   p99 ms   server RSS MiB');
const report = () => {
  const at = (performance.now() - started) / 1000;
  const sorted = window.latencies.sort((a, b) => a - b);
  const rss = serverRssMiB();
  samples.push({ at, rss });
  console.log(
    `${at.toFixed(0).padStart(6)}s ${String(window.requests).padStart(9)} ${(window.requests / options.interval).toFixed(0).padStart(7)} ` +
      `${String(window.unexpected).padStart(11)} ${String(window.serverErrors).padStart(4)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ` +
      `${percentile(sorted, 99).toFixed(1).padStart(8)} ${rss.toFixed(1).padStart(16)}`,
  );
  window = fresh();
};
const timer = setInterval(report, options.interval * 1000);
await Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
clearInterval(timer);
report();
child.kill('SIGTERM');

// Baseline: the mean of the first three samples after warm-up; end: the mean of the last three (one sample alone
// is as much the garbage collector's timing as the server's memory).
const afterWarmup = samples.slice(0, -1).filter((s) => s.at >= options.warmup);
const mean = (list: typeof samples) => list.reduce((sum, s) => sum + s.rss, 0) / list.length;
const baseline = mean(afterWarmup.length ? afterWarmup.slice(0, 3) : samples.slice(0, 1));
const final = mean(afterWarmup.length ? afterWarmup.slice(-3) : samples.slice(-1));
const peak = Math.max(...afterWarmup.map((s) => s.rss), baseline);
const growth = ((final - baseline) / baseline) * 100;
const sorted = allLatencies.sort((a, b) => a - b);
console.log(
  `soak: ${total.requests} requests in ${((performance.now() - started) / 1000).toFixed(0)} s, ${total.serverErrors} 5xx, ${total.unexpected} unexpected; ` +
    `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms; ` +
    `RSS after warm-up (${options.warmup} s, mean of 3 samples) ${baseline.toFixed(1)} MiB → ${final.toFixed(1)} MiB at the end (mean of the last 3; peak ${peak.toFixed(1)}): ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`,
);
for (const problem of firstProblems) console.log(`  ${problem}`);
const ok = total.serverErrors === 0 && total.unexpected === 0 && growth < 10;
console.log(ok ? 'soak: PASSED' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
