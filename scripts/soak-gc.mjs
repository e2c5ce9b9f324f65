// Preloaded into the server by `npm run soak` (node --expose-gc --import ./scripts/soak-gc.mjs): on SIGUSR2 a full
// garbage collection, then one line on stderr with the memory after it, so the soak (and the memory bench,
// scripts/bench/memory.ts) read what the server really retains.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`standin-soak-gc ${JSON.stringify({ rss, heapUsed, external, arrayBuffers })}\n`);
});
