/** The file part of a multipart/form-data request body (theme packages, cart CSV uploads), read by busboy. */
import busboy from 'busboy';
import type { Readable } from 'node:stream';

export interface UploadedFile {
  name: string;
  size: number;
  bytes: Buffer;
}

/** The first file part (one with a file name) of a multipart/form-data body; undefined when there is none or the body does not parse. */
export function multipartFile(body: Buffer, contentType: string): UploadedFile | undefined {
  const files: { name: string; stream: Readable }[] = [];
  try {
    const parser = busboy({ headers: { 'content-type': contentType } });
    parser.on('file', (_field, stream, info) =>
      info.filename ? files.push({ name: info.filename, stream }) : stream.resume(),
    );
    parser.on('error', () => {});
    // The whole body is at hand: busboy parses it synchronously and each file's bytes wait in its stream.
    parser.end(body);
  } catch {
    return undefined;
  }
  const [file] = files;
  if (!file) return undefined;
  const chunks: Buffer[] = [];
  for (let chunk: Buffer | null; (chunk = file.stream.read() as Buffer | null) !== null; ) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  return { name: file.name, size: bytes.length, bytes };
}

/** The uploaded file of a handler's request: its raw body parsed with the request's Content-Type. */
export function requestFile(body: unknown, contentType: string | string[] | undefined): UploadedFile | undefined {
  return Buffer.isBuffer(body) ? multipartFile(body, String(contentType ?? '')) : undefined;
}
