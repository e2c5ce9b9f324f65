/** The contract and the handlers must name the same operations: none without a handler, no handler without one. */
import { readdirSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../server/apis/index.ts';
import { contractFile, contractsDir, loadContract } from '../../server/core/contract/load.ts';
import { compileContract } from '../../server/core/validator/compile.ts';

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
