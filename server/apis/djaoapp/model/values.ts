/** Slugs as djaodjin derives them. */

/** "My Project" → "my-project"; "joe+1@example.com" → "joe1". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s_-]/g, '')
    .trim()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `base`, or `base-1`, `base-2`... the first that `taken` does not reject. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  const root = base || 'user';
  if (!taken(root)) return root;
  for (let i = 1; ; i++) if (!taken(`${root}-${i}`)) return `${root}-${i}`;
}

export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
