import { newPriceDocument } from '../fixtures/productive/index.ts';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standinClient, startStandin, type RunningStandin } from './start-standin.ts';

const productive = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

describe('startStandin', () => {
  let standin: RunningStandin;
  beforeAll(async () => {
    standin = await startStandin({ apis: ['productive', 'togai'] });
  });
  afterAll(() => standin.close());

  it('serves the APIs it was given on a free port', async () => {
    expect(standin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(standin.apis).toEqual(['productive', 'togai']);
    const res = await fetch(`${standin.baseUrl('productive')}/api/v2/prices`, { headers: productive });
    expect(res.status).toBe(200);
    expect(() => standin.baseUrl('toggl')).toThrow('toggl is not served here; it serves productive, togai');
  });

  it('keeps each sandbox to itself, and resets one', async () => {
    const mine = standin.sandbox('start-standin-mine');
    const other = standin.sandbox('start-standin-other');
    const prices = async (sandbox: typeof mine): Promise<number> => {
      const res = await fetch(`${standin.baseUrl('productive')}/api/v2/prices`, {
        headers: { ...productive, ...sandbox.headers },
      });
      return (await res.json()).meta.total_count;
    };
    const before = await prices(other);
    const created = await fetch(`${standin.baseUrl('productive')}/api/v2/prices`, {
      method: 'POST',
      headers: { ...productive, ...mine.headers, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify(newPriceDocument({ name: 'Embedded' })),
    });
    expect(created.status).toBe(201);
    expect(await prices(mine)).toBe(before + 1);
    expect(await prices(other)).toBe(before);
    expect(Object.keys((await mine.state()).apis)).toEqual(['productive', 'togai']);
    await mine.reset();
    expect(await prices(mine)).toBe(before);
  });

  it("moves a sandbox's clock and reads it back", async () => {
    const sandbox = standin.sandbox('start-standin-clock');
    const moved = await sandbox.clock({ set: new Date('2031-05-01T00:00:00Z'), freeze: true });
    expect(moved).toEqual({ now: '2031-05-01T00:00:00.000Z', frozen: true, offsetMs: 0 });
    await sandbox.clock({ advance: 'P1D' });
    expect((await sandbox.clock()).now).toBe('2031-05-02T00:00:00.000Z');
  });

  it("names the admin API's refusal", async () => {
    await expect(standin.sandbox('start-standin-clock').clock({ advance: 'soon' })).rejects.toThrow(
      /POST \/__standin\/sandboxes\/start-standin-clock\/clock answered 400: .*advance/,
    );
    await expect(standin.sandbox('never-used').state()).rejects.toThrow(/answered 404/);
  });

  it('refuses a sandbox name the header cannot carry', () => {
    expect(() => standin.sandbox('my test')).toThrow('sandbox name "my test" must be 1-64 letters');
  });

  it('is reached by a client given its URL, with the admin token', async () => {
    const guarded = await startStandin({ apis: ['togai'], adminToken: 'secret-token' });
    try {
      await expect(standinClient(guarded.url).sandbox('x').clock()).rejects.toThrow(/answered 401/);
      expect(
        (await standinClient(`${guarded.url}/togai`, { adminToken: 'secret-token' }).sandbox('default').clock()).frozen,
      ).toBe(false);
    } finally {
      await guarded.close();
    }
  });
});

it('fails to start on a busy port, naming it, and leaves nothing open', async () => {
  const blocker = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => blocker.once('listening', resolve));
  const { port } = blocker.address() as { port: number };
  try {
    await expect(startStandin({ port, apis: ['togai'] })).rejects.toThrow(`EADDRINUSE`);
  } finally {
    blocker.close();
  }
});
