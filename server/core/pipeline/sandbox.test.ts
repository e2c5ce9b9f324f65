import { describe, expect, it } from 'vitest';
import { SandboxStore } from '../sandbox/store.ts';
import { sandboxOf } from './sandbox.ts';
import { testErrors } from './test-api.ts';

describe('the sandbox stage', () => {
  it('works in the default sandbox without X-Standin-Sandbox, in the named one with it, the same object each time', async () => {
    const store = await SandboxStore.open({ fixtures: () => ({}) });
    const named = await sandboxOf({ 'x-standin-sandbox': 'ci-1' }, store, testErrors);
    expect(named.id).toBe('ci-1');
    expect((await sandboxOf({}, store, testErrors)).id).toBe('default');
    expect(await sandboxOf({ 'x-standin-sandbox': 'ci-1' }, store, testErrors)).toBe(named);
  });

  it('refuses a name that cannot be a sandbox with a 400 naming the header, and makes no sandbox', async () => {
    const store = await SandboxStore.open({ fixtures: () => ({}) });
    await expect(async () => sandboxOf({ 'x-standin-sandbox': '../etc' }, store, testErrors)).rejects.toMatchObject({
      status: 400,
      body: { problems: [{ in: 'header', pointer: '/x-standin-sandbox', keyword: 'pattern' }] },
    });
    expect(store.peek('../etc')).toBeUndefined();
  });
});
