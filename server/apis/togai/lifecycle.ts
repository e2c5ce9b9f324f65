/** The proposal state machine: PROPOSAL_ACTIVE → APPROVED | DECLINED by an answer, → EXPIRED by the clock. */
import type { PurchaseStatus, StoredPurchase } from './state.ts';

export type ProposalAnswer = 'APPROVE' | 'DECLINE';

export class LifecycleError extends Error {}

/** The status an answer leads to; only an active proposal can be answered. */
export function answerProposal(status: PurchaseStatus, answer: ProposalAnswer): PurchaseStatus {
  if (status !== 'PROPOSAL_ACTIVE') {
    const state = status.replace('PROPOSAL_', '').toLowerCase();
    throw new LifecycleError(
      `Proposal is ${state} and can no longer be ${answer === 'APPROVE' ? 'approved' : 'declined'}`,
    );
  }
  return answer === 'APPROVE' ? 'PROPOSAL_APPROVED' : 'PROPOSAL_DECLINED';
}

/** Whether an active proposal's expiry date has passed at `now`. */
export function isExpired(proposal: Pick<StoredPurchase, 'status' | 'expiryDate'>, now: Date): boolean {
  return (
    proposal.status === 'PROPOSAL_ACTIVE' &&
    proposal.expiryDate !== undefined &&
    new Date(proposal.expiryDate).getTime() <= now.getTime()
  );
}

/** Moves every active proposal past its expiry to PROPOSAL_EXPIRED (stamped at its expiry); returns how many moved. */
export function expireProposals(purchases: Iterable<StoredPurchase>, now: Date): number {
  let moved = 0;
  for (const p of purchases) {
    if (p.paymentMode && isExpired(p, now)) {
      p.status = 'PROPOSAL_EXPIRED';
      p.updatedAt = new Date(p.expiryDate!).toISOString();
      moved += 1;
    }
  }
  return moved;
}
