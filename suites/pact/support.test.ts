/** Provider verification against a backend that is not a Standin, and what a failed verification reports. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin, type ServedStandin } from '../support/serve.ts';
import { interactionFailures, verificationFailures, verifyPact } from './support.ts';

/** A backend that answers like a served Standin without its admin API: what any other server looks like. */
function foreignProxy(upstream: string): Promise<Server> {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/__standin'))
      return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
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
          mismatch: {
            mismatches: [
              {
                actualBody: page,
                mismatch: "expected a body of 'application/json' but the actual content type was 'text/html'",
              },
              { mismatch: 'expected 200 but was 404' },
            ],
          },
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

describe('interactionFailures', () => {
  it("gives each failed interaction its request, the provider's status and the fields its mismatches are about", () => {
    const pactFile = join(mkdtempSync(join(tmpdir(), 'pact-')), 'web-api.json');
    const interactions = [
      {
        description: 'a request for xia',
        request: { method: 'GET', path: '/api/users/xia/' },
        response: { status: 200 },
      },
      { description: 'the plans', request: { method: 'GET', path: '/api/plans/' }, response: { status: 200 } },
    ];
    writeFileSync(pactFile, JSON.stringify({ interactions }));
    const report = {
      errors: [
        {
          interaction: 'Verifying a pact between web and api Given xia - a request for xia',
          mismatch: { mismatches: [{ type: 'StatusMismatch', actual: 404, mismatch: 'expected 200 but was 404' }] },
        },
        {
          interaction: 'Verifying a pact between web and api Given xia - the plans',
          mismatch: {
            mismatches: [
              {
                type: 'BodyMismatch',
                path: '$.results[3]',
                mismatch: 'Actual map is missing the following keys: interval, unit',
              },
              {
                type: 'BodyMismatch',
                path: '$.results[0].organization',
                mismatch: "Expected 'cowork' to be equal to {…}",
              },
            ],
          },
        },
      ],
    };
    expect(interactionFailures(new Error(JSON.stringify(report)), pactFile)).toEqual([
      {
        interaction: 'a request for xia',
        method: 'GET',
        path: '/api/users/xia/',
        status: 404,
        expected: 200,
        mismatches: [{ text: 'expected 200 but was 404' }],
      },
      {
        interaction: 'the plans',
        method: 'GET',
        path: '/api/plans/',
        status: 200,
        expected: 200,
        mismatches: [
          { field: 'interval', text: 'Actual map is missing the following keys: interval, unit' },
          { field: 'unit', text: 'Actual map is missing the following keys: interval, unit' },
          { field: 'organization', text: "Expected 'cowork' to be equal to {…}" },
        ],
      },
    ]);
    expect(interactionFailures(new Error('provider not reachable'), pactFile)).toEqual([]);
  });
});
