/** The journal of requests: a ring of the last N, newest first. */
import { describe, expect, it } from 'vitest';
import { Journal } from './journal.ts';

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
});
