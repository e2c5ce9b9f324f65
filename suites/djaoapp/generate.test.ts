/** The bulk generator (fixtures/djaoapp/generate.ts): reproducible, and every record served within the contract. */
import { describe, expect, it } from 'vitest';
import { djaoappStateWithUsers, generateUsers } from '../../fixtures/djaoapp/generate.ts';
import { itIsReproducible } from '../support/generator.ts';
import { withSandboxState } from '../support/serve.ts';

describe('generated DjaoApp users', () => {
  itIsReproducible((options) => generateUsers(20, options));

  it("keep slugs unique and activities on generated contacts, by the broker's managers", () => {
    const state = djaoappStateWithUsers(300);
    expect(new Set(state.users.map((u) => u.slug)).size).toBe(state.users.length);
    expect(new Set(state.profiles.map((p) => p.slug)).size).toBe(state.profiles.length);
    expect(new Set(state.activities.map((a) => a.id)).size).toBe(state.activities.length);
    for (const a of state.activities) expect(['alice', 'donny']).toContain(a.created_by);
  });

  it('are served within the contract once restored into a sandbox', async () => {
    const state = djaoappStateWithUsers(150);
    await withSandboxState('djaoapp', 'generated', state, async (base) => {
      const headers = { 'x-standin-sandbox': 'generated', 'content-type': 'application/json' };
      const login = await fetch(`${base}/djaoapp/api/auth/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ username: 'donny', password: 'yoyo' }),
      });
      const { token } = (await login.json()) as { token: string };
      for (const page of [1, 2]) {
        const res = await fetch(`${base}/djaoapp/api/users/?page_size=100&page=${page}`, {
          headers: { ...headers, authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as any;
        expect(body.count).toBe(154);
        expect(body.results).toHaveLength(page === 1 ? 100 : 54);
      }
      const generated = state.users.find((u) => u.password && !['alice', 'donny', 'xia', 'joe1'].includes(u.slug));
      const theirs = await fetch(`${base}/djaoapp/api/auth/`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ username: generated!.slug, password: 'yoyo' }),
      });
      expect(theirs.status).toBe(201);
    });
  });
});
