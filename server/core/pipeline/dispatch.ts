/**
 * The one entry of a Standin app: a node:http request listener. API requests go straight to their pipeline; those
 * CORS must answer (an Origin), and URLs express reads in its own way (a fragment, no slash after /<api>, another
 * case), go through express to the same pipeline, as does everything else (admin API, console).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiPipeline } from './entry.ts';

/** A request listener, and `listen` as express's app.listen: `http.createServer(app).listen(...)`. */
export interface StandinApp {
  (req: IncomingMessage, res: ServerResponse): void;
  listen: Server['listen'];
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export function dispatcher(app: RequestListener, direct: ReadonlyMap<string, ApiPipeline>): StandinApp {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url!;
    const slash = url.indexOf('/', 1);
    const pipeline =
      slash > 0 && req.headers.origin === undefined && !url.includes('#') ? direct.get(url.slice(1, slash)) : undefined;
    if (pipeline) pipeline.direct(req, res, url.slice(slash));
    else app(req, res);
  };
  function listen(...args: unknown[]): Server {
    const server = createServer(listener);
    return Reflect.apply(server.listen, server, args) as Server;
  }
  return Object.assign(listener, { listen: listen as Server['listen'] });
}
