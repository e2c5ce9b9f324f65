import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createStandin } from '../../server/app.ts';
import { SANDBOX_HEADER } from '../../server/core/pipeline.ts';

export const pactDir = fileURLToPath(new URL('../../contracts/pacts/', import.meta.url));

/**
 * The provider side: an in-process Standin serving one API (or PACT_PROVIDER_BASE_URL for a real one), a sandbox
 * for the verification, and provider states that reset it to the fixtures.
 */
export async function pactProvider(api: string) {
  const sandbox = `pact-${api}`;
  const remote = process.env.PACT_PROVIDER_BASE_URL;
  if (remote) return { baseUrl: remote, resetState: async () => {}, sandboxHeader: {} as Record<string, string>, close: async () => {} };
  const standin = await createStandin({ apis: [api], strict: true });
  const server = standin.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/${api}`,
    /** Puts the sandbox back to the fixtures: every provider state starts from them. */
    resetState: async () => {
      await standin.store.reset(sandbox);
    },
    sandboxHeader: { [SANDBOX_HEADER]: sandbox } as Record<string, string>,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
