/**
 * What an answer is without its bytes: a non-JSON one's media type, size and HTML `<title>`, a JSON one's shape.
 * Reports and recordings carry these instead of the body, so an HTML error page is named, never dumped.
 */

export interface BodySummary {
  /** The media type without parameters, lower case ('' when the answer had no Content-Type). */
  mediaType: string;
  size: number;
  /** The page's `<title>`, whitespace collapsed, at most 120 characters. */
  title?: string;
}

export function mediaTypeOf(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export const isJsonMediaType = (mediaType: string): boolean => /^application\/([\w.+-]+\+)?json$/.test(mediaType);

/** The text of the first `<title>` of an HTML page, if it has one. */
export function htmlTitle(text: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text.slice(0, 20_000));
  const title = match?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? title.slice(0, 120) : undefined;
}

export function summariseBody(raw: Buffer, contentType: string | null | undefined): BodySummary {
  const mediaType = mediaTypeOf(contentType);
  const title =
    /html|xml/.test(mediaType) || (!mediaType && raw.subarray(0, 200).toString('utf8').includes('<'))
      ? htmlTitle(raw.toString('utf8'))
      : undefined;
  return title === undefined ? { mediaType, size: raw.length } : { mediaType, size: raw.length, title };
}

export function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** `403 text/html, 2.3 KB, "403 Forbidden"`. */
export function describeAnswer(status: number, summary: BodySummary): string {
  const parts = [`${status} ${summary.mediaType || '(no media type)'}`, formatSize(summary.size)];
  if (summary.title) parts.push(`"${summary.title}"`);
  return parts.join(', ');
}

/** `{"a":[{"b":1}]}` → `{a:[{b:number}]}`: what a body looks like, without its values. */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.length ? shapeOf(value[0]) : ''}]`;
  if (Buffer.isBuffer(value)) return 'bytes';
  if (typeof value === 'object')
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${k}:${shapeOf((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return typeof value;
}
