import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HeaderList, type JournalEntry, keptRequestBody } from '../sandbox/journal.ts';
import { asCurl, asFetch } from './journal-replay.ts';

const nasty = `{"name":"it's \`$(id)\` $HOME !x \\"q\\"\nline two"}`;
const entry = (over: Partial<JournalEntry> = {}): JournalEntry => ({
  seq: 1,
  at: '',
  api: 'productive',
  operationId: 'create_price',
  method: 'POST',
  path: '/productive/api/v2/prices?filter[name]=a b',
  status: 422,
  durationMs: 1,
  validation: { request: [], response: [] },
  requestHeaders: HeaderList.fromRaw([
    'Host',
    'elsewhere:1',
    'Content-Length',
    '99',
    'X-Auth-Token',
    'productive-test-token',
    'Cookie',
    'a=b',
    'Content-Type',
    'application/vnd.api+json',
  ]),
  requestBody: nasty,
  bodies: { request: { chars: nasty.length } },
  ...over,
});

/** The words a POSIX shell makes of the command: curl replaced by a function printing its arguments. */
function wordsOf(command: string): string[] {
  const printed = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`], {
    encoding: 'utf8',
  });
  return printed.split('\0').slice(0, -1);
}

describe('a journal entry replayed', () => {
  it('as curl: the shell gets the URL, the headers as sent (secrets too), the sandbox and the exact body', () => {
    const words = wordsOf(asCurl(entry(), 'http://127.0.0.1:4010', 'ci-7'));
    expect(words).toEqual([
      '--globoff',
      '-X',
      'POST',
      'http://127.0.0.1:4010/productive/api/v2/prices?filter[name]=a b',
      '-H',
      'X-Auth-Token: productive-test-token',
      '-H',
      'Cookie: a=b',
      '-H',
      'Content-Type: application/vnd.api+json',
      '-H',
      'X-Standin-Sandbox: ci-7',
      '--data-raw',
      nasty,
    ]);
  });

  it('as curl: says so when the body cannot be replayed, and keeps a sandbox header that was sent', () => {
    const binary = keptRequestBody(Buffer.from([0xff, 0xfe]), 'application/octet-stream');
    const command = asCurl(
      entry({
        requestHeaders: HeaderList.fromRaw(['x-standin-sandbox', 'ci-7']),
        requestBody: binary.body,
        bodies: { request: binary.note },
      }),
      'http://h',
      'ci-7',
    );
    expect(command.split('\n')[0]).toBe('# the request body was 2 bytes of binary data: this replay sends none');
    expect(wordsOf(command)).toEqual(['--globoff', '-X', 'POST', expect.any(String), '-H', 'x-standin-sandbox: ci-7']);
  });

  it('as fetch: a JavaScript call with the body as sent, without the headers a page may not set', () => {
    const code = asFetch(entry(), 'http://127.0.0.1:4010', 'ci-7');
    const calls: unknown[][] = [];
    new Function('fetch', `return (async () => { ${code} })();`)((...args: unknown[]) => calls.push(args));
    expect(calls).toEqual([
      [
        'http://127.0.0.1:4010/productive/api/v2/prices?filter[name]=a b',
        {
          method: 'POST',
          headers: {
            'X-Auth-Token': 'productive-test-token',
            'Content-Type': 'application/vnd.api+json',
            'X-Standin-Sandbox': 'ci-7',
          },
          body: nasty,
        },
      ],
    ]);
  });
});
