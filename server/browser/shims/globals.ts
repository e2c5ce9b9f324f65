/** The Node globals the core uses at run time (Buffer for bodies, process for its environment), in the browser. */
import { Buffer } from 'buffer';

const scope = globalThis as unknown as {
  Buffer?: typeof Buffer;
  process?: { env: Record<string, string | undefined>; pid: number };
};
scope.Buffer ??= Buffer;
scope.process ??= { env: {}, pid: 0 };
