import { definePlugin } from '../../core/plugin.ts';
import { stateSchemaCheck } from '../../core/validator/state-schema.ts';
import { productiveFixtures } from '../../../fixtures/productive/index.ts';
import { authenticate } from './auth.ts';
import { gettingStarted } from './getting-started.ts';
import { JSONAPI, productiveErrors } from './errors.ts';
import { create_price, delete_price, get_price, list_prices, update_price } from './prices.ts';
import type { operations } from './contract.d.ts';
import type { Principal, ProductiveState } from './state.ts';

export const productive = definePlugin<ProductiveState, Principal, operations>({
  name: 'productive',
  title: 'Productive.io API v2 — Prices',
  contentType: JSONAPI,
  fixtures: productiveFixtures,
  validateState: stateSchemaCheck(new URL('./state.schema.json', import.meta.url)),
  gettingStarted,
  authenticate,
  errors: productiveErrors,
  handlers: { list_prices, get_price, create_price, update_price, delete_price },
  namedWrites: true,
});
