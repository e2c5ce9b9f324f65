/**
 * The V8 flags a Standin server runs with, wherever it is started as its own process: `npm start` (package.json),
 * the `standin` bin (its shebang) and the cluster's replicas (deploy/cluster.ts); package.test.ts keeps the first
 * two in step with this list. A young generation of twice Node's default 16 MB per semi-space: a request's garbage
 * and the journal's recent entries then die young instead of being copied to the old generation, which took about a
 * tenth of a request's CPU (docs/benchmarks.md, "The young generation").
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];
