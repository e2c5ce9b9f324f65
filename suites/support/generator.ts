/** What every bulk generator (fixtures/<api>/generate.ts) promises, as one scenario each suite runs. */
import { expect, it } from 'vitest';

/** The scenario: `generate` with the same seed makes the same records, with another seed other ones. */
export function itIsReproducible(generate: (options: { seed: number }) => unknown): void {
  it('are the same for the same seed and differ for another', () => {
    expect(generate({ seed: 3 })).toEqual(generate({ seed: 3 }));
    expect(generate({ seed: 3 })).not.toEqual(generate({ seed: 4 }));
  });
}
