/** An API ready to serve: its plugin, its contract, and what is compiled from the contract once. */
import type { Contract, Operation } from '../contract/load.ts';
import type { ApiPlugin } from '../plugin.ts';
import { Router } from '../router/match.ts';
import { compileContract, type OperationValidators } from '../validator/compile.ts';
import { type CredentialsReader, credentialsReader } from './credentials.ts';

export interface MountedApi {
  plugin: ApiPlugin;
  contract: Contract;
  validators: Map<string, OperationValidators>;
  router: Router<Operation>;
  credentials: CredentialsReader;
}

/** Response validators are compiled by apiPipeline when the self-check is on (strict), not at all otherwise. */
export function mountApi(plugin: ApiPlugin, contract: Contract): MountedApi {
  return {
    plugin,
    contract,
    validators: compileContract(contract),
    router: new Router(contract.operations),
    credentials: credentialsReader(contract.document),
  };
}
