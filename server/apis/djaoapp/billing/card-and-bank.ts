/** Handlers of a profile's payment card (/api/billing/{organization}/card/) and a provider's deposit account (bank/). */
import { fieldErrors, notFound } from '../model/errors.ts';
import { accountBalance } from '../model/ledger.ts';
import { cardOf } from '../model/payments.ts';
import { requireProfileAccess } from '../model/permissions.ts';
import { profileOr404 } from '../model/profiles-store.ts';
import { printableName } from '../model/render.ts';
import type { CardRecord, DjaoappState, ProfileRecord } from '../state.ts';
import type { Ctx, Reply } from '../model/context.ts';

export const CARD_REMOVED = 'Your credit card is no longer on file with us.';

function managedProfile(ctx: Ctx & { params: { organization: string } }): ProfileRecord {
  requireProfileAccess(ctx.state, ctx.principal, ctx.params.organization, 'manage');
  return profileOr404(ctx.state, ctx.params.organization);
}

const renderCard = (card: CardRecord) => ({ last4: card.last4, exp_date: card.exp_date, card_name: card.card_name });

export function card_retrieve(ctx: Ctx<'card_retrieve'>): Reply<'card_retrieve'> {
  const card = cardOf(ctx.state, managedProfile(ctx).slug);
  if (!card) throw notFound();
  return { status: 200, body: renderCard(card) };
}

export function card_update(ctx: Ctx<'card_update'>): Reply<'card_update'> {
  const profile = managedProfile(ctx);
  const { token, full_name, ...billing_details } = ctx.body;
  const known = ctx.state.processor.tokens.find((t) => t.token === token);
  if (!known) throw fieldErrors({ token: [`No such token: '${token}'.`] });
  const card: CardRecord = {
    organization: profile.slug,
    token,
    last4: known.last4,
    exp_date: known.exp_date,
    card_name: full_name ?? printableName(profile),
    billing_details,
  };
  ctx.state.cards = ctx.state.cards.filter((c) => c.organization !== profile.slug);
  ctx.state.cards.push(card);
  return { status: 200, body: renderCard(card) };
}

export function card_destroy(ctx: Ctx<'card_destroy'>): Reply<'card_destroy'> {
  const profile = managedProfile(ctx);
  ctx.state.cards = ctx.state.cards.filter((c) => c.organization !== profile.slug);
  return { status: 200, body: { detail: CARD_REMOVED } };
}

/** The unit a provider's funds are in: that of its first Funds transaction (usd when it has none). */
function fundsUnit(state: DjaoappState, organization: string): string {
  const tx = state.transactions.find(
    (t) =>
      (t.dest_organization === organization && t.dest_account === 'Funds') ||
      (t.orig_organization === organization && t.orig_account === 'Funds'),
  );
  return tx ? (tx.dest_organization === organization ? tx.dest_unit : tx.orig_unit) : 'usd';
}

export function bank_retrieve(ctx: Ctx<'bank_retrieve'>): Reply<'bank_retrieve'> {
  const profile = managedProfile(ctx);
  const bank = ctx.state.banks.find((b) => b.organization === profile.slug);
  const unit = fundsUnit(ctx.state, profile.slug);
  return {
    status: 200,
    body: {
      bank_name: bank?.bank_name ?? null,
      last4: bank?.last4 ?? null,
      balance_amount: accountBalance(ctx.state, profile.slug, 'Funds', unit),
      balance_unit: unit,
    },
  };
}
