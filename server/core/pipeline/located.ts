/** Where a request is, as express's req.path, req.baseUrl and req.query give it for a pipeline mounted at /<api>. */
import type { RequestInfo } from '../plugin.ts';

export interface Located {
  /** Below the mount point, without the query, e.g. `/api/v2/prices/1`. */
  path: string;
  /** The mount point as the client wrote it, e.g. `/productive`. */
  baseUrl: string;
  query: RequestInfo['rawQuery'];
  /** The whole URL, for the journal. */
  url: string;
}
