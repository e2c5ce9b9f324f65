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
    const turn = await enterTurn(s, api.plugin, 'GET', 'get_thing', { guardReads: false });
    expect(turn).toMatchObject({ writing: false, state: s.state.apis.things });
    expect(turn.transaction).toBeUndefined();
    expect(s.turn).toBeUndefined();
  });

  it("makes a second writer wait for the first one's turn, and rolls a failed request's writes back", async () => {
    const s = await sandbox();
    const first = await enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false });
    (first.transaction!.state as { things: Record<string, unknown> }).things['1'] = { name: 'one' };
    let secondIn = false;
    const second = Promise.resolve(enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false })).then((turn) => {
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
    await expect(async () => enterTurn(s, api.plugin, 'PUT', 'put_thing', { guardReads: false })).rejects.toMatchObject(
      {
        status: 503,
        headers: { 'Retry-After': '1' },
        body: { message: expect.stringContaining('cannot save sandbox s (disk full)') },
      },
    );
    const read = await enterTurn(s, api.plugin, 'GET', 'get_thing', { guardReads: false });
    expect(read.writing).toBe(false);
    expect(read.transaction).toBeUndefined();
  });

  it('gives a plugin with namedWrites its writer: writes undone when the request fails, refused to a read', async () => {
    const named = { ...api.plugin, namedWrites: true as const };
    const s = await sandbox();
    const failed = await enterTurn(s, named, 'PUT', 'put_thing', { guardReads: false });
    expect(failed.state).toBe(s.state.apis.things);
    failed.writer.set(['things' as never], { '1': { name: 'one' } } as never);
    await leaveTurn(failed, s, true);
    expect(s.state.apis.things).toEqual({ things: {} });
    const kept = await enterTurn(s, named, 'PUT', 'put_thing', { guardReads: false });
    kept.writer.set(['things' as never], { '1': { name: 'one' } } as never);
    await leaveTurn(kept, s, false);
    expect(s.state.apis.things).toEqual({ things: { '1': { name: 'one' } } });
    const read = await enterTurn(s, named, 'GET', 'get_thing', { guardReads: false });
    expect(() => read.writer.set(['things' as never], {} as never)).toThrow(/GET get_thing wrote to the state/);
  });

  it('shows a guarded request of a plugin with namedWrites views that refuse a write in place', async () => {
    const named = { ...api.plugin, namedWrites: true as const };
    const s = await sandbox();
    const turn = await enterTurn(s, named, 'PUT', 'put_thing', { guardReads: true });
    expect(() => {
      (turn.state as { things: Record<string, unknown> }).things['1'] = { name: 'one' };
    }).toThrow(/things.put_thing wrote to the state in place/);
    await leaveTurn(turn, s, true);
    expect(s.state.apis.things).toEqual({ things: {} });
  });
});
