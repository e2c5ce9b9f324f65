/**
 * A target profile's permanentRecords: read from the file, checked, and passed on to the suites, which otherwise skip
 * the scenarios that would leave records a foreign target cannot delete.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../scripts/target-profile.ts';
import { foreignTargetEnv } from '../../scripts/verify.ts';

function profileFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'standin-profile-')), 'target.yaml');
  writeFileSync(file, text);
  return file;
}

describe("a profile's permanentRecords", () => {
  it('is read as given, and refused unless true or false', () => {
    expect(loadProfile(profileFile('api: djaoapp\npermanentRecords: true\n')).permanentRecords).toBe(true);
    expect(loadProfile(profileFile('api: djaoapp\n')).permanentRecords).toBeUndefined();
    expect(() => loadProfile(profileFile('permanentRecords: yes please\n'))).toThrow(
      /permanentRecords is true or false/,
    );
  });

  it('lets the suites leave records only when it says so', () => {
    const allowed = foreignTargetEnv(
      { credentials: { DJAOAPP_MANAGER: 'donny' }, permanentRecords: true },
      'http://127.0.0.1:9',
      'slash',
    );
    expect(allowed).toEqual({
      DJAOAPP_MANAGER: 'donny',
      STANDIN_TARGET: 'http://127.0.0.1:9',
      PACT_PROVIDER_BASE_URL: 'http://127.0.0.1:9',
      STANDIN_PATH_STYLE: 'slash',
      STANDIN_PERMANENT_RECORDS: 'allowed',
    });
    expect(foreignTargetEnv({ credentials: {} }, 'http://127.0.0.1:9', 'slashless')).not.toHaveProperty(
      'STANDIN_PERMANENT_RECORDS',
    );
  });
});
