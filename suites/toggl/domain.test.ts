/** Toggl's domain rules, tested directly: money, the subscription state machine, contact rules, auth and errors. */
import { describe, expect, it } from 'vitest';
import { findUser } from '../../server/apis/toggl/auth.ts';
import { checkContact } from '../../server/apis/toggl/contact.ts';
import { togglErrors } from '../../server/apis/toggl/errors.ts';
import { addMonths, cancel, fallbackFor, formatInstant, isImmediate, reportedState, settle, trialEnd } from '../../server/apis/toggl/lifecycle.ts';
import { describeCalculation, formatMoney, priceSeats, prorate, taxPercentage, withTax } from '../../server/apis/toggl/pricing.ts';
import type { Organization, Subscription } from '../../server/apis/toggl/state.ts';
import { togglFixtures } from '../../fixtures/toggl/index.ts';
import { buildPdf } from '../../server/apis/toggl/documents.ts';
import { pdfText } from './pdf-text.ts';

const fixtures = togglFixtures();

function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    subscription_id: 1, organization_id: 1, workspace_id: 1, unified: false, status: 'active', pricing_plan_id: 56, last_pricing_plan_id: null,
    seats: 2, pending_seats: null, currency: 'USD', created_at: '2026-01-31T00:00:00Z', trial_start: null, trial_end: null,
    current_period_start: '2026-01-31T00:00:00Z', current_period_end: '2026-02-28T00:00:00Z', canceled_at: null, cancel_effective_at: null, ended_at: null, periods: [],
    ...over,
  };
}

describe('pricing', () => {
  it('tax: VAT for EU residents without a tax number only', () => {
    const de = fixtures.countries['82'];
    expect(taxPercentage(de, '')).toBe(19);
    expect(taxPercentage(de, 'DE123')).toBe(0);
    expect(taxPercentage(fixtures.countries['235'], '')).toBe(0);
    expect(taxPercentage(undefined, undefined)).toBe(0);
  });

  it('totals: seats × seat price × months, tax rounded half up to the cent', () => {
    expect(priceSeats(3, 900, 12, 0)).toEqual({ subtotal: 32400, tax_percentage: 0, tax_amount: 0, total: 32400 });
    expect(priceSeats(7, 1800, 1, 19)).toEqual({ subtotal: 12600, tax_percentage: 19, tax_amount: 2394, total: 14994 });
    expect(withTax(50, 21)).toEqual({ subtotal: 50, tax_percentage: 21, tax_amount: 11, total: 61 });
  });

  it('pro rata: the share of the period still ahead', () => {
    const start = new Date('2026-11-01T00:00:00Z');
    const end = new Date('2026-12-01T00:00:00Z');
    expect(prorate(3000, start, end, new Date('2026-11-16T00:00:00Z'))).toBe(1500);
    expect(prorate(3000, start, end, start)).toBe(3000);
    expect(prorate(3000, start, end, new Date('2027-01-01T00:00:00Z'))).toBe(0);
    expect(prorate(3000, start, end, new Date('2026-10-01T00:00:00Z'))).toBe(3000);
    expect(prorate(3000, end, start, start)).toBe(0);
  });

  it('formats money and spells the calculation out', () => {
    expect(formatMoney(1234, 'USD')).toBe('12.34 USD');
    expect(formatMoney(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMoney(-250, 'GBP')).toBe('-2.50 GBP');
    expect(describeCalculation(1, 1000, 1, 'USD', priceSeats(1, 1000, 1, 0))).toBe('1 seat × 10.00 USD × 1 month = 10.00 USD + 0% tax 0.00 USD = 10.00 USD');
  });
});

describe('lifecycle', () => {
  it('dates: RFC 3339 without milliseconds, calendar months, 30-day trials', () => {
    expect(formatInstant(new Date('2026-11-15T12:00:00.123Z'))).toBe('2026-11-15T12:00:00Z');
    expect(addMonths('2026-11-01T00:00:00Z', 12)).toBe('2027-11-01T00:00:00Z');
    expect(trialEnd('2026-11-15T12:00:00Z')).toBe('2026-12-15T12:00:00Z');
  });

  it('5 users or fewer fall back to Free, more are suspended', () => {
    expect(fallbackFor(1)).toBe('free');
    expect(fallbackFor(5)).toBe('free');
    expect(fallbackFor(6)).toBe('suspended');
  });

  it('immediateCancel: only "true" cancels at once', () => {
    expect(isImmediate('true')).toBe(true);
    expect(isImmediate('TRUE')).toBe(true);
    expect(isImmediate('false')).toBe(false);
    expect(isImmediate('immediate_cancel_example')).toBe(false);
    expect(isImmediate(undefined)).toBe(false);
  });

  it('renews period by period and applies pending seats at the renewal', () => {
    const sub = subscription({ pending_seats: 4, current_period_start: '2026-01-01T00:00:00Z', current_period_end: '2026-02-01T00:00:00Z' });
    const events = settle(sub, new Date('2026-03-15T00:00:00Z'), 1);
    expect(events).toEqual([
      { kind: 'renewed', at: '2026-02-01T00:00:00Z', period_start: '2026-02-01T00:00:00Z', period_end: '2026-03-01T00:00:00Z', seats: 4 },
      { kind: 'renewed', at: '2026-03-01T00:00:00Z', period_start: '2026-03-01T00:00:00Z', period_end: '2026-04-01T00:00:00Z', seats: 4 },
    ]);
    expect(sub).toMatchObject({ status: 'active', seats: 4, pending_seats: null });
    expect(settle(sub, new Date('2026-03-15T00:00:00Z'), 1)).toEqual([]);
  });

  it('ends an expired trial and a cancellation at its effective date', () => {
    const trial = subscription({ status: 'trialing', trial_start: '2026-01-01T00:00:00Z', trial_end: '2026-01-31T00:00:00Z' });
    expect(settle(trial, new Date('2026-01-30T23:59:59Z'), 1)).toEqual([]);
    expect(settle(trial, new Date('2026-01-31T00:00:00Z'), 1)).toEqual([{ kind: 'ended', at: '2026-01-31T00:00:00Z', reason: 'trial_expired' }]);
    const paid = subscription();
    cancel(paid, new Date('2026-02-10T00:00:00Z'), false);
    expect(paid).toMatchObject({ status: 'canceled', cancel_effective_at: '2026-02-28T00:00:00Z', canceled_at: '2026-02-10T00:00:00Z' });
    expect(settle(paid, new Date('2026-03-10T00:00:00Z'), 1)).toEqual([{ kind: 'ended', at: '2026-02-28T00:00:00Z', reason: 'canceled' }]);
  });

  it('cancels now when asked, and a trial always at once', () => {
    const paid = subscription();
    cancel(paid, new Date('2026-02-10T00:00:00Z'), true);
    expect(paid).toMatchObject({ status: 'ended', ended_at: '2026-02-10T00:00:00Z', current_period_end: '2026-02-10T00:00:00Z' });
    const trial = subscription({ status: 'trialing', trial_end: '2026-03-01T00:00:00Z' });
    cancel(trial, new Date('2026-02-10T00:00:00Z'), false);
    expect(trial).toMatchObject({ status: 'ended', trial_end: '2026-02-10T00:00:00Z' });
  });

  it('reports the organization fallback when nothing runs', () => {
    const org = { fallback: 'suspended' } as Organization;
    expect(reportedState(org, undefined)).toBe('suspended');
    expect(reportedState(org, subscription({ status: 'ended' }))).toBe('suspended');
    expect(reportedState(org, subscription({ status: 'canceled' }))).toBe('canceled');
  });
});

describe('contact rules', () => {
  const ok = { company_name: 'A', company_address: 'B', contact_email: 'a@b.test', country_id: 235, country_subdivision_id: 3944, zip_code: '94105-1234' };
  const check = (input: object) => checkContact(input, fixtures.countries, fixtures.subdivisions);

  it('accepts a complete US contact and trims what it keeps', () => {
    expect(check({ ...ok, company_name: '  A  ' })).toEqual({ contact: expect.objectContaining({ company_name: 'A', country_subdivision_id: 3944, zip_code: '94105-1234', vat_number: '' }) });
  });

  it('checks in the order Toggl does and stops at the first problem', () => {
    expect(check({})).toEqual({ error: 'the company_name field is required' });
    expect(check({ ...ok, contact_email: 'x y@z' })).toEqual({ error: 'Invalid e-mail: x y@z' });
    expect(check({ ...ok, zip_code: '10118' })).toEqual({ error: 'invalid zip_code' });
    expect(check({ ...ok, country_id: 82, country_subdivision_id: undefined, zip_code: '' })).toEqual({ contact: expect.objectContaining({ country_id: 82 }) });
  });
});

describe('auth', () => {
  it('finds users by password or API token', () => {
    expect(findUser(fixtures, 'ADMIN@toggl.test', 'yoyo')?.id).toBe(5601);
    expect(findUser(fixtures, 'toggl-admin-token', 'api_token')?.id).toBe(5601);
    expect(findUser(fixtures, 'admin@toggl.test', 'api_token')).toBeUndefined();
  });
});

describe('errors', () => {
  it('turns request problems into one Toggl message', () => {
    const first = (problems: Parameters<typeof togglErrors.invalidRequest>[0]) => togglErrors.invalidRequest(problems).body;
    expect(first([{ in: 'path', pointer: '/workspace_id', keyword: 'type', message: 'must be integer' }])).toBe("We're expecting an integer as part of the url for workspace_id");
    expect(first([
      { in: 'body', pointer: '/user_count', keyword: 'minimum', message: 'must be >= 1' },
      { in: 'body', pointer: '', keyword: 'json', message: 'is not valid JSON' },
    ])).toBe('JSON is not valid');
    expect(first([{ in: 'body', pointer: '/contact_details/contact_email', keyword: 'required', message: 'is required' }])).toBe('Missing e-mail');
    expect(togglErrors.payloadTooLarge(10).status).toBe(413);
    expect(togglErrors.notFound('GET', '/x').status).toBe(404);
  });
});

describe('documents', () => {
  it('builds a real PDF whose text can be read back', async () => {
    const pdf = await buildPdf({ title: 'Invoice X', facts: [['Billed to', 'Café €']], lines: [['Seats × 2', '2', '1.00 EUR', '2.00 EUR']], totals: [['Total', '2.00 EUR']] }, new Date('2026-01-01T00:00:00Z'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfText(pdf)).toEqual(['Invoice X', 'Billed to:', 'Café €', 'Description', 'Quantity', 'Unit price', 'Amount', 'Seats x 2', '2', '1.00 EUR', '2.00 EUR', 'Total:', '2.00 EUR']);
  });
});
