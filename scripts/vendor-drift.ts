/**
 * `standin vendor-drift`: runs an API's conformance suite against the in-process mock with every 2xx JSON answer
 * also checked against a vendor document, then reports what the vendor document finds wrong.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reports = `${root}reports/vendor-drift/`;

interface Tally {
  checked: number;
  operations: string[];
  mismatches: { operationId: string; status: number; problems: { pointer: string; message: string }[] }[];
  undocumented: string[];
}

export function vendorDrift(api: string, document: string): number {
  const file = resolve(document);
  if (!existsSync(file)) throw new Error(`no vendor document at ${file}`);
  rmSync(reports, { recursive: true, force: true });
  const run = spawnSync('npx', ['vitest', 'run', `suites/${api}/`, '--reporter=dot'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, STANDIN_VENDOR_SPEC: file, STANDIN_TARGET: '' },
  });
  const tallies: Tally[] = existsSync(reports)
    ? readdirSync(reports).filter((f) => f.startsWith(`${api}-`)).map((f) => JSON.parse(readFileSync(reports + f, 'utf8')))
    : [];
  const checked = tallies.reduce((n, t) => n + t.checked, 0);
  const operations = new Set(tallies.flatMap((t) => t.operations));
  const undocumented = new Set(tallies.flatMap((t) => t.undocumented));
  const mismatches = tallies.flatMap((t) => t.mismatches);
  console.log(`\nvendor drift for ${api} against ${file}`);
  console.log(`  2xx JSON responses checked: ${checked}, operations: ${operations.size}, mismatches: ${mismatches.length}`);
  if (undocumented.size) console.log(`  operations the vendor document lacks: ${[...undocumented].join(', ')}`);
  for (const m of mismatches)
    for (const p of m.problems) console.log(`  ✗ ${m.operationId} ${m.status} ${p.pointer || '/'} ${p.message}`);
  return mismatches.length || checked === 0 || run.status !== 0 ? 1 : 0;
}
