import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { isOffContract } from '../errors.ts';
import { FaultStore } from '../faults.ts';
import { injectFault } from './fault.ts';
import { testErrors } from './test-api.ts';

const target = { api: 'things', errors: testErrors, sandboxId: 's', operationId: 'get_thing' };
const request = (headers: Record<string, string> = {}) =>
  ({ headers, socket: { destroy: vi.fn() } }) as unknown as IncomingMessage;
const store = () => new FaultStore(new Map([['things', new Set(['get_thing'])]]));

describe('the fault stage', () => {
  it('injects nothing without a store or a matching rule', async () => {
    expect(await injectFault(undefined, target, request())).toBeUndefined();
    expect(await injectFault(store(), target, request())).toBeUndefined();
  });

  it("answers a rule's status in the vendor's body, 429 with Retry-After 1 unless the rule says otherwise", async () => {
    const faults = store();
    faults.add('s', { status: 429 });
    const injected = await injectFault(faults, target, request());
    expect(injected?.marker).toMatchObject({ status: 429 });
    expect(injected?.error).toMatchObject({
      status: 429,
      body: { kind: 'fault', message: 'Too Many Requests' },
      headers: { 'X-Vendor': 'fault', 'Retry-After': '1' },
    });
    expect(isOffContract(injected!.error!)).toBe(true);
  });

  it('refuses an unreadable X-Standin-Fault with a 400 naming the header', async () => {
    const injected = await injectFault(store(), target, request({ 'x-standin-fault': 'status=200' }));
    expect(injected).toMatchObject({
      marker: { source: 'header', status: 400 },
      error: { status: 400, body: { problems: [{ pointer: '/x-standin-fault' }] } },
    });
  });

  it('destroys the connection for a reset', async () => {
    const req = request({ 'x-standin-fault': 'reset' });
    const injected = await injectFault(store(), target, req);
    expect(req.socket.destroy).toHaveBeenCalled();
    expect(injected?.marker.reset).toBe(true);
  });
});
