/** The file part of a multipart/form-data request body (theme packages, cart CSV uploads). */

export interface UploadedFile {
  name: string;
  size: number;
  /** The file's bytes, as latin1 text (one character per byte). */
  content: string;
}

/** The first file part of a multipart/form-data body, or undefined when there is none. */
export function multipartFile(body: Buffer, contentType: string): UploadedFile | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const text = body.toString('latin1');
  for (const part of text.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const headers = part.slice(0, headerEnd);
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    if (!filename) continue;
    const content = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    return { name: filename, size: Buffer.byteLength(content, 'latin1'), content };
  }
  return undefined;
}

/** The uploaded file of a handler's request: its raw body parsed with the request's Content-Type. */
export function requestFile(body: unknown, contentType: string | string[] | undefined): UploadedFile | undefined {
  return Buffer.isBuffer(body) ? multipartFile(body, String(contentType ?? '')) : undefined;
}
