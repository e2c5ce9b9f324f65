/**
 * Deeply nested JSON: a body nesting arrays and objects deeper than the core's limit (MAX_JSON_DEPTH) is refused
 * before it is parsed, with the vendor's 400 naming the depth, on every operation of every contract that takes JSON;
 * nothing is stored, so the sandbox can always be read, snapshotted and written to its file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin } from '../../server/app.ts';
import type { Operation } from '../../server/core/contract/load.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../server/core/validator/request.ts';
import { APIS, facts, freshSandbox, Harness, pathOf, send, startSweep, stateText, validParams } from './support.ts';

const nested = (depth: number, leaf = '1') => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

describe('the depth of a JSON body', () => {
  it('is measured outside strings, escapes included', () => {
    expect(nestsDeeperThan(Buffer.from(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(nestedArray(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ a: '['.repeat(500), b: '\\"{{{{' })), 4)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`[${JSON.stringify('"\\')}, ${nestedArray(5)}]`), 5)).toBe(true);
  });

  it.each(APIS)(
    '%s: every JSON body nested too deep → the vendor’s 400 naming it, nothing stored',
    async (api) => {
      const { t, baseline, failures } = await startSweep(h, api);
      const withJson = h.contracts[api].operations.filter((op: Operation) =>
        Object.keys(op.requestBody?.content ?? {}).some((type) => /json/i.test(type)),
      );
      for (const op of withJson) {
        const type = Object.keys(op.requestBody!.content).find((type) => /json/i.test(type))!;
        const path = pathOf(op, validParams(api, op));
        for (const body of [nested(5_000), nestedArray(100_000)]) {
          const res = await send(t, op.method.toUpperCase(), path, {
            headers: { ...facts[api].valid, 'content-type': type },
            body,
          });
          const where = `${api}.${op.operationId} (${body.length} bytes) → ${res.status}`;
          if (res.status !== 400) failures.push(`${where}: expected 400 ${res.raw.toString().slice(0, 160)}`);
          else if (!res.raw.toString().includes(`deeper than ${MAX_JSON_DEPTH} levels`))
            failures.push(`${where}: does not name the depth: ${res.raw.toString().slice(0, 160)}`);
          const contract = t.contractProblems(op.operationId, res);
          if (contract.length)
            failures.push(
              `${where}: outside the contract: ${contract.map((p) => `${p.pointer} ${p.message}`).join(', ')}`,
            );
        }
      }
      if ((await stateText(h.origin, t.sandbox)) !== baseline)
        failures.push(`${api}: a refused body changed the sandbox's state`);
      console.log(
        `nesting ${api}: ${withJson.length} operations with a JSON body, ${withJson.length * 2} deep bodies, ${failures.length} failures`,
      );
      for (const failure of failures.slice(0, 20)) console.log(`  FAIL ${failure}`);
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it('a snapshot nested 5,000 deep is refused by the admin API; every sandbox stays readable', async () => {
    const t = h.target('productive');
    await freshSandbox(t);
    const state = `{"clock": {"offsetMs": 0, "frozenAt": null}, "apis": {"productive": ${nested(5_000)}, "togai": {}, "toggl": {}, "djaoapp": {}}}`;
    const res = await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: state,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`deeper than ${2 * MAX_JSON_DEPTH} levels`);
    expect((await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`)).status).toBe(200);
    expect((await fetch(`${h.origin}/__standin/sandboxes`)).status).toBe(200);
  });

  it('DjaoApp: a user’s extra nested 5,000 deep is refused; the user, the state and the data file stay readable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'standin-nesting-'));
    const standin = await createStandin({ strict: true, dataDir, apis: ['djaoapp'] });
    try {
      const server = standin.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      try {
        const login = await fetch(`${origin}/djaoapp/api/auth/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'xia', password: 'yoyo' }),
        });
        const { token } = (await login.json()) as { token: string };
        const auth = { Authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const deep = await fetch(`${origin}/djaoapp/api/users/xia/`, {
          method: 'PUT',
          headers: auth,
          body: `{"full_name": "Xia", "email": "xia@localhost.localdomain", "extra": ${nested(5_000)}}`,
        });
        expect(deep.status).toBe(400);
        expect(await deep.json()).toEqual({
          non_field_errors: [`Nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`],
        });
        const fine = await fetch(`${origin}/djaoapp/api/users/xia/`, {
          method: 'PUT',
          headers: auth,
          body: `{"full_name": "Xia", "email": "xia@localhost.localdomain", "extra": ${nested(MAX_JSON_DEPTH - 2)}}`,
        });
        expect(fine.status, await fine.clone().text()).toBe(200);
        expect((await fetch(`${origin}/djaoapp/api/users/xia/`, { headers: auth })).status).toBe(200);
        expect((await fetch(`${origin}/__standin/sandboxes/default/state`)).status).toBe(200);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await standin.store.flushAll();
      const saved = JSON.parse(readFileSync(join(dataDir, 'default.json'), 'utf8')) as {
        apis: { djaoapp: { users: Array<{ slug: string; extra: unknown }> } };
      };
      expect(JSON.stringify(saved.apis.djaoapp.users.find((u) => u.slug === 'xia')!.extra)).toBe(
        nested(MAX_JSON_DEPTH - 2),
      );
    } finally {
      await standin.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
