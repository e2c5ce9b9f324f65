/** The console's routes, the API reference pages and CORS, over HTTP (the browser test drives the console itself). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin } from '../support/serve.ts';

const listen = () => serveStandin({ apis: ['productive', 'djaoapp'] });

describe('console, docs and CORS', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (app = await listen()));
  afterAll(() => app.stop());

  it('serves the console at /__standin/ with its assets, and keeps the admin JSON routes', async () => {
    const page = await fetch(`${app.base}/__standin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('/__standin/console/console.js');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    expect((await fetch(`${app.base}/__standin`, { redirect: 'manual' })).headers.get('location')).toBe('/__standin/');
    for (const asset of ['console.js', 'console.css', 'state.js', 'records-table.js'])
      expect((await fetch(`${app.base}/__standin/console/${asset}`)).status).toBe(200);
    const apis = (await (await fetch(`${app.base}/__standin/console/apis.json`)).json()) as any[];
    expect(apis.map((a) => a.name)).toEqual(['productive', 'djaoapp']);
    expect(apis[0].operations).toContainEqual({ operationId: 'list_prices', method: 'GET', path: '/api/v2/prices' });
    expect(apis[1].views).toContainEqual({ name: 'outbox', about: expect.stringContaining('DjaoApp sends e-mails') });
    expect(await (await fetch(`${app.base}/__standin/health`)).json()).toMatchObject({ status: 'ok' });
    const unknown = await fetch(`${app.base}/__standin/console/nope.js`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no such admin route' });
  });

  it('serves an API reference page per contract, Redoc from node_modules, and the contract with this server first', async () => {
    const page = await (await fetch(`${app.base}/__standin/docs/productive`)).text();
    expect(page).toContain('data-spec-url="/__standin/docs/productive/openapi.json"');
    expect(page).toContain('/__standin/docs/redoc.standalone.js');
    expect(page).toContain('/__standin/docs/docs.js');
    const bundle = await fetch(`${app.base}/__standin/docs/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    const code = await bundle.text();
    expect(code.length).toBeGreaterThan(500_000);
    expect(code).not.toContain('cdn.redoc.ly');
    const document = (await (await fetch(`${app.base}/__standin/docs/productive/openapi.json`)).json()) as any;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.servers[0].url).toBe(`${app.base}/productive`);
    // Fixture values where the contract has no example: price 1's, the plugin's sample record.
    expect(document.components.schemas.PriceAttributesInput.properties).toMatchObject({
      name: { example: 'Price' },
      unit_id: { example: 2 },
      currency: { example: 'USD' },
      rate: { example: 10000 },
    });
    expect(await (await fetch(`${app.base}/__standin/docs`)).text()).toContain('/__standin/docs/djaoapp');
    expect((await fetch(`${app.base}/__standin/docs/togai`)).status).toBe(404); // not served here
  });

  it('lets a browser app on another origin call the mock (CORS), and leaves requests without Origin alone', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await fetch(`${app.base}/productive/api/v2/prices`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-auth-token,x-organization-id,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('x-auth-token,x-organization-id,content-type');
    const list = await fetch(`${app.base}/productive/api/v2/prices`, {
      headers: { origin, 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('access-control-allow-origin')).toBe(origin);
    const plain = await fetch(`${app.base}/productive/api/v2/prices`, {
      headers: { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' },
    });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the APIs tab’s getting-started data', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (app = await serveStandin({ strict: true })));
  afterAll(() => app.stop());

  it('lists credentials that each sign in, and a first request that answers 200 with the first', async () => {
    const starts = (await (await fetch(`${app.base}/__standin/console/getting-started.json`)).json()) as any[];
    expect(starts.map((s) => s.name).sort()).toEqual(['djaoapp', 'productive', 'togai', 'toggl']);
    for (const start of starts) {
      const base = `${app.base}/${start.name}`;
      const headersOf = async (credential: any): Promise<Record<string, string>> => {
        if (!credential.login) return credential.headers;
        const { request, tokenField, header, prefix } = credential.login;
        const login = await fetch(`${base}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: JSON.stringify(request.body),
        });
        expect(login.status, `${start.name} ${credential.who}`).toBeLessThan(300);
        return { [header]: `${prefix}${((await login.json()) as any)[tokenField]}` };
      };
      const { method, path } = start.firstRequest;
      const answer = async (headers: Record<string, string>) => {
        const res = await fetch(`${base}${path}`, { method, headers });
        return `${res.status} ${await res.text()}`;
      };
      for (const credential of start.credentials) {
        const headers = await headersOf(credential);
        // Each value spoilt: what this API answers to credentials it does not know (Toggl: a 403, like a refusal).
        const spoilt = credential.basic
          ? { Authorization: `Basic ${btoa(`${credential.basic.username}:${credential.basic.password}0`)}` }
          : Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `${value}0`]));
        expect(await answer(headers), `${start.name} ${credential.who}`).not.toBe(await answer(spoilt));
      }
      const first = await fetch(`${base}${path}`, { method, headers: await headersOf(start.credentials[0]) });
      expect(first.status, `${start.name} ${method} ${path}`).toBe(200);
      expect(start.records.length).toBeGreaterThan(0);
      expect(Object.keys(start.reference).length).toBeGreaterThan(0);
    }
  });
});
