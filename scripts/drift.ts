/**
 * `standin drift`: the same scenarios on the in-process mock and on a target, paired call by call; what differs
 * is grouped by kind (status, media type, missing, extra and retyped fields), each kind with a count and one
 * example, so a backend that differs in hundreds of calls reads in a screen.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CallRecord } from '../suites/support/target.ts';
import { readCallRecords } from './reports.ts';
import {
  foreignTargetEnv,
  learnTarget,
  reporterFile,
  runSuites,
  unroutedByTheRun,
  type VerifyOptions,
} from './verify.ts';

const normalizeName = (name: string | undefined) => (name ?? '').replace(/ > /g, ' ').trim();

export type DriftKind = 'not served' | 'status' | 'media type' | 'missing field' | 'extra field' | 'retyped field';

export interface Difference {
  kind: DriftKind;
  /** `201 → 403`, `/results/[]/full_name`, `/organization: string → object`. */
  detail: string;
}

/** A call of the same scenario whose answer differs between the mock and the target. */
export interface Drift {
  operationId: string;
  test: string;
  mock: { status: number; mediaType?: string; shape: string };
  target: { status: number; mediaType?: string; shape: string };
  differences: Difference[];
}

/** `{a:[{b:number}]}` (what shapeOf writes) → `/a` array, `/a/[]/b` number. */
export function flattenShape(shape: string): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  const value = (path: string): void => {
    if (shape[at] === '{') {
      fields.set(path || '/', 'object');
      at++;
      while (shape[at] !== '}' && at < shape.length) {
        const colon = shape.indexOf(':', at);
        const key = shape.slice(at, colon);
        at = colon + 1;
        value(`${path}/${key}`);
        if (shape[at] === ',') at++;
      }
      at++;
    } else if (shape[at] === '[') {
      fields.set(path || '/', 'array');
      at++;
      if (shape[at] !== ']') value(`${path}/[]`);
      at++;
    } else {
      const end = shape.slice(at).search(/[,}\]]/);
      const word = end < 0 ? shape.slice(at) : shape.slice(at, at + end);
      fields.set(path || '/', word);
      at += word.length;
    }
  };
  value('');
  return fields;
}

/** What differs between the mock's answer and the target's to the same call. */
export function differencesOf(mock: CallRecord, target: CallRecord): Difference[] {
  if (mock.status !== target.status) return [{ kind: 'status', detail: `${mock.status} → ${target.status}` }];
  if ((mock.mediaType ?? '') !== (target.mediaType ?? ''))
    return [{ kind: 'media type', detail: `${mock.mediaType || 'none'} → ${target.mediaType || 'none'}` }];
  if (mock.shape === target.shape) return [];
  const m = flattenShape(mock.shape);
  const t = flattenShape(target.shape);
  const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
  // A field counts where its parent is an object on both sides: the top of a missing subtree once, nothing under
  // a retyped field or in an array one side answered empty.
  const inObject = (fields: Map<string, string>, path: string) =>
    fields.get(parentOf(path)) === 'object' && !path.endsWith('/[]');
  const found: Difference[] = [];
  for (const [path, type] of m) {
    const theirs = t.get(path);
    if (theirs === undefined && inObject(t, path)) found.push({ kind: 'missing field', detail: path });
    else if (theirs !== undefined && theirs !== type && theirs !== 'null' && type !== 'null')
      found.push({ kind: 'retyped field', detail: `${path}: ${type} → ${theirs}` });
  }
  for (const path of t.keys()) if (!m.has(path) && inObject(m, path)) found.push({ kind: 'extra field', detail: path });
  return found;
}

/** Pairs the calls of two runs of the same scenarios, call by call, and keeps those that differ. */
export function compareRuns(
  mock: CallRecord[],
  target: CallRecord[],
  notServed: ReadonlySet<string> = new Set(),
): Drift[] {
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
    if (!m) continue;
    const differences = notServed.has(t.operationId)
      ? [{ kind: 'not served' as const, detail: t.operationId }]
      : differencesOf(m, t);
    if (differences.length)
      drifts.push({
        operationId: t.operationId,
        test: normalizeName(t.test),
        mock: { status: m.status, mediaType: m.mediaType, shape: m.shape },
        target: { status: t.status, mediaType: t.mediaType, shape: t.shape },
        differences,
      });
  }
  return drifts;
}

export interface DriftGroup {
  kind: DriftKind;
  /** Differing calls of this kind. */
  calls: number;
  operations: number;
  example: string;
  /** Each distinct detail with its operations and how many calls showed it, most frequent first. */
  details: { detail: string; calls: number; operations: string[] }[];
}

const KINDS: DriftKind[] = ['not served', 'status', 'media type', 'missing field', 'extra field', 'retyped field'];

export function groupDrifts(drifts: Drift[]): DriftGroup[] {
  return KINDS.flatMap((kind) => {
    const mine = drifts.filter((d) => d.differences.some((x) => x.kind === kind));
    if (!mine.length) return [];
    const details = new Map<string, { calls: number; operations: Set<string> }>();
    for (const d of mine)
      for (const x of d.differences.filter((x) => x.kind === kind)) {
        const entry = details.get(x.detail) ?? { calls: 0, operations: new Set<string>() };
        entry.calls++;
        entry.operations.add(d.operationId);
        details.set(x.detail, entry);
      }
    const first = mine[0]!;
    const what = first.differences.find((x) => x.kind === kind)!.detail;
    return [
      {
        kind,
        calls: mine.length,
        operations: new Set(mine.map((d) => d.operationId)).size,
        example: `${first.operationId} in "${first.test}": ${what}`,
        details: [...details]
          .map(([detail, e]) => ({ detail, calls: e.calls, operations: [...e.operations].sort() }))
          .sort((a, b) => b.calls - a.calls),
      },
    ];
  });
}

const DETAIL_LIMIT = 8;

export function printDrift(api: string, target: string, drifts: Drift[], groups: DriftGroup[], file: string): void {
  console.log(
    `\nstandin drift ${api}: mock vs ${target}: ${drifts.length} differing calls in ${new Set(drifts.map((d) => d.operationId)).size} operations`,
  );
  for (const g of groups) {
    console.log(`\n  ${g.kind}: ${g.calls} calls, ${g.operations} operations; e.g. ${g.example}`);
    for (const d of g.details.slice(0, DETAIL_LIMIT)) {
      const ops =
        d.operations.length > 3
          ? `${d.operations.slice(0, 3).join(', ')} and ${d.operations.length - 3} more`
          : d.operations.join(', ');
      console.log(`    ${String(d.calls).padStart(4)} × ${d.detail}  (${ops})`);
    }
    if (g.details.length > DETAIL_LIMIT)
      console.log(`         … and ${g.details.length - DETAIL_LIMIT} more in ${file}`);
  }
}

export async function drift(options: VerifyOptions): Promise<Drift[]> {
  const reportDir = resolve(options.reportDir);
  for (const side of ['mock', 'target']) rmSync(join(reportDir, side), { recursive: true, force: true });
  const target = options.target.replace(/\/$/, '');
  const facts = await learnTarget({ ...options, target });
  await runSuites(options.api, { STANDIN_TARGET: '', PACT_PROVIDER_BASE_URL: '' }, join(reportDir, 'mock'), [
    reporterFile,
    'json',
  ]);
  await runSuites(options.api, foreignTargetEnv(options, target, facts.pathStyle.style), join(reportDir, 'target'), [
    reporterFile,
    'json',
  ]);
  const targetCalls = readCallRecords(join(reportDir, 'target', 'calls'), options.api);
  const notServed = new Set([
    ...facts.notServed.keys(),
    ...unroutedByTheRun(options.api, targetCalls, facts.unknownRoute).keys(),
  ]);
  const drifts = compareRuns(readCallRecords(join(reportDir, 'mock', 'calls'), options.api), targetCalls, notServed);
  const groups = groupDrifts(drifts);
  const file = join(reportDir, 'drift.json');
  writeFileSync(
    file,
    JSON.stringify({ api: options.api, target, pathStyle: facts.pathStyle, groups, drifts }, null, 2),
  );
  printDrift(options.api, target, drifts, groups, file);
  return drifts;
}
