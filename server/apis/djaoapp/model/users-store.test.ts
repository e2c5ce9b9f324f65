/** Renaming and deleting users in the sandbox state. */
import { describe, expect, it } from 'vitest';
import { djaoappFixtures } from '../../../../fixtures/djaoapp/index.ts';
import { deleteUser, renameUser } from './users-store.ts';
import { slugify, uniqueSlug } from './values.ts';

describe('users in the state', () => {
  it('renaming a user follows every reference; deleting removes what hangs off them', () => {
    const state = djaoappFixtures();
    renameUser(state, 'alice', 'alice2');
    expect(state.roles.some((r) => r.user === 'alice2')).toBe(true);
    expect(state.activities.every((a) => a.created_by !== 'alice')).toBe(true);
    expect(state.engagements.some((e) => e.username === 'alice2')).toBe(true);
    deleteUser(state, 'xia');
    expect(state.users.some((u) => u.slug === 'xia')).toBe(false);
    expect(state.activities.some((a) => a.contact === 'xia')).toBe(false);
    expect(state.profiles.some((p) => p.slug === 'xia')).toBe(true);
  });

  it('slugs come from names and stay unique', () => {
    expect(slugify('My Project')).toBe('my-project');
    expect(slugify('Crème  Brûlée & Co')).toBe('creme-brulee-co');
    expect(uniqueSlug('xia', (s) => ['xia', 'xia-1'].includes(s))).toBe('xia-2');
  });
});
