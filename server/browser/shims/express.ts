/**
 * express in the browser, as far as the pipeline uses it: `express.raw`, whose request (browser.ts) already
 * holds its body as bytes; the size cap is kept.
 */
interface BodyRequest {
  standinBody?: Uint8Array;
  body?: Uint8Array;
}

type Next = (error?: Error & { type?: string; limit?: number }) => void;

function raw({ limit }: { limit: number }) {
  return (req: BodyRequest, _res: unknown, next: Next) => {
    const body = req.standinBody ?? new Uint8Array();
    if (body.length > limit)
      return next(Object.assign(new Error('request entity too large'), { type: 'entity.too.large', limit }));
    req.body = body;
    next();
  };
}

export default { raw };
