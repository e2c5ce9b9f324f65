/**
 * The baseline: bare express answering the exact bytes Standin answered, from memory, with no auth, routing
 * from a contract, validation, state or journal. Usage: bare-express.ts <port> <routes.json>
 */
import { readFileSync } from 'node:fs';
import express from 'express';
import type { CannedRoute } from './servers.ts';

const [port, routesFile] = process.argv.slice(2);
const routes = JSON.parse(readFileSync(routesFile!, 'utf8')) as CannedRoute[];
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/__ready', (_req, res) => {
  res.end('ok');
});
for (const route of routes) {
  const bytes = Buffer.from(route.body, 'base64');
  const answer = (_req: express.Request, res: express.Response) => {
    res.status(route.status).setHeader('Content-Type', route.contentType);
    res.end(bytes);
  };
  // A write reads its body as any server must, then answers.
  if (route.method === 'POST') app.post(route.path, express.raw({ type: () => true }), answer);
  else app.get(route.path, answer);
}
app.listen(Number(port), '127.0.0.1');
