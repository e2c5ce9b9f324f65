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
