/** Handlers of purchase proposals: create_proposal, list_account_proposals, get_proposal, update_proposal_status. */
import { copyOfState } from '../../core/sandbox/transaction.ts';
import { findAccount, newId, nowIso, tenantOf, writableAccount, type Ctx, type Reply } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { answerProposal, LifecycleError } from './lifecycle.ts';
import {
  describePurchase,
  expireTenantProposals,
  findPurchase,
  fulfil,
  idempotentMatch,
  newestFirst,
} from './purchases.ts';
import { renderProposal, renderProposalListItem } from './render.ts';
import type { PurchaseStatus, StoredPurchase } from './state.ts';

function findProposal(ctx: Ctx & { params: { purchase_proposal_id: string } }): StoredPurchase {
  const id = ctx.params.purchase_proposal_id;
  const proposal = findPurchase(ctx, id, 'Proposal');
  if (!proposal.paymentMode) throw notFound(`Proposal with id ${id} does not exist`);
  return proposal;
}

export function create_proposal(ctx: Ctx<'create_proposal'>): Reply<'create_proposal'> {
  const account = writableAccount(ctx, ctx.params.account_id);
  const input = ctx.body;
  expireTenantProposals(ctx);
  const previous = idempotentMatch(ctx, account.id, input.idempotencyKey, true);
  if (previous) return { status: 200, body: renderProposal(previous) };
  const proposal = describePurchase(ctx, account, input, true);
  proposal.id = newId(ctx, 'purchase');
  ctx.state.purchases[proposal.id] = proposal;
  return { status: 200, body: renderProposal(proposal) };
}

export function list_account_proposals(ctx: Ctx<'list_account_proposals'>): Reply<'list_account_proposals'> {
  const account = findAccount(ctx, ctx.params.account_id);
  expireTenantProposals(ctx);
  const tenant = tenantOf(ctx);
  const proposals = Object.values(ctx.state.purchases)
    .filter((p) => p.tenant === tenant && p.accountId === account.id && p.paymentMode)
    .sort(newestFirst);
  return { status: 200, body: { data: proposals.map((p) => renderProposalListItem(ctx.state, p)) } };
}

export function get_proposal(ctx: Ctx<'get_proposal'>): Reply<'get_proposal'> {
  return { status: 200, body: renderProposal(findProposal(ctx)) };
}

export function update_proposal_status(ctx: Ctx<'update_proposal_status'>): Reply<'update_proposal_status'> {
  const proposal = findProposal(ctx);
  const answer = ctx.body.status;
  let next: PurchaseStatus;
  try {
    next = answerProposal(proposal.status, answer);
  } catch (error) {
    if (error instanceof LifecycleError) throw badRequest(error.message);
    throw error;
  }
  const account = findAccount(ctx, proposal.accountId);
  if (answer === 'APPROVE') {
    if (account.status === 'ARCHIVED')
      throw badRequest(`Account ${account.id} is archived; the proposal cannot be approved`);
    // Approval makes the purchase take effect; a refusal there (e.g. the schedule no longer allows it) leaves the proposal active.
    const draft = copyOfState(proposal);
    fulfil(ctx, account, draft);
    Object.assign(proposal, draft);
  }
  const now = nowIso(ctx);
  proposal.status = next;
  proposal.proposalResponseDate = now;
  proposal.updatedAt = now;
  proposal.comment = answer === 'APPROVE' ? 'Proposal Approved' : 'Proposal Declined';
  return { status: 200, body: renderProposal(proposal) };
}
