/**
 * `standin verify` and `standin drift`: run an API's conformance suites (and its pacts) against a target, and
 * report per operation what passed, failed or was skipped, with every distinct contract violation.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { loadContract } from '../server/core/contract/load.ts';
import type { PathStyle } from '../server/core/proxy/path-style.ts';
import { Router } from '../server/core/router/match.ts';
import type { InteractionFailure } from '../suites/pact/support.ts';
import type { CallRecord } from '../suites/support/target.ts';
import {
  classifyFailure,
  classifyInteraction,
  foreignPages,
  notesOf,
  type ClassifiedFailure,
  type FailureClass,
  type ForeignPage,
} from './classify.ts';
import {
  operationsJUnit,
  readCallRecords,
  readInteractionFailures,
  readScenarios,
  type OperationCase,
} from './reports.ts';
import {
  blankPaths,
  describeFingerprint,
  detectPathStyle,
  documented,
  namesOperation,
  probeOperations,
  sameFingerprint,
  unknownRouteFingerprints,
  type Fingerprint,
} from './target-profile.ts';
import type { ScenarioResult } from './verify-reporter.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** KEY=VALUE lines (a .env file: comments, quotes, `export`) or a JSON object; a line of neither kind is an error naming it. */
export function readCredentialsFile(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  if (text.trim().startsWith('{')) return JSON.parse(text) as Record<string, string>;
  const stray = text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('#') && !/^(?:export\s+)?[\w.-]+\s*=/.test(line));
  if (stray !== undefined) throw new Error(`${file}: "${stray}" is not KEY=VALUE`);
  return parseEnv(text) as Record<string, string>;
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
      if (!seen.has(key))
        seen.set(key, {
          operationId: call.operationId,
          status: call.status,
          pointer: p.pointer,
          keyword: p.keyword,
          message: p.message,
          test: call.test,
        });
    }
  return [...seen.values()];
}

export interface OperationVerdict extends OperationCase {
  calls: number;
}

/**
 * One verdict per operation of the contract: not served; failed (a contract violation, or a failed scenario that
 * called it — unless that scenario failed on an operation the target does not serve); passed; or not reached.
 */
export function operationVerdicts(
  api: string,
  calls: CallRecord[],
  failures: ClassifiedFailure[],
  notServed: Map<string, string>,
): OperationVerdict[] {
  const failedScenarios = new Set(failures.filter((f) => f.class !== 'not-served').map((f) => normalizeName(f.name)));
  return loadContract(api).operations.map(({ operationId }) => {
    const mine = calls.filter((c) => c.operationId === operationId);
    const unserved = notServed.get(operationId);
    if (unserved) return { operationId, verdict: 'not served', calls: mine.length, reason: unserved };
    if (!mine.length)
      return {
        operationId,
        verdict: 'skipped',
        calls: 0,
        reason: 'no scenario that ran reached it (mock-only scenarios skip on a remote target)',
      };
    const failed = mine.filter((c) => c.contract.length || failedScenarios.has(normalizeName(c.test)));
    if (failed.length) {
      const violation = failed.find((c) => c.contract.length);
      return {
        operationId,
        verdict: 'failed',
        calls: mine.length,
        reason: violation
          ? `answered ${violation.status} outside the contract`
          : `scenario failed: ${normalizeName(failed[0]!.test)}`,
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
  /** Detected by probing when absent. */
  pathStyle?: PathStyle;
  /** Operations the target does not serve (operationIds, globs or contract paths), as a profile lists them. */
  notServed?: string[];
  /** Probe the target for the operations it serves (default true). */
  probe?: boolean;
  /** The scenarios may leave records the target's API cannot delete (a profile's permanentRecords). */
  permanentRecords?: boolean;
  /** The suite files to run (default the API's suites and pacts). */
  files?: string[];
}

export interface VerifyReport {
  api: string;
  target: string;
  passed: boolean;
  pathStyle: { style: PathStyle; how: 'profile' | 'detected' | 'default' };
  scenarios: { passed: number; failed: number; skipped: number };
  operations: OperationVerdict[];
  /** Failed scenarios, each with its class. */
  failures: ClassifiedFailure[];
  classes: Record<FailureClass, number>;
  violations: Violation[];
  foreignPages: ForeignPage[];
  pact: ScenarioResult[];
  /** Skipped scenarios by reason. */
  skipped: { reason: string; count: number }[];
}

/** The environment without a surrounding vitest's own variables (verify may itself run under test). */
function outsideVitest(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('VITEST')),
  );
}

export const reporterFile = join(root, 'scripts/verify-reporter.ts');

/** What the suites read of a foreign target besides its credentials: its URL, path style, and whether records may stay. */
export function foreignTargetEnv(
  options: Pick<VerifyOptions, 'credentials' | 'permanentRecords'>,
  target: string,
  pathStyle: PathStyle,
): Record<string, string> {
  return {
    ...options.credentials,
    STANDIN_TARGET: target,
    PACT_PROVIDER_BASE_URL: target,
    STANDIN_PATH_STYLE: pathStyle,
    ...(options.permanentRecords ? { STANDIN_PERMANENT_RECORDS: 'allowed' } : {}),
  };
}

/** The API's suites and pacts: suites/<api>/, suites/pact/<api>.pact.test.ts and suites/pact/<api>-<consumer>.pact.test.ts. */
function suiteFiles(api: string): string[] {
  const pacts = readdirSync(join(root, 'suites/pact')).filter(
    (f) => f === `${api}.pact.test.ts` || (f.startsWith(`${api}-`) && f.endsWith('.pact.test.ts')),
  );
  return [`suites/${api}/`, ...pacts.sort().map((f) => `suites/pact/${f}`)];
}

/**
 * Runs the suites of one API (and its pacts) against a target through vitest, with JUnit and JSON reports, and
 * the scenarios' outcomes in scenarios.json.
 */
export function runSuites(
  api: string,
  env: Record<string, string>,
  reportDir: string,
  reporters: string[],
  files = suiteFiles(api),
): Promise<number> {
  const run = spawn(
    'npx',
    [
      'vitest',
      'run',
      ...files,
      ...reporters.flatMap((r) => ['--reporter', r]),
      `--outputFile.json=${join(reportDir, 'vitest.json')}`,
      `--outputFile.junit=${join(reportDir, 'junit.xml')}`,
    ],
    {
      cwd: root,
      stdio: process.env.STANDIN_QUIET ? 'ignore' : 'inherit',
      env: {
        ...outsideVitest(process.env),
        ...env,
        STANDIN_REPORT_DIR: join(reportDir, 'calls'),
        STANDIN_PACT_OUTPUT_DIR: join(reportDir, 'pacts'),
        STANDIN_SCENARIOS_FILE: join(reportDir, 'scenarios.json'),
      },
    },
  );
  return new Promise((resolve) => run.once('exit', (code) => resolve(code ?? 1)));
}

/** What a profile or the probe says of the target, before the suites run. */
export interface TargetFacts {
  pathStyle: VerifyReport['pathStyle'];
  unknownRoute: Fingerprint[];
  notServed: Map<string, string>;
}

export async function learnTarget(options: Omit<VerifyOptions, 'reportDir' | 'credentials'>): Promise<TargetFacts> {
  const target = options.target.replace(/\/$/, '');
  const probing = options.probe !== false;
  const unknownRoute = probing ? await unknownRouteFingerprints(target, options.api) : [];
  const pathStyle: VerifyReport['pathStyle'] = options.pathStyle
    ? { style: options.pathStyle, how: 'profile' }
    : probing
      ? { style: await detectPathStyle(target, options.api, unknownRoute), how: 'detected' }
      : { style: 'slash', how: 'default' };
  const notServed = new Map<string, string>();
  const contract = loadContract(options.api);
  for (const entry of options.notServed ?? []) {
    const named = contract.operations.filter((op) => namesOperation(entry, op));
    if (!named.length) throw new Error(`the profile's notServed entry "${entry}" names no operation of ${options.api}`);
    for (const op of named) notServed.set(op.operationId, `the profile lists it (${entry})`);
  }
  if (probing)
    for (const found of await probeOperations(target, options.api, pathStyle.style, unknownRoute))
      if (!notServed.has(found.operationId)) notServed.set(found.operationId, found.reason);
  return { pathStyle, unknownRoute, notServed };
}

/**
 * Operations none of whose calls reached a route: every answer was the target's unknown-route page (or, when it
 * was not probed, a 404 in a media type the operation does not document).
 */
export function unroutedByTheRun(api: string, calls: CallRecord[], unknownRoute: Fingerprint[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const op of loadContract(api).operations) {
    const mine = calls.filter((c) => c.operationId === op.operationId);
    const unrouted = (c: CallRecord) => {
      if (!documented(op, c.status, c.mediaType) && unknownRoute.length)
        return unknownRoute.some((u) => sameFingerprint(u, fingerprintOfCall(c)));
      return !unknownRoute.length && c.status === 404 && !documented(op, 404, c.mediaType);
    };
    if (mine.length && mine.every(unrouted))
      found.set(
        op.operationId,
        `every call (${mine.length}) answered this target's unknown-route page (${describeFingerprint(fingerprintOfCall(mine[0]!))})`,
      );
  }
  return found;
}

const fingerprintOfCall = (c: CallRecord): Fingerprint => ({
  status: c.status,
  mediaType: c.mediaType ?? '',
  ...(c.page?.title ? { title: blankPaths(c.page.title) } : {}),
});

function skippedByReason(tests: ScenarioResult[]): VerifyReport['skipped'] {
  const counts = new Map<string, number>();
  for (const t of tests.filter((t) => t.status === 'skipped')) {
    const reason = t.skipReason ?? `no reason given (${t.file})`;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const reportDir = resolve(options.reportDir);
  rmSync(join(reportDir, 'calls'), { recursive: true, force: true });
  rmSync(join(reportDir, 'scenarios.json'), { force: true });
  mkdirSync(reportDir, { recursive: true });
  const target = options.target.replace(/\/$/, '');
  const facts = await learnTarget({ ...options, target });
  const exit = await runSuites(
    options.api,
    foreignTargetEnv(options, target, facts.pathStyle.style),
    reportDir,
    [reporterFile, 'junit', 'json'],
    options.files,
  );
  const tests = readScenarios(join(reportDir, 'scenarios.json'));
  const calls = readCallRecords(join(reportDir, 'calls'), options.api);
  const notServed = new Map([...unroutedByTheRun(options.api, calls, facts.unknownRoute), ...facts.notServed]);
  const contract = loadContract(options.api);
  const classifier = { notServed, notesOf: (id: string) => notesOf(contract, contract.byId.get(id)!) };
  const interactions = new Map(
    readInteractionFailures(join(reportDir, 'calls')).map((p) => [normalizeName(p.scenario), p.failures]),
  );
  const router = new Router(contract.operations);
  const operationOf = (f: InteractionFailure) => {
    const found = router.match(f.method, f.path);
    return found.kind === 'operation' ? found.operation.operationId : undefined;
  };
  const failures = tests
    .filter((t) => t.status === 'failed')
    .flatMap((t) => {
      const failed = interactions.get(normalizeName(t.name));
      if (failed?.length) return failed.map((f) => classifyInteraction(t, f, operationOf(f), classifier));
      return [
        classifyFailure(
          t,
          calls.filter((c) => normalizeName(c.test) === normalizeName(t.name)),
          classifier,
        ),
      ];
    });
  const classes = { 'not-served': 0, noted: 0, 'backend-5xx': 0, unclassified: 0 };
  for (const f of failures) classes[f.class]++;
  const operations = operationVerdicts(options.api, calls, failures, notServed);
  const report: VerifyReport = {
    api: options.api,
    target,
    passed: exit === 0 && tests.length > 0,
    pathStyle: facts.pathStyle,
    scenarios: {
      passed: tests.filter((t) => t.status === 'passed').length,
      failed: tests.filter((t) => t.status === 'failed').length,
      skipped: tests.filter((t) => t.status === 'skipped').length,
    },
    operations,
    failures,
    classes,
    violations: distinctViolations(calls.filter((c) => !notServed.has(c.operationId))),
    foreignPages: foreignPages(calls),
    pact: tests.filter((t) => t.file.includes('suites/pact/')),
    skipped: skippedByReason(tests),
  };
  writeFileSync(join(reportDir, 'verify.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(reportDir, 'operations.xml'), operationsJUnit(options.api, target, operations));
  return report;
}

const LIST_LIMIT = 15;

/** At most LIST_LIMIT lines of a list, then how many more are in the JSON report. */
function printSome<T>(items: T[], line: (item: T) => string, where: string): void {
  for (const item of items.slice(0, LIST_LIMIT)) console.log(line(item));
  if (items.length > LIST_LIMIT) console.log(`    … and ${items.length - LIST_LIMIT} more in ${where}`);
}

export function printVerifyReport(report: VerifyReport, reportDir: string): void {
  const count = (v: OperationVerdict['verdict']) => report.operations.filter((o) => o.verdict === v).length;
  const served = report.operations.length - count('not served');
  const json = join(reportDir, 'verify.json');
  console.log(`\nstandin verify ${report.api} → ${report.target}: ${report.passed ? 'PASSED' : 'FAILED'}`);
  console.log(`  path style: ${report.pathStyle.style} (${report.pathStyle.how})`);
  console.log(
    `  scenarios: ${report.scenarios.passed} passed, ${report.scenarios.failed} failed, ${report.scenarios.skipped} skipped`,
  );
  console.log(
    `  operations: ${report.operations.length} in the contract, ${served} served, ${count('not served')} not served; of the served ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} not reached`,
  );
  if (report.failures.length)
    console.log(
      `  failed scenarios by class: ${report.classes['not-served']} not served by the target, ${report.classes.noted} noted in the contract, ${report.classes['backend-5xx']} backend 5xx, ${report.classes.unclassified} unclassified\n`,
    );
  const width = Math.max(...report.operations.map((o) => o.operationId.length), 9);
  console.log(`  ${'operation'.padEnd(width)}  verdict     calls  reason`);
  for (const o of report.operations.filter((o) => o.verdict !== 'not served'))
    console.log(
      `  ${o.operationId.padEnd(width)}  ${o.verdict.padEnd(10)}  ${String(o.calls).padStart(5)}  ${o.reason ?? ''}`,
    );
  const unserved = report.operations.filter((o) => o.verdict === 'not served');
  if (unserved.length) {
    console.log(`\n  not served by this target (${unserved.length}):`);
    for (const o of unserved) console.log(`  - ${o.operationId}: ${o.reason}`);
  }
  if (report.foreignPages.length) {
    console.log(`\n  foreign error pages (not JSON; each kind once):`);
    for (const p of report.foreignPages)
      console.log(
        `  - ${p.status} ${p.mediaType}${p.title ? ` "${p.title}"` : ''}: ${p.calls} calls, ${p.operations} operations, e.g. ${p.example}`,
      );
  }
  for (const kind of ['unclassified', 'backend-5xx', 'noted'] as const) {
    const mine = report.failures.filter((f) => f.class === kind);
    if (!mine.length) continue;
    console.log(
      `\n  failed scenarios, ${kind === 'noted' ? 'differences noted in the contract' : kind === 'backend-5xx' ? 'backend 5xx' : 'unclassified'} (${mine.length}):`,
    );
    printSome(mine, (f) => `  - ${f.file.replace('suites/', '')} > ${f.name}: ${f.why}`, json);
  }
  if (report.violations.length) {
    console.log(`\n  contract violations of served operations (${report.violations.length}, each once):`);
    printSome(
      report.violations,
      (v) => `  ✗ ${v.operationId} → ${v.status} ${v.pointer || '/'} [${v.keyword}] ${v.message}`,
      json,
    );
  }
  for (const p of report.pact) {
    const why = p.errors[0] ?? p.skipReason;
    console.log(`  ${p.name}: ${p.status}${why ? ` (${why})` : ''}`);
  }
  if (report.skipped.length) {
    console.log(`\n  skipped scenarios by reason:`);
    printSome(report.skipped, (s) => `  - ${s.count} × ${s.reason}`, json);
  }
  console.log(
    `\n  reports: ${join(reportDir, 'junit.xml')} (per scenario), ${join(reportDir, 'operations.xml')} (per operation), ${json}`,
  );
}
