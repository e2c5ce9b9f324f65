/** Plans, prices and currencies: the public catalogue and the workspace-priced views; authentication rules. */
import { describe, expect, it } from 'vitest';
import { loadContract, type Operation } from '../../server/core/contract/load.ts';
import { needsStandin, targetIsStandin } from '../support/target.ts';
import { basic, expectError, togglSuite, expectRefusals } from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'once' });

const ws = () => ({ workspace_id: creds.workspaceId });

/** GET /api/v9/workspaces/{workspace_id}/plans/{plan_id} */
const planPricing = (workspace_id: number, plan_id: number, headers: Record<string, string>) =>
  t.call('get_workspace_plans_pricing', { params: { workspace_id, plan_id }, headers });

describe('authentication', () => {
  it('answers 401 with an empty body and X-Authorization-Missing without credentials', async () => {
    const res = await t.call('get_workspace_subscription', { params: ws() });
    expect(res.status).toBe(401);
    expect(res.raw.length).toBe(0);
    expect(res.headers.get('x-authorization-missing')).toBe('true');
  });

  it('treats a non-Basic Authorization header as missing credentials', async () => {
    const res = await t.call('get_workspace_subscription', { params: ws(), headers: { Authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
  });

  it('answers 403 for a wrong password or an unknown API token', async () => {
    const wrong = await t.call('get_workspace_subscription', {
      params: ws(),
      headers: basic('admin@toggl.test', 'not-the-password'),
    });
    expect(wrong.status).toBe(403);
    expect(typeof wrong.body).toBe('string');
    const token = await t.call('get_workspace_subscription', {
      params: ws(),
      headers: basic('no-such-token', 'api_token'),
    });
    expect(token.status).toBe(403);
  });

  it('accepts email:password and <api_token>:api_token alike', async () => {
    const byPassword = await t.call('get_workspace_subscription', { params: ws(), headers: creds.admin });
    const byToken = await t.call('get_workspace_subscription', { params: ws(), headers: creds.adminToken });
    expect(byPassword.status).toBe(200);
    expect(byToken.status).toBe(200);
    expect(byToken.body).toEqual(byPassword.body);
  });

  it('answers 403 to a user outside the workspace', async () => {
    const res = await t.call('get_workspace_subscription', { params: ws(), headers: creds.other });
    expectError(res, 403, 'User does not have access to this resource.');
  });

  it('reports a non-integer id in the URL as a 400 naming the parameter', async () => {
    await expectRefusals(t, 'get_workspace_plans_pricing', [
      [
        { workspace_id: creds.workspaceId, plan_id: 'abc' },
        creds.admin,
        400,
        "We're expecting an integer as part of the url for plan_id",
      ],
    ]);
  });
});

describe('every operation', () => {
  const operations = () => loadContract('toggl').operations;
  const junkParams = (op: Operation) =>
    Object.fromEntries(op.parameters.filter((p) => p.in === 'path').map((p) => [p.name, creds.workspaceId]));

  it('answers 401 + X-Authorization-Missing without credentials and 403 to wrong ones, except the public two', async () => {
    const publicOnes: string[] = [];
    for (const op of operations()) {
      if (!op.security.length) {
        publicOnes.push(op.operationId);
        continue;
      }
      const none = await t.call(op.operationId, { params: junkParams(op), query: { immediateCancel: 'false' } });
      expect(none.status, op.operationId).toBe(401);
      expect(none.headers.get('x-authorization-missing')).toBe('true');
      const wrong = await t.call(op.operationId, {
        params: junkParams(op),
        query: { immediateCancel: 'false' },
        headers: basic('admin@toggl.test', 'wrong'),
      });
      expectError(wrong, 403, 'Incorrect username and/or password.');
    }
    expect(publicOnes.sort()).toEqual(['get_currencies', 'get_public_subscription_plans']);
  });

  it('answers 413 to a body over the size limit', async () => {
    const big = JSON.stringify({ comment: 'x'.repeat(1_100_000) });
    for (const op of operations().filter((o) => o.requestBody)) {
      const res = await t.call(op.operationId, {
        params: junkParams(op),
        headers: { ...creds.admin, 'Content-Type': 'application/json' },
        rawBody: big,
      });
      expect(res.status, op.operationId).toBe(413);
    }
  });
});

/** A price in cents with no discount and no tax: base, actual and with_tax all the same. */
const untaxed = (cents: number) => ({ base: cents, actual: cents, with_tax: cents });

/** A US-dollar pricing plan's list price (its period's) and its prices a month and a period, untaxed. */
const untaxedPrices = (month: number, period: number) => ({
  list_price_in_usd_cents: period,
  prices_month: untaxed(month),
  prices_period: untaxed(period),
});

describe('GET /api/v9/currencies (public)', () => {
  it('lists currencies with id, ISO code and symbol, without credentials', async () => {
    const res = await t.call('get_currencies');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    for (const c of res.body)
      expect(c).toEqual({
        currency_id: expect.any(Number),
        iso_code: expect.stringMatching(/^[A-Z]{3}$/),
        symbol: expect.any(String),
      });
    if (targetIsStandin) expect(res.body.map((c: any) => c.iso_code)).toEqual(['USD', 'EUR', 'GBP']);
  });
});

describe('GET /api/v9/workspaces/plans (public)', () => {
  it('lists the public plans with monthly and yearly pricing plans priced per seat in US dollars', async () => {
    const res = await t.call('get_public_subscription_plans');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    if (!targetIsStandin) return;
    expect(res.body.map((p: any) => p.name)).toEqual(['Free', 'Starter', 'Premium']);
    const starter = res.body.find((p: any) => p.plan_id === 56);
    expect(starter.pricing_plans).toEqual([
      expect.objectContaining({
        pricing_plan_id: 56,
        period: 1,
        price_point_handle: 'starter-monthly',
        ...untaxedPrices(1000, 1000),
      }),
      expect.objectContaining({
        pricing_plan_id: 156,
        period: 12,
        price_point_handle: 'starter-annual',
        ...untaxedPrices(900, 10800),
      }),
    ]);
  });
});

describe('GET /api/v9/workspaces/{workspace_id}/plans', () => {
  it("prices the catalogue in the workspace customer's currency, JSON-encoded in a string", async () => {
    const res = await t.call('get_workspace_plans', { params: ws(), headers: creds.member });
    expect(res.status).toBe(200);
    expect(typeof res.body).toBe('string');
    const plans = JSON.parse(res.body);
    expect(Array.isArray(plans)).toBe(true);
    if (targetIsStandin)
      expect(plans.find((p: any) => p.plan_id === 57).pricing_plans[0].prices_month).toEqual(untaxed(2000));
  });

  it('adds VAT for an EU customer without a tax number (workspace 58: Germany, EUR, 19%)', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspace 58 with its German customer");
    const res = await t.call('get_workspace_plans', { params: { workspace_id: 58 }, headers: creds.other });
    const premium = JSON.parse(res.body).find((p: any) => p.plan_id === 57);
    expect(premium.pricing_plans[0].prices_month).toEqual({ base: 1800, actual: 1800, with_tax: 2142 });
    expect(premium.pricing_plans[1].prices_period).toEqual({ base: 19200, actual: 19200, with_tax: 22848 });
  });

  it('answers 404 Workspace not found/accessible for an unknown workspace or an outsider', async () => {
    await expectRefusals(t, 'get_workspace_plans', [
      [{ workspace_id: 999999 }, creds.admin, 404, 'Workspace not found/accessible'],
    ]);
    const outsider = await t.call('get_workspace_plans', { params: ws(), headers: creds.other });
    expect(outsider.status).toBe(404);
  });
});

describe('GET /api/v9/workspaces/{workspace_id}/plans/{plan_id}', () => {
  it('returns the one plan asked for (plan 56, as in the seed)', async (ctx) => {
    needsStandin(ctx, "the fixtures' plan catalogue (plan 56, Starter)");
    const res = await planPricing(56, 56, creds.admin);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ plan_id: 56, name: 'Starter' });
  });

  it('answers 400 Invalid plan and Plan {id} is not valid for this workspace', async (ctx) => {
    needsStandin(ctx, "the fixtures' plan catalogue (plan 58, Enterprise, not on sale)");
    await expectRefusals(t, 'get_workspace_plans_pricing', [
      [{ workspace_id: 56, plan_id: 4242 }, creds.admin, 400, 'Invalid plan'],
      [{ workspace_id: 56, plan_id: 58 }, creds.admin, 400, 'Plan 58 is not valid for this workspace'],
    ]);
  });

  it('answers 403 to an outsider', async () => {
    const res = await planPricing(creds.workspaceId, 1, creds.other);
    expect(res.status).toBe(403);
  });
});

describe('GET /api/v9/workspaces/{workspace_id}/currencies', () => {
  it("returns the customer's currency once there is a customer", async () => {
    const res = await t.call('get_workspace_currencies', { params: ws(), headers: creds.member });
    expect(res.status).toBe(200);
    if (targetIsStandin) expect(res.body).toEqual(['USD']);
  });

  it('offers every currency before there is a customer (workspace 57)', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspace 57, without a customer");
    const res = await t.call('get_workspace_currencies', { params: { workspace_id: 57 }, headers: creds.other });
    expect(res.body).toEqual(['USD', 'EUR', 'GBP']);
  });

  it('answers 400 Workspace not found and 403 to an outsider', async () => {
    await expectRefusals(t, 'get_workspace_currencies', [
      [{ workspace_id: 999999 }, creds.admin, 400, 'Workspace not found'],
    ]);
    const outsider = await t.call('get_workspace_currencies', { params: ws(), headers: creds.other });
    expectError(outsider, 403, 'User does not have access to this resource.');
  });
});

describe('features', () => {
  it('features and selected_features describe the feature set of the plan in force', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspaces 56 (Starter) and 57 (Free)");
    const features = await t.call('get_workspace_features', { params: ws(), headers: creds.member });
    expect(features.status).toBe(200);
    expect(features.body).toEqual({ id: 2, name: 'Starter', enabled: true });
    const selected = await t.call('get_workspace_features_selected', { params: ws(), headers: creds.member });
    expect(selected.body).toEqual({ id: 2, name: 'Starter', enabled: true });
    const free = await t.call('get_workspace_features', { params: { workspace_id: 57 }, headers: creds.other });
    expect(free.body).toEqual({ id: 1, name: 'Free', enabled: true });
  });

  it('answers 403 User does not have access to this resource to outsiders', async () => {
    for (const id of ['get_workspace_features', 'get_workspace_features_selected']) {
      const res = await t.call(id, { params: ws(), headers: creds.other });
      expectError(res, 403, 'User does not have access to this resource');
    }
  });
});
