/**
 * The ceiling: node:http itself answering the exact bytes Standin answered, from memory, with no framework at all.
 * Usage: raw-node.ts <port> <routes.json>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { CannedRoute } from './servers.ts';

const [port, routesFile] = process.argv.slice(2);
const routes = new Map(
  (JSON.parse(readFileSync(routesFile!, 'utf8')) as CannedRoute[]).map((route) => [
    `${route.method} ${route.path}`,
    { ...route, bytes: Buffer.from(route.body, 'base64') },
  ]),
);

createServer((req, res) => {
  const q = req.url!.indexOf('?');
  const route = routes.get(`${req.method} ${q < 0 ? req.url : req.url!.slice(0, q)}`);
  const answer = () => {
    if (!route) {
      res.statusCode = req.url === '/__ready' ? 200 : 404;
      res.end();
      return;
    }
    res.statusCode = route.status;
    res.setHeader('Content-Type', route.contentType);
    res.end(route.bytes);
  };
  // A write reads its body as any server must, then answers.
  if (req.method === 'POST') {
    req.on('data', () => {});
    req.on('end', answer);
  } else answer();
}).listen(Number(port), '127.0.0.1');
