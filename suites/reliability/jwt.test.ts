/**
 * DjaoApp's tokens belong to their sandbox: each sandbox signs with its own key (its state's secret bound to its
 * name), so a token or cart cookie from one sandbox is refused in another as DjaoApp refuses a bad token; the key
 * survives a reset, a snapshot restored and a restart on the same data directory. Signatures are verified strictly
 * (jose, and canonical base64url): junk after a signature is a bad token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStandin, type Standin } from '../../server/app.ts';
import type { ConformanceTarget } from '../support/target.ts';
import { Harness, send } from './support.ts';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h?.close());

async function login(t: ConformanceTarget): Promise<string> {
  const res = await send(t, 'POST', '/api/auth/', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'xia', password: 'yoyo' }),
  });
  expect(res.status).toBe(201);
  return (res.body as { token: string }).token;
}

const me = (t: ConformanceTarget, token: string) =>
  send(t, 'GET', '/api/users/xia/', { headers: { Authorization: `Bearer ${token}` } });

describe('DjaoApp tokens belong to their sandbox', () => {
  it('a token from sandbox A is refused in sandbox B, as DjaoApp refuses a bad token', async () => {
    const a = h.target('djaoapp');
    const b = h.target('djaoapp');
    const token = await login(a);
    expect((await me(a, token)).status).toBe(200);
    const elsewhere = await me(b, token);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body).toEqual({ detail: 'Invalid token' });
    expect(b.contractProblems('users_retrieve', elsewhere)).toEqual([]);
    const verify = await send(b, 'POST', '/api/auth/tokens/verify/', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(verify.status).toBe(400);
  });

  it('junk after the signature, or another encoding of it, is a bad token', async () => {
    const t = h.target('djaoapp');
    const token = await login(t);
    const signature = token.split('.')[2]!;
    const sameBytes = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].find(
      (c) =>
        c !== signature.at(-1) &&
        Buffer.from(`${signature.slice(0, -1)}${c}`, 'base64url').equals(Buffer.from(signature, 'base64url')),
    )!;
    for (const junk of [`${token}=`, `${token}==`, `${token}!!`, `${token}%`, `${token.slice(0, -1)}${sameBytes}`]) {
      const res = await me(t, junk);
      expect(res.status, junk).toBe(401);
      const verify = await send(t, 'POST', '/api/auth/tokens/verify/', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: junk }),
      });
      expect(verify.status, junk).toBe(400);
    }
    expect((await me(t, token)).status).toBe(200);
  });

  it('an anonymous cart cookie from sandbox A is an empty cart in sandbox B', async () => {
    const a = h.target('djaoapp');
    const b = h.target('djaoapp');
    const added = await send(a, 'POST', '/api/cart/', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'premium' }),
    });
    expect(added.status).toBe(201);
    const cookie = added.headers.get('set-cookie')!.split(';')[0]!;
    const signIn = async (t: ConformanceTarget, extra: string) => {
      const res = await send(t, 'POST', '/api/auth/', {
        headers: { 'content-type': 'application/json', cookie: extra },
        body: JSON.stringify({ username: 'joe1', password: 'yoyo' }),
      });
      expect(res.status).toBe(201);
      const state = (await (await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`)).json()) as {
        apis: { djaoapp: { cart_items: Array<{ user: string; plan: string }> } };
      };
      return state.apis.djaoapp.cart_items
        .filter((i) => i.user === 'joe1')
        .map((i) => i.plan)
        .join(',');
    };
    expect(await signIn(a, cookie)).toContain('premium');
    expect(await signIn(b, cookie)).not.toContain('premium');
    expect(await signIn(b, `${cookie}=`)).not.toContain('premium');
  });

  it('the key survives a reset and a snapshot restored', async () => {
    const t = h.target('djaoapp');
    const token = await login(t);
    const snapshot = await (await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`)).text();
    await t.admin('POST', '/reset');
    expect((await me(t, token)).status).toBe(200);
    const restored = await fetch(`${h.origin}/__standin/sandboxes/${t.sandbox}/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: snapshot,
    });
    expect(restored.status).toBe(200);
    expect((await me(t, token)).status).toBe(200);
  });

  it('the key survives a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'standin-jwt-'));
    const serve = async (): Promise<[Standin, Server, string]> => {
      const standin = await createStandin({ strict: true, dataDir, apis: ['djaoapp'] });
      const server = standin.app.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return [standin, server, `http://127.0.0.1:${(server.address() as { port: number }).port}`];
    };
    const stop = async ([standin, server]: [Standin, Server, string]) => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await standin.close();
    };
    try {
      const first = await serve();
      const res = await fetch(`${first[2]}/djaoapp/api/auth/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-standin-sandbox': 'kept' },
        body: JSON.stringify({ username: 'xia', password: 'yoyo' }),
      });
      const { token } = (await res.json()) as { token: string };
      await stop(first);
      const second = await serve();
      try {
        const again = await fetch(`${second[2]}/djaoapp/api/users/xia/`, {
          headers: { Authorization: `Bearer ${token}`, 'x-standin-sandbox': 'kept' },
        });
        expect(again.status).toBe(200);
        const other = await fetch(`${second[2]}/djaoapp/api/users/xia/`, {
          headers: { Authorization: `Bearer ${token}`, 'x-standin-sandbox': 'another' },
        });
        expect(other.status).toBe(401);
      } finally {
        await stop(second);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
