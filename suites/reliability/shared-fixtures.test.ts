/**
 * Sandboxes share the fixtures until they write (server/core/sandbox/shared.ts): every operation of every API,
 * sent with a valid body in one sandbox, must leave the fixtures as they were built (a new sandbox starts from
 * them byte for byte) and must not show in another sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { djaoapp } from '../../server/apis/djaoapp/index.ts';
import { productive } from '../../server/apis/productive/index.ts';
import { togai } from '../../server/apis/togai/index.ts';
import { toggl } from '../../server/apis/toggl/index.ts';
import type { ApiPlugin } from '../../server/core/plugin.ts';
import { APIS, facts, Harness, readyTarget, sendOperation, stateText, type ApiName } from './support.ts';

const plugins: Record<ApiName, ApiPlugin<any, any, any>> = { productive, togai, toggl, djaoapp };

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.close();
});

/** Sends every operation of `api` once with valid parameters and body; returns how many writes answered 2xx. */
async function everyOperation(api: ApiName): Promise<{ sandbox: string; succeeded: number }> {
  const t = await readyTarget(h, api);
  let succeeded = 0;
  for (const op of h.contracts[api].operations) {
    const { res } = await sendOperation(h, t, api, op, { headers: facts[api].valid });
    expect(res.status, `${api}.${op.operationId}`).toBeLessThan(500);
    if (res.status < 300 && op.method !== 'get') succeeded++;
  }
  return { sandbox: t.sandbox, succeeded };
}

describe('fixtures shared by every sandbox', () => {
  it('stay as built whatever a sandbox writes through every operation of every API, and other sandboxes see none of it', async () => {
    const pristine = (api: ApiName) => JSON.stringify(plugins[api].fixtures());
    const stateOf = async (sandbox: string, api: ApiName) =>
      JSON.stringify(JSON.parse(await stateText(h.origin, sandbox)).apis[api]);
    const written = new Map<ApiName, string>();
    for (const api of APIS) {
      const { sandbox, succeeded } = await everyOperation(api);
      expect(succeeded, api).toBeGreaterThan(0);
      console.log(`shared fixtures: ${api}: ${succeeded} writes answered 2xx`);
      written.set(api, sandbox);
    }
    await h.target('productive', 'shared-fixtures-new').admin('POST', '/reset');
    for (const api of APIS) {
      expect(await stateOf('shared-fixtures-new', api), api).toBe(pristine(api));
      expect(await stateOf(written.get(api)!, api), api).not.toBe(pristine(api));
      // Each sandbox wrote to its own API only: the others are as a new sandbox has them.
      for (const other of APIS.filter((a) => a !== api))
        expect(await stateOf(written.get(api)!, other), `${other} in the sandbox of ${api}`).toBe(pristine(other));
    }
    await h.target('djaoapp', written.get('djaoapp')).admin('POST', '/reset');
    expect(await stateOf(written.get('djaoapp')!, 'djaoapp')).toBe(pristine('djaoapp'));
  });
});
