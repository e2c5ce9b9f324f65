import { describe, expect, it } from 'vitest';
import { SandboxStore } from '../sandbox/store.ts';
import { enterTurn, leaveTurn, mayWrite } from './turn.ts';
import { testApi } from './test-api.ts';

const api = testApi();
const sandbox = async () => (await SandboxStore.open({ fixtures: () => ({ things: { things: {} } }) })).get('s');

describe('the turn stage', () => {
  it("lets every method but GET and HEAD write, and the plugin's writing reads", () => {
    expect(mayWrite(api.plugin, 'PUT', 'put_thing')).toBe(true);
    expect(mayWrite(api.plugin, 'GET', 'get_thing')).toBe(false);
    expect(mayWrite({ ...api.plugin, writingReads: ['get_thing'] }, 'GET', 'get_thing')).toBe(true);
  });

  it('runs a read outside any turn unless reads are guarded', async () => {
    const s = await sandbox();
    expect(await enterTurn(s, api.plugin, 'GET', 'get_thing', { guardReads: false })).toEqual({ writing: false });
    expect(s.turn).toBeUndefined();
  });

  it("makes a second writer wait for the first one's turn, and rolls a failed request's writes back", async () => {
    const s = await sandbox();
    const first = await enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false });
    (first.transaction!.state as { things: Record<string, unknown> }).things['1'] = { name: 'one' };
    let secondIn = false;
    const second = enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false }).then((turn) => {
      secondIn = true;
      return turn;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(secondIn).toBe(false);
    leaveTurn(first, s, true);
    leaveTurn(await second, s, false);
    expect(secondIn).toBe(true);
    expect(s.state.apis.things).toEqual({ things: {} });
  });

  it('answers 503 with Retry-After to a write the sandbox cannot save, and serves reads', async () => {
    const s = await sandbox();
    s.unsaved = { reason: 'disk full', since: '', attempts: 1 };
    await expect(enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false })).rejects.toMatchObject({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { message: expect.stringContaining('cannot save sandbox s (disk full)') },
    });
    await expect(enterTurn(s, api.plugin, 'GET', 'get_thing', { guardReads: false })).resolves.toEqual({
      writing: false,
    });
  });
});
