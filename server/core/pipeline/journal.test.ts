import { beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, SandboxStore } from '../sandbox/store.ts';
import { journalEntry } from './journal.ts';

describe('the journal stage', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await (await SandboxStore.open({ fixtures: () => ({}) })).get('s');
  });
  const answered = {
    api: 'things',
    method: 'PUT',
    url: '/things/things/1',
    started: performance.now(),
    request: { problems: [], omitted: 0 },
    response: { problems: [], omitted: 0 },
    rawBody: Buffer.from('{"name":"one"}'),
    reply: { status: 204 },
    sent: undefined,
  };

  it('keeps the request, its status and bodies, and no omitted counts when nothing was cut', () => {
    const entry = journalEntry(sandbox, answered);
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
    const entry = journalEntry(sandbox, {
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
});
