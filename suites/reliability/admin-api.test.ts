/**
 * The admin API and the console serve the console itself and command-line clients, never another web page: no
 * CORS under /__standin/ (the vendors' APIs keep theirs), a cross-origin request refused, writes only as JSON (what
 * a form or another page's simple request sends is refused), a Host that DNS rebinding cannot forge, an optional
 * admin token, and the console's pages with CSP, frame and nosniff headers, serving only its own files. Every
 * refusal leaves the sandbox as it was. The same attacks from a real browser: suites/console/browser.test.ts.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHostAllowed } from '../../server/core/admin/guard.ts';
import { serveStandin, type ServedStandin } from '../support/serve.ts';

const ROOT = new URL('../../', import.meta.url);
const run = promisify(execFile);
const withoutToken = ({ STANDIN_ADMIN_TOKEN: _, ...env }: NodeJS.ProcessEnv) => env;
/** The CLI, as a user runs it; resolves with its exit code and output. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/standin.ts', ...args], {
      cwd: ROOT,
      env: { ...withoutToken(process.env), NO_COLOR: '1', ...env },
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
const json = { 'content-type': 'application/json' };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with any Host header (fetch will not send one of our choosing). */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Raw> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What an attack could change in a sandbox: its state, fault rules, journal length and existence. */
async function footprint(base: string, sandbox: string, headers: Record<string, string> = {}) {
  const admin = (path: string) =>
    fetch(`${base}/__standin/sandboxes/${sandbox}${path}`, { headers }).then((r) => r.json());
  const [state, faults, journal, list] = await Promise.all([
    admin('/state'),
    admin('/faults'),
    admin('/journal'),
    fetch(`${base}/__standin/sandboxes`, { headers }).then((r) => r.json() as Promise<{ id: string }[]>),
  ]);
  return { state, faults, journal: (journal as unknown[]).length, listed: list.some((s) => s.id === sandbox) };
}

describe('the admin API refuses other web pages', () => {
  let served: ServedStandin;
  const sandbox = 'victim';
  beforeAll(async () => {
    served = await serveStandin({ apis: ['productive'] });
    // Something to lose: a journal entry and a moved clock.
    await fetch(`${served.base}/productive/api/v2/prices`, {
      headers: { ...productive, 'x-standin-sandbox': sandbox },
    });
    await fetch(`${served.base}/__standin/sandboxes/${sandbox}/clock`, {
      method: 'POST',
      headers: json,
      body: '{"advance": "P1D"}',
    });
  });
  afterAll(() => served.stop());

  it('grants no CORS and refuses every cross-origin request, preflight, read or write, null origin included', async () => {
    const before = await footprint(served.base, sandbox);
    const attempts: [string, string, Record<string, string>, string?][] = [
      [
        'OPTIONS',
        `/__standin/sandboxes/${sandbox}/faults`,
        { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      ],
      ['GET', `/__standin/sandboxes/${sandbox}/journal`, {}],
      ['GET', `/__standin/sandboxes/${sandbox}/state`, {}],
      ['POST', `/__standin/sandboxes/${sandbox}/faults`, json, '{"status": 500}'],
      ['POST', `/__standin/sandboxes/${sandbox}/clock`, json, '{"advance": "P1Y"}'],
      ['DELETE', `/__standin/sandboxes/${sandbox}`, json],
    ];
    for (const origin of ['http://localhost:5173', 'http://evil.test', 'null'])
      for (const [method, path, headers, body] of attempts) {
        const res = await fetch(`${served.base}${path}`, { method, headers: { ...headers, origin }, body });
        expect(res.status, `${origin} ${method} ${path}`).toBe(403);
        expect(res.headers.get('access-control-allow-origin'), `${origin} ${method} ${path}`).toBeNull();
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
    // The console's own requests (same origin) and clients without Origin work.
    const own = await fetch(`${served.base}/__standin/sandboxes/${sandbox}/clock`, {
      headers: { origin: served.base },
    });
    expect(own.status).toBe(200);
    expect(await footprint(served.base, sandbox)).toEqual(before);
    // The vendors' APIs keep their CORS for browser apps.
    const app = await fetch(`${served.base}/productive/api/v2/prices`, {
      headers: { ...productive, origin: 'http://localhost:5173', 'x-standin-sandbox': 'app' },
    });
    expect(app.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('takes writes only as JSON: what an HTML form or a simple request sends is a 415, and changes nothing', async () => {
    const before = await footprint(served.base, sandbox);
    const forms: [string, string | undefined, string][] = [
      ['/reset', 'application/x-www-form-urlencoded', 'a=1'],
      ['/reset', 'text/plain', '{"x": 1}'],
      ['/reset', 'multipart/form-data; boundary=x', '--x--'],
      ['/reset', undefined, ''],
      ['/faults', 'text/plain', '{"status": 500}'],
      ['/clock', 'text/plain', '{"advance": "P1Y"}'],
    ];
    for (const [path, type, body] of forms) {
      const res = await fetch(`${served.base}/__standin/sandboxes/${sandbox}${path}`, {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body,
      });
      expect(res.status, `${type} ${path}`).toBe(415);
      expect(((await res.json()) as { error: string }).error).toContain('Content-Type: application/json');
    }
    for (const method of ['DELETE', 'PUT'])
      expect((await fetch(`${served.base}/__standin/sandboxes/${sandbox}`, { method })).status).toBe(415);
    expect(await footprint(served.base, sandbox)).toEqual(before);
    // JSON, body or not, works.
    expect(
      (await fetch(`${served.base}/__standin/sandboxes/other/reset`, { method: 'POST', headers: json })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${served.base}/__standin/sandboxes/other/reset`, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
        })
      ).status,
    ).toBe(200);
  });

  it('answers only Hosts that DNS rebinding cannot forge: IP addresses, localhost, and names it was told', async () => {
    const port = new URL(served.base).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `app.localhost:${port}`,
      `10.0.0.7:${port}`,
    ])
      expect((await raw(served.base, 'GET', '/__standin/sandboxes', { host })).status, host).toBe(200);
    for (const host of [`rebind.evil.test:${port}`, 'evil.test', `localhost.evil.test:${port}`]) {
      const res = await raw(served.base, 'GET', `/__standin/sandboxes/${sandbox}/state`, { host });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body).error).toContain('--allowed-hosts');
      const write = await raw(served.base, 'POST', `/__standin/sandboxes/${sandbox}/reset`, { host, ...json });
      expect(write.status).toBe(403);
    }
    // The vendors' APIs and health answer any Host (containers, probes and proxies reach them by name).
    expect(
      (await raw(served.base, 'GET', '/productive/api/v2/prices', { host: 'standin.internal', ...productive })).status,
    ).toBe(200);
    expect((await raw(served.base, 'GET', '/__standin/health', { host: 'standin.internal' })).status).toBe(200);
    expect((await raw(served.base, 'GET', '/__standin/healthz', { host: 'standin.internal' })).status).toBe(403);
    expect(isHostAllowed('standin.internal:4010', ['standin.internal'])).toBe(true);
    expect(isHostAllowed('ci.example.test', ['.example.test'])).toBe(true);
    expect(isHostAllowed('example.test', ['.example.test'])).toBe(true);
    expect(isHostAllowed('badexample.test', ['.example.test'])).toBe(false);
    expect(isHostAllowed('anything.test', 'all')).toBe(true);
    expect(isHostAllowed(undefined)).toBe(false);
  });

  it('serves the console with CSP, frame and nosniff headers, and only its own files', async () => {
    const page = await fetch(`${served.base}/__standin/`);
    expect(page.status).toBe(200);
    const policy = page.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    for (const path of [
      '/__standin/',
      '/__standin/console/console.js',
      '/__standin/sandboxes',
      '/__standin/docs/productive',
    ]) {
      const res = await fetch(`${served.base}${path}`);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    for (const path of ['routes.ts', 'index.html', 'console.js.map', '..%2Froutes.ts', '%2e%2e/app.ts'])
      expect((await fetch(`${served.base}/__standin/console/${path}`)).status, path).toBe(404);
  });
});

describe('with an admin token', () => {
  let served: ServedStandin;
  const token = 'correct horse battery staple';
  const bearer = { authorization: `Bearer ${token}` };
  beforeAll(
    async () =>
      (served = await serveStandin({ apis: ['productive'], adminToken: token, allowedHosts: ['standin.internal'] })),
  );
  afterAll(() => served.stop());
  /** What the token guards: the admin API, the console and its data, the docs. */
  const guarded = [
    '/__standin/sandboxes',
    '/__standin/sandboxes/default/journal',
    '/__standin/',
    '/__standin/console/apis.json',
    '/__standin/docs/productive',
  ];
  /** No token, a wrong one, and the right one sent as Basic instead of Bearer. */
  const notTheToken: Array<Record<string, string>> = [
    {},
    { authorization: 'Bearer wrong' },
    { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
  ];

  it('refuses the admin API and the console without it, and serves them with it; health and the APIs stay open', async () => {
    for (const path of guarded) {
      for (const headers of notTheToken) {
        const res = await fetch(`${served.base}${path}`, { headers, redirect: 'manual' });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('Bearer');
      }
      expect((await fetch(`${served.base}${path}`, { headers: bearer })).status, path).toBe(200);
    }
    const refused = await fetch(`${served.base}/__standin/sandboxes/default/reset`, { method: 'POST', headers: json });
    expect(refused.status).toBe(401);
    expect(
      (
        await fetch(`${served.base}/__standin/sandboxes/default/reset`, {
          method: 'POST',
          headers: { ...json, ...bearer },
        })
      ).status,
    ).toBe(200);
    expect(await (await fetch(`${served.base}/__standin/health`)).json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${served.base}/productive/api/v2/prices`, { headers: productive })).status).toBe(200);
    // A name allowed with --allowed-hosts reaches it; another does not.
    expect(
      (await raw(served.base, 'GET', '/__standin/sandboxes', { host: 'standin.internal:4010', ...bearer })).status,
    ).toBe(200);
    expect(
      (await raw(served.base, 'GET', '/__standin/sandboxes', { host: 'other.internal:4010', ...bearer })).status,
    ).toBe(403);
  });

  it('lets a browser open the console once with ?token=, keeping it in an HttpOnly cookie and out of the address', async () => {
    expect((await fetch(`${served.base}/__standin/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const signIn = await fetch(`${served.base}/__standin/?sandbox=x&token=${encodeURIComponent(token)}`, {
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/__standin/?sandbox=x');
    const cookie = signIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/__standin/);
    const session = { cookie: cookie.split(';')[0]! };
    expect((await fetch(`${served.base}/__standin/sandboxes`, { headers: session })).status).toBe(200);
    expect(
      (await fetch(`${served.base}/__standin/sandboxes`, { headers: { cookie: 'standin_admin_token=wrong' } })).status,
    ).toBe(401);
    // The cookie alone does not make another page's write acceptable.
    const forged = await fetch(`${served.base}/__standin/sandboxes/default/reset`, {
      method: 'POST',
      headers: { ...session, 'content-type': 'text/plain', origin: 'http://localhost:5173' },
    });
    expect(forged.status).toBe(403);
  });

  it('is what the CLI uses (status, from --admin-token or STANDIN_ADMIN_TOKEN), and serve refuses a host beyond loopback without one', async () => {
    const status = (env: Record<string, string>, args: string[] = []) =>
      cli(['status', '--target', served.base, '--json', ...args], env);
    const refused = await status({});
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('401');
    expect(JSON.parse((await status({ STANDIN_ADMIN_TOKEN: token })).output)).toMatchObject({ status: 'ok' });
    expect(JSON.parse((await status({}, ['--admin-token', token])).output)).toMatchObject({ status: 'ok' });
    const open = await cli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(open.code).toBe(2);
    expect(open.output).toContain('--admin-token');
  }, 60_000);
});
