/** Each plug-in against its contract (the same operations) and its error format for an injected fault. */
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plugins } from './index.ts';
import { contractFile, contractsDir, loadContract } from '../core/contract/load.ts';
import { compileContract } from '../core/validator/compile.ts';

const contractApis = readdirSync(contractsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(contractFile(entry.name)))
  .map((entry) => entry.name);

describe('contracts and handlers', () => {
  it('every contract has a plug-in and every plug-in a contract', () => {
    expect(plugins.map((p) => p.name).sort()).toEqual(contractApis.sort());
  });

  describe.each(plugins.map((p) => [p.name, p] as const))('%s', (_, plugin) => {
    const contract = loadContract(plugin.name);
    it('has a handler for every operation', () => {
      const missing = contract.operations.map((op) => op.operationId).filter((id) => !plugin.handlers[id]);
      expect(missing).toEqual([]);
    });
    it('has an operation for every handler', () => {
      expect(Object.keys(plugin.handlers).filter((id) => !contract.byId.has(id))).toEqual([]);
    });
    it('compiles every schema with Ajv in strict mode', () => {
      expect(compileContract(contract).size).toBe(contract.operations.length);
    });
    it('documents a success response for every operation', () => {
      const without = contract.operations.filter((op) => !Object.keys(op.responses).some((s) => /^2/.test(s)));
      expect(without.map((op) => op.operationId)).toEqual([]);
    });
  });
});

describe('injected faults', () => {
  it('every vendor answers an injected status in its own error format', () => {
    const bodies = Object.fromEntries(plugins.map((p) => [p.name, p.errors.fault(503, 'Service Unavailable')]));
    expect(bodies.productive!.body).toEqual({
      errors: [{ status: '503', code: 'injected_fault', title: 'Service Unavailable', detail: 'Service Unavailable' }],
    });
    expect(bodies.togai!.body).toEqual({ message: 'Service Unavailable' });
    expect(bodies.toggl!.body).toBe('Service Unavailable');
    expect(bodies.djaoapp!.body).toEqual({ detail: 'Service Unavailable' });
    for (const error of Object.values(bodies)) expect(error.status).toBe(503);
  });
});
