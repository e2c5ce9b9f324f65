/** Plan slugs and what a plan write may carry. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { planSlug, planWriteErrors } from './plans.ts';
import type { DjaoappState } from '../state.ts';

const plan = (state: DjaoappState, slug: string) => state.plans.find((p) => p.slug === slug)!;

describe('plans', () => {
  it("slugs come from the title, unique among every provider's plans", () => {
    const state = djaoappFixtures();
    expect(planSlug(state, 'Hot Desk')).toBe('hot-desk');
    expect(planSlug(state, 'Open Space')).toBe('open-space-1');
    expect(planSlug(state, 'Open Space', plan(state, 'open-space'))).toBe('open-space');
    expect(planSlug(state, '!!!')).toBe('plan');
  });

  it('a title the provider already uses is a plain-string error; an interval contradicting period_type too', () => {
    const state = djaoappFixtures();
    expect(planWriteErrors(state, 'cowork', { title: 'Premium' })).toEqual({
      title: 'A plan with this title already exists.',
    });
    expect(planWriteErrors(state, 'cowork', { title: 'Premium' }, plan(state, 'premium'))).toEqual({});
    expect(planWriteErrors(state, 'xia', { title: 'Premium' })).toEqual({});
    expect(planWriteErrors(state, 'cowork', { period_type: 'monthly', interval: 'yearly' })).toHaveProperty('interval');
    expect(
      planWriteErrors(state, 'cowork', {
        advance_discounts: [{ discount_type: 'percentage', discount_value: 10001, length: 3 }],
      }),
    ).toHaveProperty('advance_discounts');
  });
});
