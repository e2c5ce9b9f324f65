/** Each API's contract.d.ts is what openapi-typescript makes of its contract today (scripts/contract-types.ts). */
import { expect, test } from 'vitest';
import { staleContractTypes } from '../../scripts/contract-types.ts';

test('every contract.d.ts is generated from its contract as it is now', async () => {
  expect(await staleContractTypes(true), 'run: npx tsx scripts/contract-types.ts').toEqual([]);
});
