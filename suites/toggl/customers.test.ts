/** The customer behind a workspace: reading it, saving contact details with every documented rule, Toggl Inc terms. */
import { describe, expect, it } from 'vitest';
import { needsStandin } from '../support/target.ts';
import { expectError, FREE_57, togglSuite, usContact, expectRefusals } from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'each' });

const save = (body: unknown, workspace_id = creds.workspaceId, headers = creds.admin) =>
  t.call('post_workspace_customer', { params: { workspace_id }, headers, body });

describe('GET /workspaces/{workspace_id}/customer', () => {
  it("returns workspace 56's customer: Toggl Inc bills it in USD", async (ctx) => {
    needsStandin(ctx, "the fixtures' customer of workspace 56");
    const res = await t.call('get_workspace_customer', { params: { workspace_id: 56 }, headers: creds.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customer_id: 56,
      organization_id: 56,
      company_id: 2,
      currency_id: 1,
      purchase_order_enabled: true,
      company: { company_id: 2, name: 'Toggl Inc', tax_number_name: 'EIN' },
      contact_detail: {
        contact_detail_id: 56,
        company_name: 'Toggl Test Org LLC',
        country_id: 235,
        country_subdivision_id: 3944,
        zip_code: '94105',
        is_eu_resident: false,
      },
      payment_detail: { payment_type: 'card', currency: 'USD', customer_id: 56 },
    });
  });

  it('answers 404 workspace has no customer before any contact details', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspace 57, without a customer");
    await expectRefusals(t, 'get_workspace_customer', [
      [{ workspace_id: 57 }, creds.other, 404, 'workspace has no customer'],
    ]);
  });

  it('answers 403 Admin permissions required. to a plain member', async () => {
    await expectRefusals(t, 'get_workspace_customer', [
      [{ workspace_id: creds.workspaceId }, creds.member, 403, 'Admin permissions required.'],
    ]);
  });
});

describe('POST /workspaces/{workspace_id}/customer/contact_detail', () => {
  it('creates the customer on first use; EU customers are billed by Toggl OÜ in EUR', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const res = await save(
      {
        company_name: 'Tallinn OÜ',
        company_address: 'Narva mnt 1',
        contact_email: 'arved@tallinn.test',
        country_id: 70,
        tax_number: 'EE123456789',
      },
      57,
      creds.other,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      company_name: 'Tallinn OÜ',
      country_id: 70,
      vat_number: 'EE123456789',
      is_eu_resident: true,
      user_id: 5701,
      created_at: '2026-11-15T12:00:00Z',
    });
    const customer = await t.call('get_workspace_customer', { params: { workspace_id: 57 }, headers: creds.other });
    expect(customer.body).toMatchObject({
      organization_id: 57,
      company: { name: 'Toggl OÜ' },
      currency_id: 2,
      contact_detail: { contact_detail_id: res.body.contact_detail_id },
    });
    expect(
      (await t.call('get_workspace_currencies', { params: { workspace_id: 57 }, headers: creds.other })).body,
    ).toEqual(['EUR']);
  });

  it('updates the contact of an existing customer', async (ctx) => {
    needsStandin(ctx, "the fixtures' customer of workspace 56 on the clock frozen at 2026-11-15");
    const res = await save(usContact, 56);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      contact_detail_id: 56,
      customer_id: 56,
      company_name: 'Acme Corp',
      country_subdivision_id: 3961,
      zip_code: '10118',
      updated_at: '2026-11-15T12:00:00Z',
      created_at: '2026-10-01T00:00:00Z',
    });
    const customer = await t.call('get_workspace_customer', { params: { workspace_id: 56 }, headers: creds.admin });
    expect(customer.body.contact_detail.company_name).toBe('Acme Corp');
  });

  it('accepts the subdivision as a subDivision object', async (ctx) => {
    needsStandin(ctx, "the fixtures' customer of workspace 56");
    const { country_subdivision_id: _, ...rest } = usContact;
    const res = await save({ ...rest, subDivision: { country_subdivision_id: 3961, country_id: 235 } }, 56);
    expect(res.status).toBe(200);
    expect(res.body.country_subdivision_id).toBe(3961);
  });

  it('answers 400 with the documented message for every rule, and saves nothing', async (ctx) => {
    needsStandin(ctx, "the fixtures' customer of workspace 56, read back unchanged");
    const cases: [Record<string, unknown>, string][] = [
      [{ ...usContact, company_name: '' }, 'the company_name field is required'],
      [{ ...usContact, company_name: undefined }, 'the company_name field is required'],
      [{ ...usContact, company_address: '  ' }, 'the company_address field is required'],
      [{ ...usContact, contact_email: '' }, 'Missing e-mail'],
      [{ ...usContact, contact_email: undefined }, 'Missing e-mail'],
      [{ ...usContact, contact_email: 'not-an-address' }, 'Invalid e-mail: not-an-address'],
      [{ ...usContact, country_id: 9999 }, 'country_id invalid'],
      [{ ...usContact, country_id: undefined }, 'country_id invalid'],
      [{ ...usContact, country_subdivision_id: 424242 }, 'invalid country_subdivision_id'],
      [{ ...usContact, country_subdivision_id: 1001 }, 'invalid country/subdivision combination'],
      [
        { ...usContact, country_subdivision_id: undefined },
        'the country_subdivision_id field is required for US customers',
      ],
      [{ ...usContact, zip_code: undefined }, 'the zip_code field is required for US customers'],
      [{ ...usContact, zip_code: 'ABCDE' }, 'invalid zip_code'],
      [{ ...usContact, zip_code: '94105' }, 'invalid zip_code'],
    ];
    for (const [body, message] of cases) {
      const res = await save(JSON.parse(JSON.stringify(body)), 56);
      expect(res.status, message).toBe(400);
      expect(res.body).toBe(message);
    }
    const bad = await t.call('post_workspace_customer', {
      params: { workspace_id: 56 },
      headers: { ...creds.admin, 'Content-Type': 'application/json' },
      rawBody: 'company_name=Acme',
    });
    expectError(bad, 400, 'JSON is not valid');
    const customer = await t.call('get_workspace_customer', { params: { workspace_id: 56 }, headers: creds.admin });
    expect(customer.body.contact_detail.company_name).toBe('Toggl Test Org LLC');
  });

  it('answers 400 naming the field for a value of the wrong type', async () => {
    const res = await save({ ...usContact, company_city: 42 });
    expectError(res, 400, 'JSON is not valid: company_city must be string');
  });

  it('answers 403 Admin permissions required. to a plain member', async () => {
    const res = await save(usContact, creds.workspaceId, creds.member);
    expectError(res, 403, 'Admin permissions required.');
  });
});

describe('POST /workspaces/{workspace_id}/subscription/inc_accept', () => {
  it('records the acceptance for a Toggl Inc customer: 204', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspace 56, a Toggl Inc customer");
    const res = await t.call('post_workspace_subscription_inc_accept', {
      params: { workspace_id: 56 },
      headers: creds.admin,
    });
    expect(res.status).toBe(204);
    expect(res.raw.length).toBe(0);
  });

  it('answers 403 No active relationship with Toggl Inc / Company not managed by Toggl Inc', async (ctx) => {
    needsStandin(ctx, "the fixtures' workspaces 57 (no customer) and 58 (billed by Toggl OÜ)");
    await expectRefusals(t, 'post_workspace_subscription_inc_accept', [
      [{ workspace_id: 57 }, creds.other, 403, 'No active relationship with Toggl Inc'],
      [{ workspace_id: 58 }, creds.other, 403, 'Company not managed by Toggl Inc'],
    ]);
  });

  it('answers 403 Admin permissions required. to a plain member', async () => {
    await expectRefusals(t, 'post_workspace_subscription_inc_accept', [
      [{ workspace_id: creds.workspaceId }, creds.member, 403, 'Admin permissions required.'],
    ]);
  });
});
