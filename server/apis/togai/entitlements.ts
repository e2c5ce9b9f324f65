/** What an entitlement purchase grants and costs: credits per feature and the price of those credits. */
import { addDuration } from '../../core/sandbox/clock.ts';
import type { FeatureGrant } from './state.ts';
import { entryOf } from '../../core/records.ts';

export interface EntitlementCard {
  featureId: string;
  displayName?: string;
  name?: string;
  featureConfigs: Array<{ effectiveFrom?: string; effectiveUntil: string; featureCreditLimit: number }>;
  rateValues?: Array<{ currency: string; slabRates: Array<{ order: number; rate: number }> }>;
}

/** Rounds money to cents, away from float noise (0.1 + 0.2 → 0.3). */
export function roundMoney(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

/** The per-credit rate of a card in a currency: its first slab's rate, 0 when the card has none there. */
export function unitRate(card: EntitlementCard, currency: string): number {
  const value = card.rateValues?.find((v) => v.currency === currency);
  const first = [...(value?.slabRates ?? [])].sort((a, b) => a.order - b.order)[0];
  return first?.rate ?? 0;
}

/**
 * Grants of a purchase: each card's credit limit times the quantity bought for that feature
 * (rateCardQuantities[featureId], else quantity, else 1); the price is credits × unit rate, summed.
 * Togai's own example: limit 100, quantity 1.2, rate 1 → 120 credits for 120.
 */
export function grantEntitlements(
  cards: EntitlementCard[],
  options: { quantity?: number; rateCardQuantities?: Record<string, number>; currency: string; now: Date },
): { features: FeatureGrant[]; price: number } {
  let price = 0;
  const features: FeatureGrant[] = [];
  for (const card of cards) {
    const quantity = entryOf(options.rateCardQuantities, card.featureId) ?? options.quantity ?? 1;
    const config = card.featureConfigs[0]!;
    const credits = roundMoney(config.featureCreditLimit * quantity);
    price += credits * unitRate(card, options.currency);
    features.push({
      id: card.featureId,
      name: card.displayName ?? card.name ?? card.featureId,
      creditsGranted: credits,
      creditsAvailable: credits,
      updatedAt: options.now.toISOString(),
      effectiveFrom: addDuration(
        options.now,
        config.effectiveFrom && config.effectiveFrom !== 'PT0S' ? config.effectiveFrom : 'PT0S',
      ).toISOString(),
      effectiveUntil: addDuration(options.now, config.effectiveUntil).toISOString(),
    });
  }
  return { features, price: roundMoney(price) };
}
