import { describe, expect, it } from 'vitest';
import { togaiStateWithAccounts } from '../../../fixtures/togai/generate.ts';
import { togaiFixtures } from '../../../fixtures/togai/index.ts';
import { peakOverlap } from './alias-rules.ts';

describe('generated Togai data', () => {
  it('adds N accounts to the fixtures, reproducibly, with unique Togai ids and alias values', () => {
    const a = togaiStateWithAccounts(300, { seed: 3 });
    const b = togaiStateWithAccounts(300, { seed: 3 });
    expect(a).toEqual(b);
    const accounts = Object.values(a.accounts['tenant-a']!);
    expect(accounts).toHaveLength(Object.keys(togaiFixtures().accounts['tenant-a']!).length + 300);
    expect(new Set(accounts.map((x) => x.togaiAccountId)).size).toBe(accounts.length);
    const values = a.aliases['tenant-a']!.map((r) => r.value);
    expect(new Set(values).size).toBe(values.length);
    for (const account of accounts)
      expect(
        peakOverlap(
          a.aliases['tenant-a']!.filter((r) => r.accountId === account.id).map((r) => ({
            from: r.effectiveFrom,
            until: r.effectiveUntil,
          })),
        ),
      ).toBeLessThanOrEqual(10);
    expect(Object.keys(a.schedules['tenant-a']!).length).toBeGreaterThan(90);
    expect(a.sequence).toBeGreaterThan(togaiFixtures().sequence);
  });
});
