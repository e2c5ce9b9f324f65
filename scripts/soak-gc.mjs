// Preloaded into the server by `npm run soak` (node --expose-gc --import ./scripts/soak-gc.mjs): on SIGUSR2 a full
// garbage collection, then one line with the memory after it, so the soak reads what the server really retains.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`standin-soak-gc ${JSON.stringify({ rss, heapUsed, external, arrayBuffers })}\n`);
});
