/**
 * The DjaoApp suites' `it`, with file-scoped fixtures: a scenario names what it needs (`async ({ t, manager }) =>`)
 * and gets the file's target, its credentials, a broker manager or a member signed in, a stranger, or the file's
 * undo steps; each is set up once per file, on first use, and torn down after the file's last scenario. Suite-level
 * hooks get them too: `it.beforeAll(({ t }) => …)`.
 */
import { beforeEach, it as base } from 'vitest';
import { Cleanup, NO_PROFILE_CREATION, needsStranger, profileCreated, strangerIfRegistering } from './portable.ts';
import { openSession } from './target.ts';

export const it = base
  /** Signed in together, manager first, as the suites always were: proxy's `recent` scenario reads that order. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern; it has none.
  .extend('session', { scope: 'file' }, async ({}, { onCleanup }) => {
    const session = await openSession();
    onCleanup(() => session.t.close());
    return session;
  })
  .extend('t', { scope: 'file' }, ({ session }) => session.t)
  .extend('creds', { scope: 'file' }, ({ session }) => session.creds)
  .extend('manager', { scope: 'file' }, ({ session }) => session.manager)
  .extend('member', { scope: 'file' }, ({ session }) => session.member)
  /** A user who manages nothing, where the target registers users (see strangerIfRegistering); undefined elsewhere. */
  .extend('strangerIfAny', { scope: 'file' }, ({ t }) => strangerIfRegistering(t))
  /** That user, for a scenario that needs one: the scenario is skipped (needsStranger) where there is none. */
  .extend('stranger', ({ strangerIfAny, skip }) => {
    needsStranger({ skip }, strangerIfAny);
    return strangerIfAny;
  })
  /** What the file's scenarios created on the target, undone after them: set up after `t`, so torn down before it. */
  .extend('cleanup', { scope: 'file' }, ({ t: _target }, { onCleanup }) => {
    const cleanup = new Cleanup();
    onCleanup(() => cleanup.run());
    return cleanup;
  });

export interface OwnOrganization {
  slug: string;
  full_name: string;
  /** Who creates it, and so manages it. */
  by: 'manager' | 'member';
}

/**
 * The file's own organizations, created in order before its scenarios (stopping at the first the target refuses)
 * and undone after them; each scenario is skipped (NO_PROFILE_CREATION) where the target lets nobody create one.
 */
export function ownOrganizations(...organizations: OwnOrganization[]): { made: boolean } {
  const own = { made: false };
  it.beforeAll(async ({ t, manager, member, cleanup }) => {
    const headers = { manager, member };
    own.made = true;
    for (const { slug, full_name, by } of organizations)
      own.made &&= await profileCreated(
        t,
        headers[by],
        { slug, full_name, email: `${slug}@example.com`, type: 'organization' },
        cleanup,
      );
  });
  beforeEach(({ skip }) => skip(!own.made, NO_PROFILE_CREATION));
  return own;
}
