import { beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, SandboxStore } from '../sandbox/store.ts';
import { share } from '../sandbox/shared.ts';
import { Journal, MAX_BODY_CHARS } from '../sandbox/journal.ts';
import { type Answered, journalAnswered } from './journal.ts';
import { payloadOf } from './reply.ts';

describe('the journal stage', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await (await SandboxStore.open({ fixtures: () => ({}) })).get('s');
  });
  /** The entry the stage journals for `a`, read back from the sandbox's journal. */
  const journaled = (a: Answered) => {
    journalAnswered(sandbox, a);
    return sandbox.journal.last(1)[0]!;
  };
  const answered: Answered = {
    api: 'things',
    method: 'PUT',
    url: '/things/things/1',
    started: performance.now(),
    request: { problems: [], omitted: 0 },
    response: { problems: [], omitted: 0 },
    rawBody: Buffer.from('{"name":"one"}'),
    rawHeaders: ['Content-Type', 'application/json', 'Authorization', 'Bearer s3cret'],
    reply: { status: 204 },
    sent: { payload: undefined, headers: ['x-request-id', 'r1'] },
  };
  /** A JSON answer longer than an entry keeps. */
  const long = JSON.stringify({ name: 'x'.repeat(20_000) });
  const answeredLong: Answered = {
    ...answered,
    reply: { status: 200 },
    sent: { payload: payloadOf({ status: 200, body: JSON.parse(long) }), headers: [] },
  };

  it('keeps the request, its status and bodies, and no omitted counts when nothing was cut', () => {
    const entry = journaled(answered);
    expect(entry).toMatchObject({
      api: 'things',
      operationId: null,
      method: 'PUT',
      path: '/things/things/1',
      status: 204,
      validation: { request: [], response: [] },
    });
    expect(entry.validation).not.toHaveProperty('omitted');
    expect(entry).not.toHaveProperty('fault');
  });

  it('keeps status 0 for a reset connection, and the counts of problems cut', () => {
    const entry = journaled({
      ...answered,
      fault: { marker: { source: 'header', reset: true } },
      request: { problems: [], omitted: 3 },
    });
    expect(entry).toMatchObject({
      status: 0,
      fault: { reset: true },
      validation: { omitted: { request: 3, response: 0 } },
    });
  });

  it('keeps the headers (secrets masked when read) and says what each body was', () => {
    const entry = journaled(answered);
    const read = JSON.parse(JSON.stringify(entry));
    expect(read.requestHeaders).toEqual([
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer ••••••••'],
    ]);
    expect(entry.requestHeaders!.get('authorization')).toBe('Bearer s3cret');
    expect(read.responseHeaders).toEqual([['x-request-id', 'r1']]);
    expect(read.requestBody).toBe('{"name":"one"}');
    expect(read.bodies).toEqual({ request: { contentType: 'application/json', chars: 14 } });
  });

  it('keeps a PDF answer as bytes, and a long JSON answer cut and marked', () => {
    const pdf = Buffer.from('%PDF-1.7 \xff\xfe', 'latin1');
    const sentPdf = journaled({
      ...answered,
      reply: { status: 200, body: pdf },
      sent: { payload: { wire: pdf }, headers: ['Content-Type', 'application/pdf'] },
    });
    expect(sentPdf.bodies!.response).toEqual({ contentType: 'application/pdf', bytes: pdf.length });
    expect((sentPdf.responseBody as { bytes: Buffer }).bytes).toEqual(pdf);
    const sentLong = journaled(answeredLong);
    expect(sentLong.bodies!.response).toEqual({ chars: long.length, cut: true });
    expect(String(sentLong.responseBody).endsWith(`… (${long.length} characters)`)).toBe(true);
  });

  it('counts the bytes of an entry before it is made, its bodies whole as it holds them until then', () => {
    const cases = [
      { a: answered, beyondCut: 0 },
      { a: answeredLong, beyondCut: long.length - MAX_BODY_CHARS },
    ];
    for (const { a, beyondCut } of cases) {
      const before = sandbox.journal.byteSize;
      journalAnswered(sandbox, a);
      const estimated = sandbox.journal.byteSize - before;
      const made = new Journal(1);
      made.add(sandbox.journal.last(1)[0]!);
      expect(Math.abs(estimated - beyondCut - made.byteSize)).toBeLessThan(64);
    }
  });

  it('shows the reply as it was sent, whatever changes after in the objects it came from', () => {
    const record = { id: '1', attributes: { name: 'before' } };
    const price = share({ id: '2', attributes: { name: 'shared' } });
    const body = { data: [price, record] };
    const reply = { status: 200, body };
    const sentOnce = JSON.stringify(body);
    journalAnswered(sandbox, { ...answered, reply, sent: { payload: payloadOf(reply), headers: [] } });
    record.attributes.name = 'after';
    body.data.pop();
    expect(JSON.stringify(sandbox.journal.last(1)[0]!.responseBody)).toBe(sentOnce);
    const atRest = { status: 200, body: { data: [price], meta: { count: 1 } } };
    journalAnswered(sandbox, { ...answered, reply: atRest, sent: { payload: payloadOf(atRest), headers: [] } });
    atRest.body.meta.count = 2;
    atRest.body.data.pop();
    expect(JSON.stringify(sandbox.journal.last(1)[0]!.responseBody)).toBe(
      '{"data":[{"id":"2","attributes":{"name":"shared"}}],"meta":{"count":1}}',
    );
  });
});
