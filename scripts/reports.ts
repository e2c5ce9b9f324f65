/** What the suites leave in a report directory, read back; and the per-operation JUnit file verify writes. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InteractionFailure } from '../suites/pact/support.ts';
import type { CallRecord } from '../suites/support/target.ts';
import type { ScenarioResult } from './verify-reporter.ts';

/** Every call the suites of one API recorded into a report directory. */
export function readCallRecords(dir: string, api: string): CallRecord[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${api}-`) && f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CallRecord[]);
}

/** The failed interactions each pact provider verification wrote (suites/pact/support.ts), by scenario name. */
export function readInteractionFailures(dir: string): { scenario: string; failures: InteractionFailure[] }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith('pact-') && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { scenario: string; failures: InteractionFailure[] });
}

/** The scenarios' outcomes the verify reporter wrote (none when the run did not get that far). */
export function readScenarios(file: string): ScenarioResult[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ScenarioResult[]) : [];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML 1.0 forbids
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const xml = (text: string) =>
  text
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export interface OperationCase {
  operationId: string;
  verdict: 'passed' | 'failed' | 'skipped' | 'not served';
  reason?: string;
}

/** JUnit XML with one test case per operation: failed with its reason, skipped when not served or not reached. */
export function operationsJUnit(api: string, target: string, cases: OperationCase[]): string {
  const failures = cases.filter((c) => c.verdict === 'failed').length;
  const skipped = cases.filter((c) => c.verdict === 'skipped' || c.verdict === 'not served').length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`standin verify ${api}`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${xml(`${api} operations at ${target}`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xml(api)}" name="${xml(c.operationId)}"`;
    if (c.verdict === 'passed') lines.push(`${open}/>`);
    else if (c.verdict === 'failed')
      lines.push(`${open}>`, `      <failure message="${xml(c.reason ?? 'failed')}"/>`, '    </testcase>');
    else
      lines.push(
        `${open}>`,
        `      <skipped message="${xml(c.verdict === 'not served' ? `not served by this target: ${c.reason ?? ''}` : (c.reason ?? 'not reached'))}"/>`,
        '    </testcase>',
      );
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
