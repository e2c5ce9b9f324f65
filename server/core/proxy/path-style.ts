/**
 * How a backend writes its paths. The contracts write DjaoApp's with a trailing slash, as djaodjin-saas 0.11.0
 * routes them; 1.2.2 routes them without (`/api/pricing`), and answers the slash form with an HTML 404.
 */
export type PathStyle = 'slash' | 'slashless';

export function pathStyleOf(value: string | undefined, where: string): PathStyle {
  if (value === undefined || value === '' || value === 'slash') return 'slash';
  if (value === 'slashless') return 'slashless';
  throw new Error(`${where} is 'slash' or 'slashless', not '${value}'`);
}

/** The path (with its query, if any) in the style: `slashless` drops the trailing slash; the root stays `/`. */
export function styledPath(path: string, style: PathStyle): string {
  if (style === 'slash') return path;
  const query = path.indexOf('?');
  const [pathname, rest] = query < 0 ? [path, ''] : [path.slice(0, query), path.slice(query)];
  return (pathname.length > 1 ? pathname.replace(/\/+$/, '') || '/' : pathname) + rest;
}
