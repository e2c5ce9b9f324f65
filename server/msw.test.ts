import { newPriceDocument } from '../fixtures/productive/index.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBaseUrls, standinHandlers, standinMock } from './msw.ts';

const togai = { Authorization: 'Bearer togai-test-token' };
const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const newPrice = (name: string) => JSON.stringify(newPriceDocument({ name }));

async function priceNames(sandbox?: string): Promise<string[]> {
  const res = await fetch('https://api.productive.io/api/v2/prices?page[size]=200', {
    headers: { ...productive, ...(sandbox && { 'X-Standin-Sandbox': sandbox }) },
  });
  expect(res.status).toBe(200);
  const { data, links } = (await res.json()) as { data: { attributes: { name: string } }[]; links: { first: string } };
  // The vendor's own URL, for a client that follows the links.
  expect(links.first).toMatch(/^https:\/\/api\.productive\.io\/api\/v2\/prices\?/);
  return data.map((p) => p.attributes.name);
}

describe('standinHandlers in setupServer', () => {
  const unhandled: string[] = [];
  const server = setupServer(...standinHandlers());
  let elsewhere: Server;
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: (request) => void unhandled.push(request.url) });
    elsewhere = createServer((_req, res) => res.end('not a vendor')).listen(0, '127.0.0.1');
    await new Promise((resolve) => elsewhere.once('listening', resolve));
  });
  afterAll(() => {
    server.close();
    elsewhere.close();
  });

  it("answers Togai's own URL from the mock", async () => {
    const res = await fetch('https://api.togai.com/accounts/ACC00001', { headers: togai });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'ACC00001' });
    const refused = await fetch('https://api.togai.com/accounts/ACC00001', {
      headers: { Authorization: 'Bearer not-a-token' },
    });
    expect(refused.status).toBe(401);
  });

  it('keeps what a Productive create wrote for the next read', async () => {
    const created = await fetch('https://api.productive.io/api/v2/prices', {
      method: 'POST',
      headers: { ...productive, 'Content-Type': 'application/vnd.api+json' },
      body: newPrice('Made through MSW'),
    });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: string } };
    const read = await fetch(`https://api.productive.io/api/v2/prices/${data.id}`, { headers: productive });
    expect(await read.json()).toMatchObject({ data: { id: data.id, attributes: { name: 'Made through MSW' } } });
    expect(await priceNames()).toContain('Made through MSW');
    expect(await priceNames('msw-other')).not.toContain('Made through MSW');
  });

  it('leaves a URL that is not a vendor to the network', async () => {
    const { port } = elsewhere.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/accounts/ACC00001`);
    expect(await res.text()).toBe('not a vendor');
    expect(unhandled).toEqual([`http://127.0.0.1:${port}/accounts/ACC00001`]);
  });
});

describe('standinMock', () => {
  const mock = standinMock({
    apis: ['productive'],
    baseUrls: { productive: 'https://productive.example.test/v2-gateway' },
  });
  const server = setupServer(...mock.handlers({ sandbox: 'msw-mine' }));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(async () => {
    server.close();
    await mock.close();
  });

  it('serves a configured base URL, in its own sandbox, and resets it', async () => {
    const url = 'https://productive.example.test/v2-gateway/api/v2/prices';
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { ...productive, 'Content-Type': 'application/vnd.api+json' },
        body: newPrice('Mine'),
      });
    expect((await post()).status).toBe(201);
    const names = async () =>
      (
        (await (await fetch(url, { headers: productive })).json()) as { data: { attributes: { name: string } }[] }
      ).data.map((p) => p.attributes.name);
    expect(await names()).toContain('Mine');
    const other = await mock.fetch(
      new Request('http://localhost/', { headers: productive }),
      '/productive/api/v2/prices',
    );
    expect(JSON.stringify(await other.json())).not.toContain('"Mine"');
    await mock.reset('msw-mine');
    expect(await names()).not.toContain('Mine');
  });

  it('refuses a sandbox name the header cannot carry', () => {
    expect(() => mock.handlers({ sandbox: 'my test' })).toThrow('sandbox name "my test" must be 1-64 letters');
  });

  it("answers the contract's vendor base URLs by default", () => {
    expect(defaultBaseUrls('togai')).toEqual(['https://api.togai.com', 'https://sandbox-api.togai.com']);
    expect(defaultBaseUrls('productive')).toEqual(['https://api.productive.io']);
    expect(defaultBaseUrls('toggl')).toEqual(['https://api.track.toggl.com']);
    expect(defaultBaseUrls('djaoapp')).toEqual(['https://cowork.djaoapp.com']);
  });
});
