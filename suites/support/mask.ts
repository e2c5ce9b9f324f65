/** Makes two documents comparable "apart from ids and timestamps": ids, *_at values and URL origins masked. */
export function maskIdsAndTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskIdsAndTimes);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key === 'id' && (typeof v === 'string' || typeof v === 'number')) return [key, '<id>'];
      if (key.endsWith('_at') && typeof v === 'string') return [key, '<time>'];
      if (typeof v === 'string' && /^https?:\/\//.test(v))
        return [key, v.replace(/^https?:\/\/[^/]+(\/[^/?]+)?(?=\/api\/)/, '<origin>')];
      return [key, maskIdsAndTimes(v)];
    }),
  );
}
