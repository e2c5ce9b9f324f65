import { definePlugin } from '../../core/plugin.ts';
import { stateSchemaCheck } from '../../core/validator/state-schema.ts';
import { togaiFixtures } from '../../../fixtures/togai/index.ts';
import { create_account, delete_account, get_account, get_accounts, update_account } from './accounts.ts';
import { add_aliases, list_account_aliases, remove_aliases } from './aliases.ts';
import { authenticate } from './auth.ts';
import { gettingStarted } from './getting-started.ts';
import { JSON_TYPE, togaiErrors } from './errors.ts';
import { get_pricing_schedules, update_pricing_schedule, update_pricing_schedule_batch } from './pricing-schedules.ts';
import { create_proposal, get_proposal, list_account_proposals, update_proposal_status } from './proposals.ts';
import { get_purchase, initiate_one_time_entitlement_plan, list_account_purchases } from './purchases.ts';
import type { operations } from './contract.d.ts';
import type { Principal, TogaiState } from './state.ts';

export const togai = definePlugin<TogaiState, Principal, operations>({
  name: 'togai',
  title: 'Togai Accounts API',
  contentType: JSON_TYPE,
  // They expire the tenant's proposals up to the clock (expireTenantProposals).
  writingReads: ['get_purchase', 'get_proposal', 'list_account_proposals'],
  fixtures: togaiFixtures,
  validateState: stateSchemaCheck(new URL('./state.schema.json', import.meta.url)),
  gettingStarted,
  authenticate,
  errors: togaiErrors,
  handlers: {
    get_accounts,
    create_account,
    get_account,
    update_account,
    delete_account,
    add_aliases,
    remove_aliases,
    list_account_aliases,
    update_pricing_schedule,
    update_pricing_schedule_batch,
    get_pricing_schedules,
    initiate_one_time_entitlement_plan,
    list_account_purchases,
    get_purchase,
    create_proposal,
    list_account_proposals,
    get_proposal,
    update_proposal_status,
  },
  adminViews: {
    /** Every account of every tenant with its alias records and schedule, for debugging. */
    accounts: (state) => state.accounts,
    purchases: (state) => state.purchases,
  },
});
