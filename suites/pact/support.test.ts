/** Provider verification against a backend that is not a Standin, and what a failed verification reports. */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin, type ServedStandin } from '../support/serve.ts';
import { verificationFailures, verifyPact } from './support.ts';

/** A backend that answers like a served Standin without its admin API: what any other server looks like. */
function foreignProxy(upstream: string): Promise<Server> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/__standin')) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('provider verification on a foreign backend', () => {
  let served: ServedStandin;
  let proxy: Server;
  beforeAll(async () => {
    served = await serveStandin({ apis: ['productive'] });
    proxy = await foreignProxy(served.base);
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await served.stop();
  });

  it('runs without a sandbox header, its states set through the public API', async (ctx) => {
    const before = process.env.PACT_PROVIDER_BASE_URL;
    process.env.PACT_PROVIDER_BASE_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/productive`;
    let statesSetUp = 0;
    try {
      await verifyPact(ctx, {
        consumer: 'prices-frontend',
        provider: 'productive',
        states: ['organization 572 has price 1'],
        // The default sandbox behind the proxy starts from the fixtures, which hold price 1.
        throughPublicApi: async () => void statesSetUp++,
        withoutPublicApi: 'unused here',
      });
    } finally {
      if (before === undefined) delete process.env.PACT_PROVIDER_BASE_URL;
      else process.env.PACT_PROVIDER_BASE_URL = before;
    }
    expect(statesSetUp).toBeGreaterThan(0);
  });
});

describe('verificationFailures', () => {
  it("keeps one line per failed interaction with its mismatches, without the backend's bodies", () => {
    const page = `<!DOCTYPE html><title>Page not found</title>${'x'.repeat(100_000)}`;
    const report = {
      errors: [
        {
          interaction: 'a request for xia',
          mismatch: { mismatches: [{ actualBody: page, mismatch: "expected a body of 'application/json' but the actual content type was 'text/html'" }, { mismatch: 'expected 200 but was 404' }] },
        },
      ],
      interactionResults: [{ result: 'OK' }, { result: 'Error' }],
    };
    const summary = verificationFailures(new Error(JSON.stringify(report)));
    expect(summary).toBe(
      "1 of 2 interactions failed\n- a request for xia: expected a body of 'application/json' but the actual content type was 'text/html'; expected 200 but was 404",
    );
  });

  it('passes any other error through as it is', () => {
    expect(verificationFailures(new Error('provider not reachable'))).toBe('provider not reachable');
  });
});
