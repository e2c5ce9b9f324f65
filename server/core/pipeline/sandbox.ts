/** The sandbox stage: the sandbox a request works in, named by X-Standin-Sandbox (the default one without it). */
import type { IncomingHttpHeaders } from 'node:http';
import { coreErrors } from '../errors.ts';
import { SANDBOX_HEADER } from '../headers.ts';
import type { ErrorFormat } from '../plugin.ts';
import { DEFAULT_SANDBOX, isSandboxId, type Sandbox, type SandboxStore } from '../sandbox/store.ts';

/** The request's sandbox, loaded or made from the fixtures when it is not in memory; 400 for a name that cannot be one. */
export function sandboxOf(
  headers: IncomingHttpHeaders,
  store: SandboxStore,
  errors: ErrorFormat,
): Sandbox | Promise<Sandbox> {
  const id = (headers[SANDBOX_HEADER] as string | undefined) ?? DEFAULT_SANDBOX;
  if (!isSandboxId(id)) throw coreErrors['sandbox-id'](errors);
  const inMemory = store.peek(id);
  if (!inMemory) return store.get(id);
  inMemory.lastUsed = Date.now();
  return inMemory;
}
