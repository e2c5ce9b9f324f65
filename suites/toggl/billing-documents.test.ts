/**
 * Money paper: payment records, invoice / receipt / purchase-order PDFs (real documents whose text is read back),
 * purchase orders and plan-change feedback.
 */
import { describe, expect, it } from 'vitest';
import { expectStatus, needsStandin } from '../support/target.ts';
import { pdfText } from './pdf-text.ts';
import {
  advance,
  expectError,
  FREE_57,
  organizationPurchaseOrder,
  purchaseOrderPdf,
  STARTER_56,
  togglSuite,
  workspacePurchaseOrder,
  expectRefusals,
  expectPurchaseOrder,
} from './target.ts';

const { t, creds } = await togglSuite({ fresh: 'each' });

/** GET /workspaces/{workspace_id}/invoices/{invoice_id}.pdf */
const workspaceInvoice = (workspace_id: number, invoice_id: number, headers: Record<string, string>) =>
  t.call('get_workspace_invoices', { params: { workspace_id, invoice_id }, headers });

/** GET /organizations/{organization_id}/invoices/{invoice_uid}.pdf */
const organizationInvoice = (organization_id: number, invoice_uid: string, headers: Record<string, string>) =>
  t.call('get_organization_invoice', { params: { organization_id, invoice_uid }, headers });

/** GET /workspaces/{workspace_id}/payment_receipts/{payment_id}.pdf */
const paymentReceipt = (workspace_id: number, payment_id: number, headers: Record<string, string>) =>
  t.call('get_workspace_payment_receipts', { params: { workspace_id, payment_id }, headers });

/** POST /workspaces/{workspace_id}/pricing_plans/{pricing_plan_id}/feedback */
const workspaceFeedback = (
  workspace_id: number,
  pricing_plan_id: number,
  headers: Record<string, string>,
  body?: unknown,
) => t.call('post_workspace_plans_pricing_feedback', { params: { workspace_id, pricing_plan_id }, headers, body });

/** POST /organizations/{organization_id}/pricing_plans/{pricing_plan_id}/feedback */
const organizationFeedback = (
  organization_id: number,
  pricing_plan_id: number,
  headers: Record<string, string>,
  body?: unknown,
) =>
  t.call('post_organization_plans_pricing_feedback', { params: { organization_id, pricing_plan_id }, headers, body });

function expectPdf(res: { status: number; headers: Headers; raw: Buffer }) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
  expect(res.raw.subarray(0, 5).toString('latin1')).toBe('%PDF-');
}

describe('GET /workspaces/{workspace_id}/payment_records', () => {
  it('lists invoices and their payments, newest first', async (ctx) => {
    needsStandin(ctx, "the fixtures' invoices and payments of workspace 56");
    const res = await t.call('get_workspace_payment_records', { params: { workspace_id: 56 }, headers: creds.admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: 56,
        uid: 'payment-56',
        initial_id: 56,
        record_type: 'payment',
        description: 'Card payment for invoice invoice_uid_example',
        total_amount: 2000,
        currency_id: 1,
        currency: 'USD',
        creation_date: '2026-11-01T00:00:00Z',
      },
      {
        id: 56,
        uid: 'invoice_uid_example',
        record_type: 'invoice',
        description: 'Starter Monthly, 2026-11-01 to 2026-12-01',
        total_amount: 2000,
        currency_id: 1,
        currency: 'USD',
        creation_date: '2026-11-01T00:00:00Z',
      },
      expect.objectContaining({ id: 55, record_type: 'payment' }),
      expect.objectContaining({ id: 55, record_type: 'invoice', uid: 'TGL-2026-000055' }),
    ]);
  });

  it('answers 403 User does not have access to this resource. to a plain member', async () => {
    await expectRefusals(t, 'get_workspace_payment_records', [
      [{ workspace_id: creds.workspaceId }, creds.member, 403, 'User does not have access to this resource.'],
    ]);
  });
});

describe('invoice PDFs', () => {
  it('GET /workspaces/56/invoices/56.pdf is a PDF whose text holds the invoice amounts', async (ctx) => {
    needsStandin(ctx, "the fixtures' invoice 56");
    const res = await workspaceInvoice(56, 56, creds.admin);
    expectPdf(res);
    const text = await pdfText(res.raw);
    expect(text).toEqual(
      expect.arrayContaining([
        'Invoice invoice_uid_example',
        'Toggl Test Org (56)',
        'Starter Monthly, 2026-11-01 to 2026-12-01',
        '2',
        '10.00 USD',
        '20.00 USD',
        'Total:',
        'Tax 0%:',
        '0.00 USD',
      ]),
    );
  });

  it('GET /organizations/56/invoices/{invoice_uid}.pdf finds an invoice by uid or by id', async (ctx) => {
    needsStandin(ctx, "the fixtures' invoices 55 and 56");
    const byUid = await organizationInvoice(56, 'invoice_uid_example', creds.admin);
    expectPdf(byUid);
    const byId = await organizationInvoice(56, '55', creds.admin);
    expectPdf(byId);
    expect(await pdfText(byId.raw)).toContain('Invoice TGL-2026-000055');
  });

  it('an EU invoice shows VAT (workspace 58: 7 × 18.00 EUR + 19%)', async (ctx) => {
    needsStandin(ctx, "the fixtures' invoice 58 of a German customer");
    const res = await workspaceInvoice(58, 58, creds.other);
    const text = await pdfText(res.raw);
    expect(text).toEqual(
      expect.arrayContaining([
        '126.00 EUR',
        'Tax 19%:',
        '23.94 EUR',
        '149.94 EUR',
        'Toggl OÜ, Ahtri 10, 10151 Tallinn, Estonia',
      ]),
    );
  });

  it('answers the documented 403s and 404s', async (ctx) => {
    needsStandin(ctx, "the fixtures' invoices 56 and 58 in two organizations");
    await expectRefusals(t, 'get_workspace_invoices', [
      [{ workspace_id: 56, invoice_id: 58 }, creds.admin, 403, 'Not authorized to access invoice 58'],
      [{ workspace_id: 56, invoice_id: 999 }, creds.admin, 404, 'No invoice found'],
      [{ workspace_id: 56, invoice_id: 56 }, creds.member, 403, 'Admin permissions required'],
    ]);
    await expectRefusals(t, 'get_organization_invoice', [
      [{ organization_id: 999, invoice_uid: '56' }, creds.admin, 404, 'Invalid organization id'],
      [{ organization_id: 56, invoice_uid: '56' }, creds.member, 403, 'Not authorized to access invoice'],
      [{ organization_id: 56, invoice_uid: '58' }, creds.admin, 404, 'No invoice found'],
    ]);
  });
});

describe('GET /workspaces/{workspace_id}/payment_receipts/{payment_id}.pdf', () => {
  it('is a PDF receipt with the amount paid', async (ctx) => {
    needsStandin(ctx, "the fixtures' payment 56");
    const res = await paymentReceipt(56, 56, creds.admin);
    expectPdf(res);
    expect(await pdfText(res.raw)).toEqual(
      expect.arrayContaining(['Payment receipt 56', 'invoice_uid_example', 'Total paid:', '20.00 USD']),
    );
  });

  it('answers 404 Payment {id} not found for workspace {id}', async (ctx) => {
    needsStandin(ctx, "the fixtures' payment 58 of another workspace");
    for (const payment_id of [999, 58]) {
      await expectRefusals(t, 'get_workspace_payment_receipts', [
        [{ workspace_id: 56, payment_id }, creds.admin, 404, `Payment ${payment_id} not found for workspace 56`],
      ]);
    }
  });
});

describe('purchase orders', () => {
  it('a purchase order for more seats raises the seats at once and costs the extra seats pro rata', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    const res = await workspacePurchaseOrder(t, 56, creds.admin, { user_count: 5 });
    expectPurchaseOrder(res, '2026-11-15T12:00:00Z', '2026-12-15T12:00:00Z');
    const sub = await t.call('get_organization_subscription', {
      params: { organization_id: 56 },
      headers: creds.admin,
    });
    expect(sub.body.seats).toBe(5);
    const pdf = await purchaseOrderPdf(t, 56, res.body.id, creds.admin);
    expectPdf(pdf);
    // 3 extra seats × 10.00 USD for 15.5 of 30 days = 15.50 USD.
    expect(await pdfText(pdf.raw)).toEqual(
      expect.arrayContaining([
        `Purchase order ${res.body.id}`,
        'Starter Monthly, 3 additional seats from 2026-11-15 to 2026-12-01, pro rata',
        '15.50 USD',
        'Unpaid',
        '5',
      ]),
    );
  });

  it('fewer seats are ordered for the next period and take effect at the renewal', async (ctx) => {
    needsStandin(
      ctx,
      "the fixtures' organization 58 (Premium, 7 seats, EUR) and the sandbox clock, to reach the renewal",
    );
    const res = await organizationPurchaseOrder(t, 58, creds.other, { user_count: 4 });
    expect(res.status).toBe(200);
    expect(
      (await t.call('get_organization_subscription', { params: { organization_id: 58 }, headers: creds.other })).body
        .seats,
    ).toBe(7);
    const pdf = await purchaseOrderPdf(t, 58, res.body.id, creds.other);
    expect(await pdfText(pdf.raw)).toEqual(
      expect.arrayContaining([
        'Premium Monthly, 4 seats from 2026-12-10 to 2027-01-10',
        '72.00 EUR',
        'Tax 19%:',
        '13.68 EUR',
        '85.68 EUR',
      ]),
    );
    await advance(t, 'P25D');
    const after = await t.call('get_organization_subscription', {
      params: { organization_id: 58 },
      headers: creds.other,
    });
    expect(after.body).toMatchObject({
      seats: 4,
      current_period_starts_at: '2026-12-10T00:00:00Z',
      last_invoice: { amount: 7200, total_amount: 8568 },
    });
  });

  it("the seed's purchase order 56 is a PDF", async (ctx) => {
    needsStandin(ctx, "the seed's purchase order 56");
    const res = await purchaseOrderPdf(t, 56, 56, creds.admin);
    expectPdf(res);
    expect(await pdfText(res.raw)).toEqual(
      expect.arrayContaining(['Purchase order 56', '20.00 USD', 'Paid 2026-11-01']),
    );
  });

  it('answers 400 Unpaid purchase order found while one is unpaid', async (ctx) => {
    needsStandin(ctx, STARTER_56);
    await expectStatus(200, workspacePurchaseOrder(t, 56, creds.admin, { user_count: 3 }));
    const second = await organizationPurchaseOrder(t, 56, creds.admin, { user_count: 4 });
    expectError(second, 400, 'Unpaid purchase order found');
  });

  it('answers 400 {organization|workspace} has no subscription / has no contact data', async (ctx) => {
    needsStandin(ctx, FREE_57);
    const wsNone = await workspacePurchaseOrder(t, 57, creds.other, { user_count: 3 });
    expect(wsNone.body).toBe('workspace has no subscription');
    const orgNone = await organizationPurchaseOrder(t, 57, creds.other, { user_count: 3 });
    expectError(orgNone, 400, 'organization has no subscription');
    await t.call('post_organization_subscription_0', { params: { organization_id: 57 }, headers: creds.other });
    const wsContact = await workspacePurchaseOrder(t, 57, creds.other, { user_count: 3 });
    expectError(wsContact, 400, 'workspace has no contact data');
    const orgContact = await organizationPurchaseOrder(t, 57, creds.other, { user_count: 3 });
    expect(orgContact.body).toBe('organization has no contact data');
  });

  it('answers 400 user_count must be greater than 0', async () => {
    for (const body of [{ user_count: 0 }, { user_count: -2 }, {}]) {
      const res = await workspacePurchaseOrder(t, creds.workspaceId, creds.admin, body);
      expectError(res, 400, 'user_count must be greater than 0');
    }
  });

  it('answers 400 naming user_count when it is not a whole number or beyond what Standin accepts', async () => {
    const half = await workspacePurchaseOrder(t, creds.workspaceId, creds.admin, { user_count: 1.5 });
    expectError(half, 400, 'JSON is not valid: user_count must be integer');
    const huge = await organizationPurchaseOrder(t, creds.orgId, creds.admin, { user_count: 1e300 });
    expectError(huge, 400, 'JSON is not valid: user_count must be <= 1000000');
  });

  it('answers 403 User does not have access to this resource to a plain member', async () => {
    const ws = await workspacePurchaseOrder(t, creds.workspaceId, creds.member, { user_count: 3 });
    expectError(ws, 403, 'User does not have access to this resource');
    const org = await organizationPurchaseOrder(t, creds.orgId, creds.member, { user_count: 3 });
    expect(org.status).toBe(403);
  });

  it('answers 404 Purchase order not found', async () => {
    const res = await purchaseOrderPdf(t, creds.workspaceId, 999999, creds.admin);
    expectError(res, 404, 'Purchase order not found');
  });
});

describe('plan-change feedback', () => {
  it('workspace and organization feedback on the old pricing plan is kept', async (ctx) => {
    needsStandin(ctx, "the admin API's feedback view (the API never shows feedback back)");
    const ws = await workspaceFeedback(56, 56, creds.member, { comment: 'Missing reports', master_signup: false });
    expect(ws.status).toBe(200);
    expect(typeof ws.body).toBe('string');
    const org = await organizationFeedback(56, 56, creds.admin);
    expect(org.status).toBe(200);
    expect(await t.admin('GET', '/apis/toggl/feedback')).toEqual([
      expect.objectContaining({
        organization_id: 56,
        workspace_id: 56,
        user_id: 5602,
        pricing_plan_id: 56,
        comment: 'Missing reports',
      }),
      expect.objectContaining({
        organization_id: 56,
        workspace_id: null,
        user_id: 5601,
        pricing_plan_id: 56,
        comment: '',
      }),
    ]);
  });

  it('answers 404 Pricing plan for pricing_plan_id not found', async () => {
    const ws = await workspaceFeedback(creds.workspaceId, 999999, creds.admin, {});
    expectError(ws, 404, 'Pricing plan for pricing_plan_id not found');
    const org = await organizationFeedback(creds.orgId, 999999, creds.admin, {});
    expect(org.status).toBe(404);
  });

  it('answers 403 to outsiders', async () => {
    const ws = await workspaceFeedback(creds.workspaceId, 56, creds.other, {});
    expect(ws.status).toBe(403);
    const org = await organizationFeedback(creds.orgId, 56, creds.other, {});
    expectError(org, 403, 'User does not have access to this resource.');
  });
});
