/**
 * Orders and payments on the ledger: an order line per subscription period(s) bought or renewed, and a charge on a
 * card that pays order lines (the payment flow of ledger.ts). Checkout, renewals and scenario tests share them.
 */
import { randomBytes } from 'node:crypto';
import { post, readableAmount, settleLine, subscriptionReference, unpaid, type TransactionRecord } from './ledger.ts';
import { lineDescription } from './pricing.ts';
import { printableName, profileRecord } from './render.ts';
import type { RenewalEvent } from './renewals.ts';
import type { CardRecord, ChargeRecord, DjaoappState } from '../state.ts';

/** The card a charge is made on: what the processor shows of it, and the token it stands for. */
export type Card = Pick<CardRecord, 'token' | 'last4' | 'exp_date' | 'card_name'>;

/** What the processor answers when a card is declined (Stripe's message). */
export const CARD_DECLINED = 'Your card was declined.';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A processor charge id, as Stripe writes them: `ch_` and 14 letters or digits. */
export function chargeKey(): string {
  return `ch_${[...randomBytes(14)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/** A card's "MM/YYYY" expiry as a charge records it: the first day of that month, "YYYY-MM-01". */
export function chargeExpDate(expDate: string): string {
  const match = /^(\d{1,2})\/(\d{4})$/.exec(expDate);
  return match ? `${match[2]}-${match[1]!.padStart(2, '0')}-01` : expDate;
}

/** The card on file for a profile, if any. */
export function cardOf(state: DjaoappState, organization: string): CardRecord | undefined {
  return state.cards.find((c) => c.organization === organization);
}

/** Does the processor decline charges on this card? (test tokens marked `declines`) */
export function declines(state: DjaoappState, card: Card): boolean {
  return state.processor.tokens.some((t) => t.token === card.token && t.declines);
}

/** Posts an order line: `provider` invoices `subscriber` for the period(s) [start, end) of a subscription. */
export function postOrderLine(
  state: DjaoappState,
  at: Date,
  line: {
    provider: string;
    subscriber: string;
    subscription: number;
    start: string;
    end: string;
    amount: number;
    unit: string;
    descr: string;
  },
): TransactionRecord {
  return post(state, at, {
    descr: line.descr,
    event_id: `sub_${line.subscription}`,
    orig: [line.provider, 'Receivable'],
    dest: [line.subscriber, 'Payable'],
    amount: line.amount,
    unit: line.unit,
    period: { start: line.start, end: line.end, subscription: line.subscription },
  });
}

/**
 * What the distribution of an order line's payment says, as the seed writes it: a link to the provider's receipt of
 * the charge, then the subscription the line bills, e.g. "Charge <a href='/billing/cowork/receipt/ch_X'>ch_X</a>
 * distribution for xia-open-space".
 */
function distributionDescription(state: DjaoappState, line: TransactionRecord, processorKey: string): string {
  const sub = state.subscriptions.find((s) => s.id === line.period?.subscription);
  if (!sub) throw new Error(`chargeCard: order line ${line.id} bills no subscription`);
  return `Charge <a href='/billing/${line.orig_organization}/receipt/${processorKey}'>${processorKey}</a> distribution for ${subscriptionReference(sub)}`;
}

/**
 * Charges `customer`'s `card` for what is left to pay on the order lines `lineIds` (all in one unit). A card the
 * processor declines gives a failed charge and the lines stay unpaid (a balance due). Otherwise the charge is done
 * and the payment is written: the total from the customer's Liability to the processor's Funds, each line settled,
 * and each line's amount distributed from the processor's Funds to its provider's Funds.
 */
export function chargeCard(
  state: DjaoappState,
  now: Date,
  customer: string,
  lineIds: number[],
  card: Card,
): ChargeRecord {
  const lines = lineIds.map((id) => {
    const line = state.transactions.find((tx) => tx.id === id);
    if (!line) throw new Error(`chargeCard: no order line ${id}`);
    return line;
  });
  const amounts = lines.map((line) => unpaid(state, line));
  const amount = amounts.reduce((sum, a) => sum + a, 0);
  const unit = lines[0]?.dest_unit ?? 'usd';
  const processor_key = chargeKey();
  const profile = profileRecord(state, customer);
  const charge: ChargeRecord = {
    processor_key,
    created_at: now.toISOString(),
    customer,
    amount,
    unit,
    description: `Charge ${processor_key} on credit card of ${profile ? printableName(profile) : customer}`,
    last4: card.last4,
    exp_date: chargeExpDate(card.exp_date),
    card_name: card.card_name,
    state: declines(state, card) ? 'failed' : 'done',
    lines: lineIds,
  };
  state.charges.push(charge);
  if (charge.state === 'failed') return charge;
  const processor = state.processor.slug;
  post(state, now, {
    descr: charge.description,
    event_id: processor_key,
    orig: [customer, 'Liability'],
    dest: [processor, 'Funds'],
    amount,
    unit,
  });
  lines.forEach((line, i) => {
    settleLine(state, now, line, amounts[i]!, processor_key, `Payment of ${line.descr}`);
    post(state, now, {
      descr: distributionDescription(state, line, processor_key),
      event_id: processor_key,
      orig: [processor, 'Funds'],
      dest: [line.orig_organization, 'Funds'],
      amount: amounts[i]!,
      unit,
      line: line.id,
    });
  });
  return charge;
}

/** A charge as the billing API answers it. */
export function renderCharge(charge: ChargeRecord) {
  return {
    created_at: charge.created_at,
    amount: charge.amount,
    unit: charge.unit,
    readable_amount: readableAmount(charge.amount, charge.unit),
    description: charge.description,
    last4: charge.last4,
    exp_date: charge.exp_date,
    processor_key: charge.processor_key,
    state: charge.state,
  };
}

/**
 * Bills the periods the renewal job added: each is an order line dated at the start of its period, charged at that
 * instant on the subscriber's card on file (a declined card leaves a balance due, as does having no card).
 */
export function billRenewals(state: DjaoappState, events: RenewalEvent[]): void {
  for (const event of events) {
    // renewDue only renews subscriptions whose plan exists.
    const plan = state.plans.find((p) => p.slug === event.plan)!;
    const start = new Date(event.period_start);
    const end = new Date(event.period_end);
    const line = postOrderLine(state, start, {
      provider: event.provider,
      subscriber: event.organization,
      subscription: event.subscription,
      start: event.period_start,
      end: event.period_end,
      amount: event.amount,
      unit: event.unit,
      descr: lineDescription(plan, end, { periods: 1, discount: null }),
    });
    const card = cardOf(state, event.organization);
    if (card && line.dest_amount > 0) chargeCard(state, start, event.organization, [line.id], card);
  }
}
