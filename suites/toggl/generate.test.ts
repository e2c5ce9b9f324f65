/** The bulk generator (fixtures/toggl/generate.ts): reproducible, and what it makes is served within the contract. */
import { describe, expect, it } from 'vitest';
import { togglStateWithOrganizations } from '../../fixtures/toggl/generate.ts';
import { togglFixtures } from '../../fixtures/toggl/index.ts';
import { itIsReproducible } from '../support/generator.ts';
import { expectStatus, needsStandin } from '../support/target.ts';
import { basic, togglSuite } from './target.ts';

const { t } = await togglSuite({ fresh: 'each' });

describe('generated Toggl organizations', () => {
  itIsReproducible((options) => togglStateWithOrganizations(15, options));

  it('keep the fixtures and add consistent histories', () => {
    const state = togglStateWithOrganizations(60);
    const fixtures = togglFixtures();
    expect(Object.keys(state.organizations)).toHaveLength(Object.keys(fixtures.organizations).length + 60);
    expect(state.subscriptions['56']).toEqual(fixtures.subscriptions['56']);
    const states = new Set<string>();
    for (const org of Object.values(state.organizations)) {
      const sub = org.subscription_id === null ? undefined : state.subscriptions[String(org.subscription_id)];
      states.add(sub ? sub.status : org.fallback);
      for (const invoice of Object.values(state.invoices).filter((i) => i.organization_id === org.id))
        expect(
          Object.values(state.payments).some((p) => p.invoice_id === invoice.id && p.amount === invoice.total_amount),
        ).toBe(true);
    }
    expect([...states].sort()).toEqual(['active', 'canceled', 'free', 'suspended', 'trialing']);
  });

  it('are served within the contract once restored into a sandbox', async (ctx) => {
    needsStandin(ctx, 'the admin API, to load 200 generated organizations');
    const snapshot = await t.admin<any>('GET', '/state');
    snapshot.apis.toggl = togglStateWithOrganizations(200);
    await t.admin('PUT', '/state', snapshot);
    const generated = Object.values(snapshot.apis.toggl.organizations as Record<string, any>).filter(
      (o) => o.id >= 1000,
    );
    for (const org of generated.slice(0, 40)) {
      const owner = snapshot.apis.toggl.users[String(org.owner_id)];
      const headers = basic(owner.email, 'yoyo');
      const sub = await t.call('get_organization_subscription', { params: { organization_id: org.id }, headers });
      expect(sub.status).toBe(200);
      const workspace = Object.values(snapshot.apis.toggl.workspaces as Record<string, any>).find(
        (w) => w.organization_id === org.id,
      );
      await expectStatus(
        200,
        t.call('get_workspace_payment_records', { params: { workspace_id: workspace.id }, headers }),
      );
    }
  });
});
