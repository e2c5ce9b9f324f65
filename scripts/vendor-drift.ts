/**
 * `standin vendor-drift`: runs an API's conformance suite against the in-process mock with every 2xx JSON answer
 * also checked against a vendor document, then reports what the vendor document finds wrong.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCallRecords } from './reports.ts';
import { runSuites } from './verify.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function vendorDrift(api: string, document: string): Promise<number> {
  const file = resolve(document);
  if (!existsSync(file)) throw new Error(`no vendor document at ${file}`);
  const reportDir = `${root}reports/vendor-drift/`;
  rmSync(reportDir, { recursive: true, force: true });
  const exit = await runSuites(
    api,
    { STANDIN_VENDOR_SPEC: file, STANDIN_TARGET: '', PACT_PROVIDER_BASE_URL: '' },
    reportDir,
    ['dot'],
  );
  const calls = readCallRecords(join(reportDir, 'calls'), api).filter((c) => c.vendor !== undefined);
  const checked = calls.filter((c) => c.vendor !== null);
  const mismatches = checked.filter((c) => c.vendor!.length);
  const undocumented = new Set(calls.filter((c) => c.vendor === null).map((c) => c.operationId));
  console.log(`\nvendor drift for ${api} against ${file}`);
  console.log(
    `  2xx JSON responses checked: ${checked.length}, operations: ${new Set(checked.map((c) => c.operationId)).size}, mismatches: ${mismatches.length}`,
  );
  if (undocumented.size) console.log(`  operations the vendor document lacks: ${[...undocumented].join(', ')}`);
  for (const m of mismatches)
    for (const p of m.vendor!) console.log(`  ✗ ${m.operationId} ${m.status} ${p.pointer || '/'} ${p.message}`);
  return mismatches.length || checked.length === 0 || exit !== 0 ? 1 : 0;
}
