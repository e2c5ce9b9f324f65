/** `standin seed`: every API's generator through the admin API of a served Standin, and the CLI's --json. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStandin } from '../support/serve.ts';
import { countRecords, seed, seedGenerators } from '../../scripts/seed.ts';

const listen = () => serveStandin({ strict: true });

describe('standin seed', () => {
  let app: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => (app = await listen()));
  afterAll(() => app.stop());

  it('has a generator for every served API', () => {
    expect(Object.keys(seedGenerators).sort()).toEqual(app.standin.apis.map((a) => a.plugin.name).sort());
  });

  it('fills one sandbox with generated records the API then serves, within its contract', async () => {
    const result = await seed({
      api: 'productive',
      scale: 120,
      sandbox: 'seed-p',
      target: `${app.base}/productive`,
      seed: 3,
      quiet: true,
    });
    expect(result.after.prices! - result.before.prices!).toBe(120);
    const headers = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };
    const list = await fetch(`${app.base}/productive/api/v2/prices?page[size]=200`, {
      headers: { ...headers, 'x-standin-sandbox': 'seed-p' },
    });
    expect(list.status).toBe(200); // strict: a generated record outside the contract would be a 500
    expect(((await list.json()) as any).meta.total_count).toBe(121);
    // Another sandbox is untouched; the same seed gives the same data.
    const other = await fetch(`${app.base}/productive/api/v2/prices`, {
      headers: { ...headers, 'x-standin-sandbox': 'seed-q' },
    });
    expect(((await other.json()) as any).meta.total_count).toBe(1);
    const again = await seed({
      api: 'productive',
      scale: 120,
      sandbox: 'seed-q',
      target: app.base,
      seed: 3,
      quiet: true,
    });
    const state = async (id: string) =>
      (await (await fetch(`${app.base}/__standin/sandboxes/${id}/state`)).json()) as any;
    expect((await state('seed-q')).apis.productive).toEqual((await state('seed-p')).apis.productive);
    expect(again.after).toEqual(result.after);
  });

  it.each(['togai', 'toggl', 'djaoapp'])('fills %s and leaves the other APIs and the clock alone', async (api) => {
    const sandbox = `seed-${api}`;
    await fetch(`${app.base}/__standin/sandboxes/${sandbox}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    const before = (await (await fetch(`${app.base}/__standin/sandboxes/${sandbox}/state`)).json()) as any;
    const result = await seed({ api, scale: 15, sandbox, target: app.base, quiet: true });
    const added = Object.entries(result.after)
      .filter(([key, n]) => n > (result.before[key] ?? 0))
      .map(([key]) => key);
    expect(added).toContain({ togai: 'accounts', toggl: 'organizations', djaoapp: 'users' }[api]);
    const after = (await (await fetch(`${app.base}/__standin/sandboxes/${sandbox}/state`)).json()) as any;
    expect(countRecords(after.apis[api])).toEqual(result.after);
    for (const other of Object.keys(before.apis).filter((name) => name !== api))
      expect(after.apis[other]).toEqual(before.apis[other]);
    expect(after.clock).toEqual(before.clock);
  });

  it('says plainly when no Standin answers, and runs from the CLI with --json', async () => {
    await expect(
      seed({ api: 'togai', scale: 1, sandbox: 'x', target: 'http://127.0.0.1:9', quiet: true }),
    ).rejects.toThrow(/no Standin answers at http:\/\/127.0.0.1:9/);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/standin.ts',
        'seed',
        '--api',
        'togai',
        '--scale',
        '25',
        '--sandbox',
        'seed-cli',
        '--target',
        app.base,
        '--json',
      ],
      { env: { ...process.env, NO_COLOR: '1' } },
    );
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ api: 'togai', sandbox: 'seed-cli', scale: 25 });
    expect(result.after.accounts - result.before.accounts).toBe(25);
  }, 60_000);
});
