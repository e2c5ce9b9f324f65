/** Steps shared by the scenarios of DjaoApp's paginated lists. */
import { expect } from 'vitest';
import type { ConformanceTarget } from '../../support/target.ts';

/**
 * Lists with o=created_at, then with ot=desc as well: the first comes oldest first and the second is its reverse.
 * Both lists of created_at, for the scenario's further checks.
 */
export async function expectOrderedByCreation(
  t: ConformanceTarget,
  operationId: string,
  headers: Record<string, string>,
): Promise<{ asc: string[]; desc: string[] }> {
  const createdAts = async (query: Record<string, string>): Promise<string[]> =>
    (await t.call(operationId, { headers, query })).body.results.map((r: { created_at: string }) => r.created_at);
  const asc = await createdAts({ o: 'created_at' });
  expect([...asc].sort()).toEqual(asc);
  const desc = await createdAts({ o: 'created_at', ot: 'desc' });
  expect(desc).toEqual([...asc].reverse());
  return { asc, desc };
}

/** The pagination fields of a list whose `count` results all stand on the one page answered. */
export const onePage = (count: number) => ({ count, next: null, previous: null });
