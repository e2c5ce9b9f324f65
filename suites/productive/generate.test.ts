/** The bulk generator (fixtures/productive/generate.ts): reproducible, and every record a valid price of the mock. */
import { describe, expect, it } from 'vitest';
import { generatePrices, productiveStateWithPrices } from '../../fixtures/productive/generate.ts';
import { itIsReproducible } from '../support/generator.ts';
import { withSandboxState } from '../support/serve.ts';

const auth = { 'X-Auth-Token': 'productive-test-token', 'X-Organization-Id': '572' };

describe('generated Productive prices', () => {
  itIsReproducible((options) => generatePrices(20, options));

  it('continue the fixtures ids and reference only their own organization', () => {
    const state = productiveStateWithPrices(40, { organizationIds: [572, 573] });
    expect(Object.keys(state.prices)).toHaveLength(43);
    expect(state.next_price_id).toBe(53);
    for (const price of Object.values(state.prices)) {
      expect(state.companies[price.company_id]!.organization_id).toBe(price.organization_id);
      expect(state.people[price.updater_id]!.organization_id).toBe(price.organization_id);
      if (price.service_type_id)
        expect(state.service_types[price.service_type_id]!.organization_id).toBe(price.organization_id);
    }
  });

  it('are served within the contract once restored into a sandbox', async () => {
    await withSandboxState('productive', 'generated', productiveStateWithPrices(250), async (base) => {
      const headers = { ...auth, 'x-standin-sandbox': 'generated' };
      for (const number of [1, 2]) {
        const res = await fetch(`${base}/productive/api/v2/prices?page[size]=200&page[number]=${number}`, { headers });
        expect(res.status).toBe(200);
        const body = (await res.json()) as any;
        expect(body.meta.total_count).toBe(251);
        expect(body.data).toHaveLength(number === 1 ? 200 : 51);
      }
      expect((await fetch(`${base}/productive/api/v2/prices/200`, { headers })).status).toBe(200);
    });
  });
});
