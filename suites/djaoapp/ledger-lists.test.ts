/**
 * DjaoApp's ledger lists and balances: every transaction (the broker's), a subscriber's history, a provider's
 * receivables and transfers, with pagination, o/ot ordering, q search and start_at/ends_at; the balance due and its
 * write-off; offline payments imported by the provider. Built on the fixture charge ch_XAb124EF (transactions 1-9)
 * and on order lines written through the admin API. Mock only: the scenarios need the fixtures and the clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { needsStandin, onStandin } from '../support/target.ts';
import { billingWorldOfFile, describeAt, editState, orderLine, resetAt } from './billing-world.ts';
import { onePage } from './support/lists.ts';

const STANDIN_ONLY = 'ledger records written through the admin API at a frozen clock';

const NOW = '2018-07-01T00:00:00Z';
const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };
const xia = { organization: 'xia' };
const cowork = { organization: 'cowork' };
const w = await billingWorldOfFile();

const descriptions = (body: any) => body.results.map((tx: any) => tx.description);

/** The broker's ledger (GET /api/billing/transactions/), as donny, a manager of cowork. */
const transactions = (query?: Record<string, string | number | string[]>) =>
  w.t.call('transactions_list', { query, headers: w.donny });

/** The fixtures, and two months (May and June 2018, 700 and 500 cents) xia was invoiced for and did not pay. */
async function resetWithUnpaidMonths(): Promise<void> {
  await resetAt(w.t, NOW);
  await editState(w.t, (djaoapp) => {
    orderLine(djaoapp, '2018-05-01T00:00:00Z', 'xia', 1, 700);
    orderLine(djaoapp, '2018-06-01T00:00:00Z', 'xia', 1, 500);
  });
}

describeAt(w, 'GET /api/billing/transactions/: the whole ledger, for the broker', NOW, STANDIN_ONLY, () => {
  it('lists the nine transactions of the fixture charge, newest first, with the next renewal', async () => {
    const res = await transactions();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...onePage(9),
      start_at: null,
      ends_at: NOW,
      next_billing_at: '2019-01-01T00:00:00Z',
      balance_amount: 0,
      balance: 0,
      balance_unit: 'usd',
      unit: 'usd',
    });
    expect(res.body.results[8]).toEqual({
      created_at: '2016-01-01T00:00:00Z',
      description: 'Subscription to open-space until 2016/03/01 (2 months)',
      amount: '$300.00',
      is_debit: false,
      orig_account: 'Receivable',
      orig_organization: 'cowork',
      orig_amount: 30000,
      orig_unit: 'usd',
      dest_account: 'Payable',
      dest_organization: 'xia',
      dest_amount: 30000,
      dest_unit: 'usd',
    });
  });

  it('ot=desc reverses the o fields only: alone it leaves the default order (newest first)', async () => {
    const byDefault = await transactions();
    const descAlone = await transactions({ ot: 'desc' });
    expect(descAlone.body.results).toEqual(byDefault.body.results);
    const newestFirst = await transactions({ o: ['date'], ot: 'desc' });
    expect(newestFirst.body.results[0].created_at).toBe('2016-01-01T00:00:01Z');
    const doubleReversed = await transactions({ o: ['-date'], ot: 'desc' });
    expect(doubleReversed.body.results[0].created_at).toBe('2016-01-01T00:00:00Z');
  });

  it('o=date&ot=asc puts the oldest first; o=-amount the largest first', async () => {
    const asc = await transactions({ o: ['date'], ot: 'asc' });
    expect(asc.body.results[0].created_at).toBe('2016-01-01T00:00:00Z');
    expect(asc.body.results[8].created_at).toBe('2016-01-01T00:00:01Z');
    const byAmount = await transactions({ o: ['-amount'] });
    expect(byAmount.body.results.map((tx: any) => tx.dest_amount).slice(0, 4)).toEqual([112120, 82120, 82120, 82120]);
  });

  it('q searches descriptions, organizations and accounts; start_at and ends_at bound created_at', async () => {
    expect((await transactions({ q: 'stripe' })).body.count).toBe(3);
    expect((await transactions({ q: 'Backlog,Refunded' })).body.count).toBe(2);
    expect((await transactions({ q: '"until 2016/08/01"' })).body.count).toBe(3);
    const range = await transactions({ start_at: '2016-01-01T00:00:01Z', ends_at: '2017-01-01T00:00:00Z' });
    expect(range.body).toMatchObject({ count: 7, start_at: '2016-01-01T00:00:01Z', ends_at: '2017-01-01T00:00:00Z' });
    expect((await transactions({ ends_at: '2016-01-01T00:00:00Z' })).body.count).toBe(0);
  });

  it('start_at and ends_at are ISO dates as djaodjin reads them (no zone: UTC); anything looser is now, never a 5xx', async () => {
    const naive = await transactions({ start_at: '2016-01-01T00:00:01', ends_at: '2016-01-01 00:00:02' });
    expect(naive.body).toMatchObject({ count: 7, start_at: '2016-01-01T00:00:01Z', ends_at: '2016-01-01T00:00:02Z' });
    // "1" is 2001 to JavaScript, +010000-01-01 an instant no answer can carry: both count as now, as Django's would.
    for (const start_at of ['1', 'Jan 1 2016', '+010000-01-01', '10000-01-01', '-271821-04-20']) {
      const res = await transactions({ start_at });
      expect(res.status, start_at).toBe(200);
      expect(res.body, start_at).toMatchObject({ count: 0, start_at: NOW, ends_at: NOW });
    }
    const ancient = await transactions({ start_at: '0001-01-01' });
    expect(ancient.body).toMatchObject({ count: 9, start_at: '0001-01-01T00:00:00Z' });
  });

  it('selector=Funds: the balance of the Funds accounts over the transactions listed', async () => {
    // stripe received the 112120 charge and distributed it to cowork: Funds hold 112120 in all.
    expect((await transactions({ selector: 'Funds' })).body.balance_amount).toBe(112120);
    expect((await transactions({ selector: 'payable' })).body.balance_amount).toBe(0);
  });

  it('pages: page_size=4 gives three pages with absolute links; a page past the end is 404', async () => {
    const first = await transactions({ page_size: 4 });
    expect(first.body.results).toHaveLength(4);
    expect(first.body.next).toMatch(/^http:\/\/.+\/api\/billing\/transactions\/\?page_size=4&page=2$/);
    const last = await transactions({ page_size: 4, page: 3 });
    expect(last.body.results).toHaveLength(1);
    expect(last.body.next).toBeNull();
    const past = await transactions({ page_size: 4, page: 4 });
    expect(past.status).toBe(404);
    expect(past.body).toEqual({ detail: 'Invalid page.' });
  });

  it("is for the broker's managers only", async () => {
    expect((await w.t.call('transactions_list', { headers: w.xia })).body).toEqual(FORBIDDEN);
  });
});

describeAt(w, "GET /api/billing/{organization}/history/: the subscriber's side", NOW, STANDIN_ONLY, () => {
  it('xia sees her two orders and her payment, not her own moves between accounts', async () => {
    const res = await w.t.call('billing_history_list', { params: xia, headers: w.xia });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 3, balance_amount: 0, balance: 0, balance_unit: 'usd', unit: 'usd' });
    expect(res.body.results.map((tx: any) => [tx.description, tx.amount, tx.is_debit])).toEqual([
      ['Charge for subscription to cowork open-space', '($1121.20)', true],
      ['Subscription to open-space until 2016/08/01 (5 months)', '$821.20', false],
      ['Subscription to open-space until 2016/03/01 (2 months)', '$300.00', false],
    ]);
  });

  it("cowork's managers see the history of their subscriber; others get 403; an unknown profile is 404", async () => {
    expect((await w.t.call('billing_history_list', { params: xia, headers: w.alice })).body.count).toBe(3);
    expect((await w.t.call('billing_history_list', { params: xia, headers: w.joe })).body).toEqual(FORBIDDEN);
    expect((await w.t.call('billing_history_list', { params: cowork, headers: w.xia })).status).toBe(403);
    expect(
      (await w.t.call('billing_history_list', { params: { organization: 'nobody-here' }, headers: w.donny })).status,
    ).toBe(404);
  });

  it('searches and bounds by date like every list', async () => {
    expect(
      descriptions(
        (await w.t.call('billing_history_list', { params: xia, query: { q: '2 months' }, headers: w.xia })).body,
      ),
    ).toEqual(['Subscription to open-space until 2016/03/01 (2 months)']);
    expect(
      (
        await w.t.call('billing_history_list', {
          params: xia,
          query: { start_at: '2016-01-01T00:00:01Z' },
          headers: w.xia,
        })
      ).body.count,
    ).toBe(1);
  });
});

describeAt(w, "a provider's receivables and transfers", NOW, STANDIN_ONLY, () => {
  it('receivables are its sales, paid or not, with their total', async () => {
    await editState(w.t, (djaoapp) => {
      orderLine(djaoapp, '2018-06-01T00:00:00Z', 'xia', 1, 1200);
    });
    const res = await w.t.call('billing_receivables_list', { params: cowork, headers: w.donny });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      count: 3,
      total: '113320',
      balance_amount: 113320,
      balance_unit: 'usd',
      unit: 'usd',
    });
    expect(res.body.results.map((tx: any) => [tx.amount, tx.is_debit, tx.dest_organization])).toEqual([
      ['$12.00', false, 'xia'],
      ['$821.20', false, 'xia'],
      ['$300.00', false, 'xia'],
    ]);
    const range = await w.t.call('billing_receivables_list', {
      params: cowork,
      query: { start_at: '2017-01-01T00:00:00Z' },
      headers: w.donny,
    });
    expect(range.body).toMatchObject({ count: 1, total: '1200' });
  });

  it('transfers are what went in and out of its funds', async () => {
    const res = await w.t.call('billing_transfers_list', { params: cowork, headers: w.alice });
    expect(res.body).toMatchObject({ count: 2, balance_amount: 112120, balance: 112120 });
    const distribution =
      "Charge <a href='/billing/cowork/receipt/ch_XAb124EF'>ch_XAb124EF</a> distribution for xia-open-space";
    expect(res.body.results.map((tx: any) => [tx.description, tx.amount, tx.is_debit])).toEqual([
      [distribution, '$821.20', false],
      [distribution, '$300.00', false],
    ]);
  });

  it("are for the provider's managers: its subscriber gets 403", async () => {
    expect((await w.t.call('billing_receivables_list', { params: cowork, headers: w.xia })).body).toEqual(FORBIDDEN);
    expect((await w.t.call('billing_transfers_list', { params: cowork, headers: w.xia })).body).toEqual(FORBIDDEN);
  });
});

describe('the balance due and its write-off', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(onStandin(resetWithUnpaidMonths));

  it('GET answers what is left to pay, as a string of cents', async () => {
    const res = await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ balance_amount: '1200', balance_unit: 'usd' });
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.donny })).body.balance_amount).toBe(
      '1200',
    );
    expect((await w.t.call('billing_balance_retrieve', { params: cowork, headers: w.donny })).body).toEqual({
      balance_amount: '0',
      balance_unit: 'usd',
    });
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.joe })).status).toBe(403);
    expect((await w.t.call('billing_history_list', { params: xia, headers: w.xia })).body.balance).toBe(1200);
  });

  it('DELETE writes each unpaid line off to cowork; the balance is 0; again, still 204', async () => {
    const res = await w.t.call('billing_balance_destroy', { params: xia, headers: w.donny });
    expect(res.status).toBe(204);
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia })).body).toEqual({
      balance_amount: '0',
      balance_unit: 'usd',
    });
    const history = await w.t.call('billing_history_list', { params: xia, headers: w.xia });
    const writeOffs = history.body.results.filter((tx: any) => tx.dest_account === 'Writeoff');
    expect(writeOffs.map((tx: any) => [tx.amount, tx.is_debit, tx.orig_account, tx.dest_organization])).toEqual([
      ['$5.00', false, 'Payable', 'cowork'],
      ['$7.00', false, 'Payable', 'cowork'],
    ]);
    expect((await w.t.call('billing_balance_destroy', { params: xia, headers: w.donny })).status).toBe(204);
    expect((await w.t.call('billing_history_list', { params: xia, headers: w.xia })).body.count).toBe(
      history.body.count,
    );
    // The sales stay sales: receivables still list both lines.
    expect((await w.t.call('billing_receivables_list', { params: cowork, headers: w.donny })).body.total).toBe(
      '113320',
    );
  });

  it('the subscriber cannot write off her own balance', async () => {
    const res = await w.t.call('billing_balance_destroy', { params: xia, headers: w.xia });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(FORBIDDEN);
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia })).body.balance_amount).toBe(
      '1200',
    );
  });
});

describe('POST /api/billing/{organization}/transfers/import/: an offline payment', () => {
  beforeEach((ctx) => needsStandin(ctx, STANDIN_ONLY));
  beforeEach(onStandin(resetWithUnpaidMonths));

  const cheque = {
    subscription: 'xia-open-space',
    created_at: '2018-06-15T00:00:00Z',
    amount: '10.00',
    descr: 'Paid by check',
  };

  it("records the payment at its date: into cowork's funds, settling xia's oldest unpaid lines first", async () => {
    const res = await w.t.call('billing_transfers_import', { params: cowork, headers: w.donny, body: cheque });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(cheque);
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia })).body.balance_amount).toBe(
      '200',
    );
    const transfers = await w.t.call('billing_transfers_list', { params: cowork, headers: w.donny });
    expect(transfers.body).toMatchObject({ count: 3, balance_amount: 113120 });
    expect(transfers.body.results[0]).toMatchObject({
      created_at: '2018-06-15T00:00:00.000Z',
      description: 'Paid by check',
      amount: '$10.00',
      orig_organization: 'xia',
      orig_account: 'Liability',
      dest_account: 'Funds',
    });
    const history = await w.t.call('billing_history_list', {
      params: xia,
      query: { start_at: '2018-06-15T00:00:00Z' },
      headers: w.xia,
    });
    expect(descriptions(history.body)).toEqual(['Paid by check']);
  });

  it('takes a number of dollars too, and writes a description when none is given', async () => {
    const res = await w.t.call('billing_transfers_import', {
      params: cowork,
      headers: w.donny,
      body: { subscription: 'xia-open-space', created_at: '2018-06-15T00:00:00Z', amount: 12 },
    });
    expect(res.body).toEqual({
      subscription: 'xia-open-space',
      created_at: '2018-06-15T00:00:00Z',
      amount: '12.00',
      descr: 'Offline payment for xia-open-space',
    });
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia })).body.balance_amount).toBe('0');
  });

  it('an unknown subscription or a bad amount is 400 naming it, and nothing is recorded', async () => {
    const before = (await transactions()).body;
    const unknown = await w.t.call('billing_transfers_import', {
      params: cowork,
      headers: w.donny,
      body: { ...cheque, subscription: 'demo562-open-plus' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ subscription: ["No subscription 'demo562-open-plus' to a plan of cowork."] });
    for (const amount of ['10.001', '0.00', 0, -5, 'ten']) {
      const bad = await w.t.call('billing_transfers_import', {
        params: cowork,
        headers: w.donny,
        body: { ...cheque, amount },
      });
      expect(bad.status, String(amount)).toBe(400);
      expect(Object.keys(bad.body)).toEqual(['amount']);
    }
    const missing = await w.t.call('billing_transfers_import', {
      params: cowork,
      headers: w.donny,
      body: { amount: '1.00' },
    });
    expect(missing.body).toEqual({
      subscription: ['This field is required.'],
      created_at: ['This field is required.'],
    });
    // A leap second passes the date-time format, but neither Django nor the ledger can date a payment at it.
    const leap = await w.t.call('billing_transfers_import', {
      params: cowork,
      headers: w.donny,
      body: { ...cheque, created_at: '2016-12-31T23:59:60Z' },
    });
    expect(leap.status).toBe(400);
    expect(leap.body).toEqual({
      created_at: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    });
    expect((await transactions()).body).toEqual(before);
  });

  it('created_at may carry any zone Django reads ("+02" too): the payment is recorded at that instant in UTC', async () => {
    const res = await w.t.call('billing_transfers_import', {
      params: cowork,
      headers: w.donny,
      body: { ...cheque, created_at: '2018-06-15T00:00:00+02' },
    });
    expect(res.status).toBe(200);
    expect(res.body.created_at).toBe('2018-06-14T22:00:00Z');
    const history = await w.t.call('billing_history_list', {
      params: xia,
      query: { start_at: '2018-06-14T22:00:00Z' },
      headers: w.xia,
    });
    expect(history.body.results.map((tx: any) => [tx.created_at, tx.description])).toEqual([
      ['2018-06-14T22:00:00.000Z', 'Paid by check'],
    ]);
  });

  it("is for the provider's managers", async () => {
    expect((await w.t.call('billing_transfers_import', { params: cowork, headers: w.xia, body: cheque })).status).toBe(
      403,
    );
    expect((await w.t.call('billing_balance_retrieve', { params: xia, headers: w.xia })).body.balance_amount).toBe(
      '1200',
    );
  });
});
