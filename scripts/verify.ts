/**
 * `standin verify` and `standin drift`: run an API's conformance suites (and its pacts) against a target, and
 * report per operation what passed, failed or was skipped, with every distinct contract violation.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContract } from '../server/core/contract/load.ts';
import type { CallRecord } from '../suites/support/target.ts';
import { readCallRecords } from './reports.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** KEY=VALUE lines or a JSON object. */
export function readCredentialsFile(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  if (text.trim().startsWith('{')) return JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const at = line.indexOf('=');
        if (at < 1) throw new Error(`${file}: "${line}" is not KEY=VALUE`);
        return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
      }),
  );
}

interface TestResult {
  name: string;
  file: string;
  status: 'passed' | 'failed' | 'skipped';
  failure?: string;
}

function readTestResults(file: string): TestResult[] {
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
  };
  return report.testResults.flatMap((suite) => {
    const file = suite.name.replace(root, '');
    const tests: TestResult[] = suite.assertionResults.map((t) => ({
      name: t.fullName,
      file,
      status: t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped',
      failure: t.failureMessages[0]?.split('\n')[0],
    }));
    // A file whose hooks or imports failed has no failed scenario of its own: it counts as one failure.
    if (suite.status === 'failed' && !tests.some((t) => t.status === 'failed'))
      tests.push({ name: `${file} (file)`, file, status: 'failed', failure: suite.message?.split('\n')[0] });
    return tests;
  });
}

const normalizeName = (name: string | undefined) => (name ?? '').replace(/ > /g, ' ').trim();

export interface Violation {
  operationId: string;
  status: number;
  pointer: string;
  keyword: string;
  message: string;
  test: string | undefined;
}

/** Each distinct contract violation once: (operation, status, pointer, keyword). */
export function distinctViolations(calls: CallRecord[]): Violation[] {
  const seen = new Map<string, Violation>();
  for (const call of calls)
    for (const p of call.contract) {
      const key = `${call.operationId} ${call.status} ${p.pointer} ${p.keyword}`;
      if (!seen.has(key)) seen.set(key, { operationId: call.operationId, status: call.status, pointer: p.pointer, keyword: p.keyword, message: p.message, test: call.test });
    }
  return [...seen.values()];
}

export interface OperationVerdict {
  operationId: string;
  verdict: 'passed' | 'failed' | 'skipped';
  calls: number;
  reason?: string;
}

export function operationVerdicts(api: string, calls: CallRecord[], tests: TestResult[]): OperationVerdict[] {
  const statusOf = new Map(tests.map((t) => [normalizeName(t.name), t.status]));
  return loadContract(api).operations.map(({ operationId }) => {
    const mine = calls.filter((c) => c.operationId === operationId);
    if (!mine.length) return { operationId, verdict: 'skipped', calls: 0, reason: 'no scenario that ran reached it (mock-only scenarios skip on a remote target)' };
    const failed = mine.filter((c) => c.contract.length || statusOf.get(normalizeName(c.test)) === 'failed');
    if (failed.length) {
      const violation = failed.find((c) => c.contract.length);
      return {
        operationId,
        verdict: 'failed',
        calls: mine.length,
        reason: violation ? `answered ${violation.status} outside the contract` : `scenario failed: ${normalizeName(failed[0]!.test)}`,
      };
    }
    return { operationId, verdict: 'passed', calls: mine.length };
  });
}

export interface VerifyOptions {
  api: string;
  target: string;
  reportDir: string;
  credentials: Record<string, string>;
}

export interface VerifyReport {
  api: string;
  target: string;
  passed: boolean;
  scenarios: { passed: number; failed: number; skipped: number };
  operations: OperationVerdict[];
  violations: Violation[];
  pact: TestResult[];
  failures: TestResult[];
  skipped: TestResult[];
}

/** The environment without a surrounding vitest's own variables (verify may itself run under test). */
function outsideVitest(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('VITEST')));
}

/** Runs the suites of one API (and its pacts) against a target through vitest, with JUnit and JSON reports. */
export function runSuites(api: string, env: Record<string, string>, reportDir: string, reporters: string[]): Promise<number> {
  const files = [`suites/${api}/`];
  // The API's pacts: suites/pact/<api>.pact.test.ts and suites/pact/<api>-<consumer>.pact.test.ts.
  const pacts = readdirSync(join(root, 'suites/pact')).filter((f) => f === `${api}.pact.test.ts` || (f.startsWith(`${api}-`) && f.endsWith('.pact.test.ts')));
  files.push(...pacts.sort().map((f) => `suites/pact/${f}`));
  const run = spawn(
    'npx',
    ['vitest', 'run', ...files, ...reporters.flatMap((r) => ['--reporter', r]), `--outputFile.json=${join(reportDir, 'vitest.json')}`, `--outputFile.junit=${join(reportDir, 'junit.xml')}`],
    { cwd: root, stdio: process.env.STANDIN_QUIET ? 'ignore' : 'inherit', env: { ...outsideVitest(process.env), ...env, STANDIN_REPORT_DIR: join(reportDir, 'calls'), STANDIN_PACT_OUTPUT_DIR: join(reportDir, 'pacts') } },
  );
  return new Promise((resolve) => run.once('exit', (code) => resolve(code ?? 1)));
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const reportDir = resolve(options.reportDir);
  rmSync(join(reportDir, 'calls'), { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const target = options.target.replace(/\/$/, '');
  const exit = await runSuites(options.api, { ...options.credentials, STANDIN_TARGET: target, PACT_PROVIDER_BASE_URL: target }, reportDir, ['verbose', 'junit', 'json']);
  const tests = readTestResults(join(reportDir, 'vitest.json'));
  const calls = readCallRecords(join(reportDir, 'calls'), options.api);
  const report: VerifyReport = {
    api: options.api,
    target,
    passed: exit === 0 && tests.length > 0,
    scenarios: {
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length,
      skipped: tests.filter((t) => t.status === 'skipped').length,
    },
    operations: operationVerdicts(options.api, calls, tests),
    violations: distinctViolations(calls),
    pact: tests.filter((t) => t.file.includes('suites/pact/')),
    failures: tests.filter((t) => t.status === 'failed'),
    skipped: tests.filter((t) => t.status === 'skipped'),
  };
  writeFileSync(join(reportDir, 'verify.json'), JSON.stringify(report, null, 2));
  return report;
}

export function printVerifyReport(report: VerifyReport, reportDir: string): void {
  const count = (v: OperationVerdict['verdict']) => report.operations.filter((o) => o.verdict === v).length;
  console.log(`\nstandin verify ${report.api} → ${report.target}: ${report.passed ? 'PASSED' : 'FAILED'}`);
  console.log(`  scenarios: ${report.scenarios.passed} passed, ${report.scenarios.failed} failed, ${report.scenarios.skipped} skipped`);
  console.log(`  operations: ${report.operations.length} in the contract, ${report.operations.length - count('skipped')} covered, ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`);
  const width = Math.max(...report.operations.map((o) => o.operationId.length), 9);
  console.log(`  ${'operation'.padEnd(width)}  verdict  calls  reason`);
  for (const o of report.operations) console.log(`  ${o.operationId.padEnd(width)}  ${o.verdict.padEnd(7)}  ${String(o.calls).padStart(5)}  ${o.reason ?? ''}`);
  if (report.violations.length) {
    console.log(`\n  contract violations (${report.violations.length}, each once):`);
    for (const v of report.violations) console.log(`  ✗ ${v.operationId} → ${v.status} ${v.pointer || '/'} [${v.keyword}] ${v.message}`);
  }
  for (const p of report.pact) console.log(`  ${p.name}: ${p.status}`);
  if (report.skipped.length) console.log(`\n  ${report.skipped.length} scenarios skipped: they need the mock's fixtures or admin API, or provider states the target cannot set up`);
  console.log(`\n  reports: ${join(reportDir, 'junit.xml')}, ${join(reportDir, 'verify.json')}`);
}

/** A shape or status that differs between the mock and the target for the same call of the same scenario. */
export interface Drift {
  operationId: string;
  test: string;
  mock: { status: number; shape: string };
  target: { status: number; shape: string };
}

/** Pairs the calls of two runs of the same scenarios, call by call, and keeps those that differ. */
export function compareRuns(mock: CallRecord[], target: CallRecord[]): Drift[] {
  const keyed = (calls: CallRecord[]) => {
    const counts = new Map<string, number>();
    return new Map(
      calls.map((c) => {
        const base = `${normalizeName(c.test)}|${c.operationId}`;
        const n = (counts.get(base) ?? 0) + 1;
        counts.set(base, n);
        return [`${base}|${n}`, c] as const;
      }),
    );
  };
  const mockCalls = keyed(mock);
  const drifts: Drift[] = [];
  for (const [key, t] of keyed(target)) {
    const m = mockCalls.get(key);
    if (m && (m.status !== t.status || m.shape !== t.shape))
      drifts.push({ operationId: t.operationId, test: normalizeName(t.test), mock: { status: m.status, shape: m.shape }, target: { status: t.status, shape: t.shape } });
  }
  return drifts;
}

export async function drift(options: VerifyOptions): Promise<Drift[]> {
  const reportDir = resolve(options.reportDir);
  for (const side of ['mock', 'target']) rmSync(join(reportDir, side), { recursive: true, force: true });
  await runSuites(options.api, { STANDIN_TARGET: '', PACT_PROVIDER_BASE_URL: '' }, join(reportDir, 'mock'), ['dot', 'json']);
  const target = options.target.replace(/\/$/, '');
  await runSuites(options.api, { ...options.credentials, STANDIN_TARGET: target, PACT_PROVIDER_BASE_URL: target }, join(reportDir, 'target'), ['dot', 'json']);
  const drifts = compareRuns(readCallRecords(join(reportDir, 'mock', 'calls'), options.api), readCallRecords(join(reportDir, 'target', 'calls'), options.api));
  writeFileSync(join(reportDir, 'drift.json'), JSON.stringify(drifts, null, 2));
  const byOperation = new Map<string, Drift[]>();
  for (const d of drifts) byOperation.set(d.operationId, [...(byOperation.get(d.operationId) ?? []), d]);
  console.log(`\nstandin drift ${options.api}: mock vs ${target}: ${drifts.length} differing calls in ${byOperation.size} operations`);
  for (const [op, list] of byOperation) {
    console.log(`  ${op}`);
    for (const d of list.slice(0, 5)) {
      const what = d.mock.status !== d.target.status ? `status ${d.mock.status} vs ${d.target.status}` : `shape ${d.mock.shape} vs ${d.target.shape}`;
      console.log(`    ${d.test}: ${what}`);
    }
  }
  return drifts;
}
