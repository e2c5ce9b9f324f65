/** A Standin listening on a free local port, for tests that talk to it over HTTP (admin API, console, CLI). */
import { createStandin, type Standin, type StandinOptions } from '../../server/app.ts';

export interface ServedStandin {
  standin: Standin;
  /** Its origin, e.g. http://127.0.0.1:43121 */
  base: string;
  stop(): Promise<void>;
}

export async function serveStandin(options: StandinOptions = {}): Promise<ServedStandin> {
  const standin = await createStandin(options);
  const server = standin.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    standin,
    base,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await standin.close();
    },
  };
}

/**
 * Runs `use` against a strict Standin serving one API whose sandbox `sandbox` holds `state` for it (put through the
 * admin API, as a restore would), then stops the Standin.
 */
export async function withSandboxState(
  api: string,
  sandbox: string,
  state: unknown,
  use: (base: string) => Promise<void>,
): Promise<void> {
  const served = await serveStandin({ apis: [api], strict: true });
  try {
    const admin = `${served.base}/__standin/sandboxes/${sandbox}`;
    await fetch(`${admin}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    const whole = (await (await fetch(`${admin}/state`)).json()) as { apis: Record<string, unknown> };
    whole.apis[api] = state;
    const put = await fetch(`${admin}/state`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(whole),
    });
    if (put.status !== 200) throw new Error(`PUT ${api} state → ${put.status} ${await put.text()}`);
    await use(served.base);
  } finally {
    await served.stop();
  }
}
