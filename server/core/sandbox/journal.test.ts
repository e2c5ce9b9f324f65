/** The journal of requests: a ring of the last N, newest first. */
import { describe, expect, it } from 'vitest';
import { HeaderList, Journal, type JournalChange, keptRequestBody, MAX_BINARY_BYTES, masked } from './journal.ts';

describe('journal', () => {
  it('keeps only the last N entries, newest first', () => {
    const journal = new Journal(3);
    for (let i = 0; i < 5; i++)
      journal.add({
        at: '',
        api: 'x',
        operationId: null,
        method: 'GET',
        path: `/${i}`,
        status: 200,
        durationMs: 0,
        validation: { request: [], response: [] },
      });
    expect(journal.size).toBe(3);
    expect(journal.last().map((e) => e.path)).toEqual(['/4', '/3', '/2']);
    expect(journal.last(1).map((e) => e.seq)).toEqual([5]);
  });

  const entry = (path: string) => ({
    at: '',
    api: 'x',
    operationId: null,
    method: 'GET',
    path,
    status: 200,
    durationMs: 0,
    validation: { request: [], response: [] },
  });

  it('finds every entry it holds by its seq after wrapping round many times, and none it dropped', () => {
    const journal = new Journal(4);
    for (let i = 1; i <= 11; i++) journal.add(entry(`/${i}`));
    expect(journal.last().map((e) => e.seq)).toEqual([11, 10, 9, 8]);
    expect(journal.last(0)).toEqual([]);
    expect([7, 8, 11, 12].map((seq) => journal.find(seq)?.path)).toEqual([undefined, '/8', '/11', undefined]);
    journal.clear();
    journal.add(entry('/after'));
    expect(journal.last().map((e) => [e.seq, e.path])).toEqual([[12, '/after']]);
  });

  it('drops the oldest entries beyond its bytes, and keeps the newest whatever its size', () => {
    const journal = new Journal(10, 1_000);
    journal.record(400, () => entry('/a'));
    journal.record(400, () => entry('/b'));
    journal.record(400, () => entry('/c'));
    expect(journal.last().map((e) => e.path)).toEqual(['/c', '/b']);
    journal.record(5_000, () => entry('/huge'));
    expect(journal.last().map((e) => e.path)).toEqual(['/huge']);
    expect(journal.byteSize).toBe(5_000);
  });

  it('makes a recorded entry when it is first read, once, and at once for a listener', () => {
    const journal = new Journal(3);
    let made = 0;
    journal.record(100, () => {
      made++;
      return entry('/lazy');
    });
    expect(made).toBe(0);
    expect(journal.last()[0]).toBe(journal.find(1));
    expect(made).toBe(1);
    journal.listen(() => undefined);
    journal.record(100, () => {
      made++;
      return entry('/heard');
    });
    expect(made).toBe(2);
  });

  it('tells its listeners of each entry and of a clear, until they stop listening', () => {
    const journal = new Journal(3);
    const heard: JournalChange[] = [];
    const stop = journal.listen((change) => heard.push(change));
    journal.add(entry('/a'));
    journal.clear();
    stop();
    journal.add(entry('/b'));
    expect(heard.map((c) => (c.type === 'entry' ? c.entry.path : c.type))).toEqual(['/a', 'cleared']);
    expect(journal.listenerCount).toBe(0);
    expect(journal.find(2)?.path).toBe('/b');
    expect(journal.find(1)).toBeUndefined();
  });

  it('masks credentials when read, keeps the scheme, and keeps them as sent for replays', () => {
    const headers = HeaderList.fromRaw([
      'Authorization',
      'Basic YWRtaW46eW95bw==',
      'X-Auth-Token',
      'productive-test-token',
      'Cookie',
      'sessionid=abc',
      'Accept',
      'application/json',
      '__proto__',
      'x',
    ]);
    expect(JSON.parse(JSON.stringify(headers))).toEqual([
      ['Authorization', 'Basic ••••••••'],
      ['X-Auth-Token', '••••••••'],
      ['Cookie', '••••••••'],
      ['Accept', 'application/json'],
      ['__proto__', 'x'],
    ]);
    expect(headers.get('x-auth-token')).toBe('productive-test-token');
    expect(masked('X-Organization-Id', '572')).toBe('572');
  });

  it('bounds headers: long values cut, and beyond 64 the count of those left out', () => {
    const raw = Array.from({ length: 70 }, (_, i) => [`X-H${i}`, 'v'.repeat(5000)]).flat();
    const headers = HeaderList.fromRaw(raw);
    const read = JSON.parse(JSON.stringify(headers)) as Array<[string, string]>;
    expect(read).toHaveLength(65);
    expect(read[0]![1]).toMatch(/… \(5000 characters\)$/);
    expect(read.at(-1)).toEqual(['…', '6 more headers not kept']);
  });

  it('keeps a binary request body as bytes up to MAX_BINARY_BYTES, and only its size beyond', () => {
    const small = keptRequestBody(Buffer.from([0xff, 0x00, 0xfe]), 'application/octet-stream');
    expect(small.note).toEqual({ contentType: 'application/octet-stream', bytes: 3 });
    expect(JSON.stringify(small.body)).toBe('"<3 bytes>"');
    const big = keptRequestBody(Buffer.alloc(MAX_BINARY_BYTES + 1, 0xff), undefined);
    expect(big.note).toEqual({ bytes: MAX_BINARY_BYTES + 1, notKept: true });
    expect(keptRequestBody(Buffer.from('{"a":1}'), 'application/json').body).toBe('{"a":1}');
  });
});
