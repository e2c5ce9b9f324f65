/** Multipart bodies the DjaoApp scenarios upload (a GroupBuy CSV, a theme package). */

const boundary = 'standin-form';

/** Headers and body of a multipart/form-data request of one part: its header lines, then its content. */
export function multipartForm(
  headers: Record<string, string>,
  partHeaders: string,
  content: string,
): { headers: Record<string, string>; rawBody: string } {
  return {
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    rawBody: `--${boundary}\r\n${partHeaders}\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  };
}

/** A GroupBuy upload: people.csv (first name, last name, e-mail a line) as the form's `file`. */
export const peopleCsv = (headers: Record<string, string>, csv: string) =>
  multipartForm(
    headers,
    'Content-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv',
    csv,
  );

/** A theme upload: the package `name` (a zip, when it is one) as the form's `file`. */
export const themePackage = (headers: Record<string, string>, name: string, content: string) =>
  multipartForm(
    headers,
    `Content-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/zip`,
    content,
  );
