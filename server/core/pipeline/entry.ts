/**
 * How a request enters an API's pipeline: from express mounted at /<api>, or straight from node:http (the
 * dispatcher, dispatch.ts). Either way its body is read first, and only when it has one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express, { type Request, type Response } from 'express';
import { coreErrors } from '../errors.ts';
import type { ApiPlugin } from '../plugin.ts';
import type { Located } from './located.ts';
import { apiErrorOf, replyOf, send } from './reply.ts';

export interface ApiPipeline {
  /** Mounted by express at /<api>: what the direct path leaves to express (CORS, replays, unusual URLs). */
  mounted: express.RequestHandler;
  /**
   * A request for /<api>/… straight from node:http, as express would have given it to `mounted`: `rest` is the
   * URL after /<api>. Express's own per-request work (prototypes, its router, CORS for requests without Origin)
   * cost a GET more CPU than the pipeline itself.
   */
  direct(req: IncomingMessage, res: ServerResponse, rest: string): void;
}

/** Answers a located request whose body (if any) was read. */
export type Answer = (
  req: IncomingMessage,
  res: ServerResponse,
  at: Located,
  rawBody: Buffer | undefined,
) => Promise<void>;

/** A request with a body, as body-parser (type-is) tells it. */
export function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    !Number.isNaN(Number.parseInt(req.headers['content-length'] ?? '', 10))
  );
}

export function entry(plugin: ApiPlugin, bodyLimitBytes: number, answer: Answer): ApiPipeline {
  const readBody = express.raw({ type: () => true, limit: bodyLimitBytes });
  // What escapes the pipeline's own error handling (a failure while answering or journaling) is still answered.
  const failed = (res: ServerResponse, error: unknown) => {
    if (res.headersSent) {
      console.error('standin: internal error', error);
      res.destroy();
    } else {
      send(res, replyOf(apiErrorOf(error, plugin.errors)), plugin.contentType);
    }
  };

  const run = (req: IncomingMessage, res: ServerResponse, at: Located) => {
    if (!hasBody(req)) {
      answer(req, res, at, undefined).catch((error) => failed(res, error));
      return;
    }
    readBody(req as Request, res as Response, (error?: Error & { type?: string; limit?: number }) => {
      // Body-parser failures (size cap, bad encoding) arrive here, before the pipeline ran.
      if (error?.type) {
        const refusal =
          error.type === 'entity.too.large'
            ? coreErrors['body-too-large'](plugin.errors, error.limit ?? bodyLimitBytes)
            : coreErrors['body-unreadable'](plugin.errors, error.message);
        send(res, replyOf(refusal), plugin.contentType);
      } else if (error) {
        failed(res, error);
      } else {
        const body = (req as Request).body as Buffer;
        answer(req, res, at, body.length ? body : undefined).catch((e) => failed(res, e));
      }
    });
  };

  const mountPoint = `/${plugin.name}`;
  return {
    mounted: (req, res) =>
      run(req, res, {
        path: req.path,
        baseUrl: req.baseUrl,
        query: req.query as Located['query'],
        url: req.originalUrl,
      }),
    direct(req, res, rest) {
      const q = rest.indexOf('?');
      const query = parseQuery(q < 0 ? '' : rest.slice(q + 1)) as Located['query'];
      run(req, res, { path: q < 0 ? rest : rest.slice(0, q), baseUrl: mountPoint, query, url: req.url! });
    },
  };
}
