import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCredentialsFile } from './verify.ts';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'standin-credentials-')), 'credentials.env');
  writeFileSync(path, text);
  return path;
};

describe('readCredentialsFile', () => {
  it('reads KEY=VALUE lines: comments, blank lines, quotes, export, = in a value', () => {
    expect(
      readCredentialsFile(
        file('# Productive\nPRODUCTIVE_TOKEN=abc\n\nexport PRODUCTIVE_ORG = 572 \nDJAOAPP_PASSWORD="p a=ss#1"\n'),
      ),
    ).toEqual({ PRODUCTIVE_TOKEN: 'abc', PRODUCTIVE_ORG: '572', DJAOAPP_PASSWORD: 'p a=ss#1' });
  });

  it('reads a JSON object', () => {
    expect(readCredentialsFile(file('{"TOGAI_TOKEN": "t"}'))).toEqual({ TOGAI_TOKEN: 't' });
  });

  it('names a line that is not KEY=VALUE', () => {
    const path = file('A=1\nPRODUCTIVE_TOKEN abc\n');
    expect(() => readCredentialsFile(path)).toThrow(`${path}: "PRODUCTIVE_TOKEN abc" is not KEY=VALUE`);
  });
});
