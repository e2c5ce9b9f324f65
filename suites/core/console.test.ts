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
    expect(page).toContain('<redoc spec-url="/__standin/docs/productive/openapi.json"');
    expect(page).toContain('/__standin/docs/redoc.standalone.js');
    const bundle = await fetch(`${app.base}/__standin/docs/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(Number((await bundle.arrayBuffer()).byteLength)).toBeGreaterThan(500_000);
    const document = (await (await fetch(`${app.base}/__standin/docs/productive/openapi.json`)).json()) as any;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.servers[0].url).toBe(`${app.base}/productive`);
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
