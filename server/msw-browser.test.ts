/**
 * The in-page handlers (msw-browser.ts) hand the pipeline a request and a response of their own making: run here
 * under MSW's Node interceptor, a request is answered and journaled without the internal error a missing part of
 * node's request or response would raise after the answer (logged, and the journal entry lost).
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { productive } from './apis/productive/index.ts';
import { standinWorkerHandlers } from './msw-browser.ts';

describe('standinWorkerHandlers', () => {
  let server: ReturnType<typeof setupServer>;
  beforeAll(async () => {
    server = setupServer(...(await standinWorkerHandlers({ plugins: [productive] })));
    server.listen();
  });
  afterAll(() => server.close());

  it('answers and journals a request without an internal error', async () => {
    const logged = vi.spyOn(console, 'error');
    try {
      // A GET: in Node the browser's body reader (its express shim) is not used, express.raw is.
      const res = await fetch('https://api.productive.io/api/v2/prices', {
        headers: { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' },
      });
      expect(res.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logged.mock.calls.filter(([message]) => String(message).startsWith('standin:'))).toEqual([]);
    } finally {
      logged.mockRestore();
    }
  });
});
