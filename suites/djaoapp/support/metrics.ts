/** The metrics scenarios' steps (/api/metrics/...), in the billing world (see billing-world.ts). */
import type { BillingWorld } from '../billing-world.ts';

/** One of cowork's metrics (/api/metrics/cowork/...), asked by donny, a manager of cowork. */
export const coworkMetrics = (w: BillingWorld, operationId: string, query?: Record<string, string | number>) =>
  w.t.call(operationId, { params: { organization: 'cowork' }, query, headers: w.donny });
