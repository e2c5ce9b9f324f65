/**
 * verify, proxy, drift and record → replay, each shown to catch what it claims: against a deliberately wrong
 * Productive they report each of its four defects exactly once; against a served mock verify passes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { parse as parseJUnit, type TestSuites } from 'junit2json';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableApis, createStandin } from '../../server/app.ts';
import { validatingProxy } from '../../server/core/proxy/validating-proxy.ts';
import { distinctViolations, verify } from '../../scripts/verify.ts';
import { drift } from '../../scripts/drift.ts';
import { readCallRecords } from '../../scripts/reports.ts';
import { DEFECTS, startPartialProductive, startWrongProductive } from './wrong-server.ts';

process.env.STANDIN_QUIET = '1';
const auth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const jsonApi = { ...auth, 'content-type': 'application/vnd.api+json' };
const newPrice = JSON.stringify({
  data: {
    type: 'prices',
    attributes: { name: 'x', unit_id: 1, currency: 'USD' },
    relationships: { company: { data: { type: 'companies', id: '1926' } } },
  },
});
const located = (v: { operationId: string | null; status: number; pointer: string; keyword: string }) => ({
  operationId: v.operationId,
  status: v.status,
  pointer: v.pointer,
  keyword: v.keyword,
});

let wrong: Awaited<ReturnType<typeof startWrongProductive>>;
beforeAll(async () => (wrong = await startWrongProductive()));
afterAll(() => wrong.close());

async function listen(app: { listen: (port: number, host: string) => import('node:http').Server }) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('standin proxy', () => {
  it('serves the real answers and reports each violation once, with where, what and a curl line', async () => {
    const proxy = await validatingProxy({ api: 'productive', target: wrong.base });
    const served = await listen(proxy.app);
    const get = await fetch(`${served.base}/api/v2/prices/1`, { headers: auth });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.attributes.quantity).toBe(5);
    await fetch(`${served.base}/api/v2/prices`, { headers: auth });
    expect(
      (await fetch(`${served.base}/api/v2/prices`, { method: 'POST', headers: jsonApi, body: newPrice })).status,
    ).toBe(200);
    expect((await fetch(`${served.base}/api/v2/prices/999999`, { headers: auth })).status).toBe(404);
    const fine = await fetch(`${served.base}/api/v2/prices/1`, {
      method: 'PATCH',
      headers: jsonApi,
      body: '{"data":{"type":"prices","attributes":{"name":"fine"}}}',
    });
    expect(fine.status).toBe(200);

    expect(proxy.violations.map(located)).toEqual(DEFECTS);
    expect(proxy.violations.every((v) => v.side === 'response')).toBe(true);
    expect(proxy.violations[0]!.curl).toBe(
      `curl -sS -X GET '${wrong.base}/api/v2/prices/1' -H 'x-auth-token: productive-test-token' -H 'x-organization-id: 572' -H 'accept: */*' -H 'accept-language: *' -H 'sec-fetch-mode: cors' -H 'user-agent: node' -H 'accept-encoding: gzip, deflate'`,
    );
    const journal = (await (await fetch(`${served.base}/__standin/journal`)).json()) as any[];
    expect(journal.map((e) => [e.operationId, e.validation.response.length])).toEqual([
      ['update_price', 0],
      ['get_price', 1],
      ['create_price', 1],
      ['list_prices', 1],
      ['get_price', 1],
    ]);
    await served.close();
  });

  it('records exchanges that `serve --replay` answers as recorded', async () => {
    const recordDir = mkdtempSync(join(tmpdir(), 'standin-record-'));
    const proxy = await validatingProxy({ api: 'productive', target: wrong.base, recordDir });
    const served = await listen(proxy.app);
    await fetch(`${served.base}/api/v2/prices/1`, { headers: auth });
    await served.close();
    expect(readdirSync(recordDir)).toHaveLength(1);

    const replaying = await createStandin({ apis: ['productive'], replayDir: recordDir, strict: false });
    const replay = await listen(replaying.app);
    const answer = (await (await fetch(`${replay.base}/productive/api/v2/prices/1`, { headers: auth })).json()) as any;
    expect(answer.data.attributes.quantity).toBe(5);
    const unrecorded = (await (
      await fetch(`${replay.base}/productive/api/v2/prices`, { headers: auth })
    ).json()) as any;
    expect(unrecorded.meta.total_count).toBe(1);
    await replay.close();
  });
});

describe('standin verify', () => {
  it('fails against the wrong server with one violation per defect, no more, no less', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'standin-verify-'));
    const report = await verify({ api: 'productive', target: wrong.base, reportDir, credentials: {} });
    expect(report.passed).toBe(false);
    expect(report.violations.map(located).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...DEFECTS].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(report.operations.find((o) => o.operationId === 'create_price')).toMatchObject({
      verdict: 'failed',
      reason: 'answered 200 outside the contract',
    });
    expect(readdirSync(reportDir)).toEqual(expect.arrayContaining(['junit.xml', 'verify.json', 'vitest.json']));
  }, 120_000);

  it('reports an operation the target lacks once, as not served, and classifies the scenarios that call it', async () => {
    const partial = await startPartialProductive();
    try {
      const reportDir = mkdtempSync(join(tmpdir(), 'standin-verify-partial-'));
      const report = await verify({ api: 'productive', target: partial.base, reportDir, credentials: {} });
      expect(report.operations.filter((o) => o.verdict === 'not served')).toEqual([
        {
          operationId: 'delete_price',
          verdict: 'not served',
          calls: expect.any(Number),
          reason: expect.stringContaining(
            'answers this target\'s unknown-route page (404 text/html "Page not found at <path>")',
          ),
        },
      ]);
      expect(
        report.operations.filter((o) => o.verdict === 'failed').map((o) => `${o.operationId}: ${o.reason}`),
      ).toEqual([]);
      expect(report.failures.length).toBeGreaterThan(0);
      expect(report.failures.every((f) => f.class === 'not-served' && f.operationId === 'delete_price')).toBe(true);
      expect(report.foreignPages.map((p) => [p.status, p.title])).toContainEqual([404, 'Page not found at <path>']);
      const junit = (await parseJUnit(readFileSync(join(reportDir, 'operations.xml'), 'utf8'))) as TestSuites;
      const cases = (junit.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
      expect(cases.map((c) => c.name).sort()).toEqual([
        'create_price',
        'delete_price',
        'get_price',
        'list_prices',
        'update_price',
      ]);
      expect(cases.filter((c) => c.skipped).map((c) => c.name)).toEqual(['delete_price']);
    } finally {
      await partial.close();
    }
  }, 120_000);

  describe('against a served mock (`standin serve`)', () => {
    let child: ChildProcess;
    const port = 4700 + Math.floor(Math.random() * 200);
    beforeAll(async () => {
      child = spawn(process.execPath, ['--import', 'tsx', 'scripts/standin.ts', 'serve', '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('serving on') && resolve());
        child.once('exit', (code) => reject(new Error(`standin serve exited with ${code}`)));
      });
    });
    afterAll(() => void child.kill('SIGTERM'));
    // Each API's whole suite runs in a child vitest: these take as long as the suites themselves.

    it.each(availableApis())(
      'passes for %s, with JUnit XML',
      async (api) => {
        const reportDir = mkdtempSync(join(tmpdir(), `standin-verify-${api}-`));
        const report = await verify({ api, target: `http://127.0.0.1:${port}/${api}`, reportDir, credentials: {} });
        expect(report.failures).toEqual([]);
        expect(report.violations).toEqual([]);
        expect(report.passed).toBe(true);
        expect(report.operations.filter((o) => o.verdict === 'failed')).toEqual([]);
        expect(report.pact.every((p) => p.status === 'passed')).toBe(true);
        expect(distinctViolations(readCallRecords(join(reportDir, 'calls'), api))).toEqual([]);
        const junit = (await parseJUnit(readFileSync(join(reportDir, 'junit.xml'), 'utf8'))) as TestSuites;
        const cases = (junit.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
        expect(cases.length).toBe(report.scenarios.passed + report.scenarios.failed + report.scenarios.skipped);
        expect(junit.failures).toBe(0);
      },
      240_000,
    );
  });
});

describe('standin drift', () => {
  it('names the operations whose status or shape differs from the mock', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'standin-drift-'));
    const drifts = await drift({ api: 'productive', target: wrong.base, reportDir, credentials: {} });
    const operations = new Set(drifts.map((d) => d.operationId));
    expect([...operations].sort()).toEqual(['create_price', 'get_price', 'list_prices']);
    expect(drifts.find((d) => d.operationId === 'create_price')).toMatchObject({
      mock: { status: 201 },
      target: { status: 200 },
    });
  }, 120_000);
});
