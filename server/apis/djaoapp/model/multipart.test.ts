import { describe, expect, it } from 'vitest';
import { multipartFile } from './multipart.ts';

const part = (headers: string, content: string | Buffer) =>
  Buffer.concat([Buffer.from(`--b\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
const form = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.from('--b--\r\n')]);
const TYPE = 'multipart/form-data; boundary=b';

describe('multipartFile', () => {
  it('finds the first part with a file name, past plain fields and empty file inputs, its bytes as sent', () => {
    const bytes = Buffer.from([0, 255, 13, 10, 45, 45, 0x80]);
    const body = form(
      part('Content-Disposition: form-data; name="note"', 'hello'),
      part('Content-Disposition: form-data; name="empty"; filename=""', ''),
      part('Content-Disposition: form-data; name="file"; filename="t.zip"\r\nContent-Type: application/zip', bytes),
      part('Content-Disposition: form-data; name="second"; filename="u.zip"', 'x'),
    );
    expect(multipartFile(body, TYPE)).toEqual({ name: 't.zip', size: 7, bytes });
  });

  it('reads a quoted boundary, a UTF-8 file name and a file of nearly a megabyte', () => {
    const big = Buffer.alloc(900_000, 'a');
    const body = form(part(`Content-Disposition: form-data; name="file"; filename*=UTF-8''th%C3%A8me.zip`, big));
    expect(multipartFile(body, 'multipart/form-data; boundary="b"')).toEqual({
      name: 'thème.zip',
      size: 900_000,
      bytes: big,
    });
  });

  it('is undefined without a file part, without a boundary, or for a body that is not multipart', () => {
    expect(multipartFile(form(part('Content-Disposition: form-data; name="note"', 'hello')), TYPE)).toBeUndefined();
    expect(
      multipartFile(
        form(part('Content-Disposition: form-data; name="file"; filename="t.zip"', 'abc')),
        'multipart/form-data',
      ),
    ).toBeUndefined();
    expect(multipartFile(Buffer.from('{"file": "t.zip"}'), 'application/json')).toBeUndefined();
    expect(multipartFile(Buffer.from('garbage'), TYPE)).toBeUndefined();
  });
});
