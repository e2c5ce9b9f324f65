/**
 * The text of a PDF, read the way a PDF reader does: load the document with pdf-lib, inflate each page's content
 * streams and decode the strings its text operators (Tj, TJ) show. Enough for the standard-font documents Standin
 * writes; not a general extractor.
 */
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, type PDFRawStream, PDFRef } from 'pdf-lib';

/** WinAnsi bytes 0x80–0x9f that differ from Latin-1. */
const WIN_ANSI = new Map([
  [0x80, '€'],
  [0x96, '–'],
  [0x97, '—'],
  [0x91, '‘'],
  [0x92, '’'],
  [0x93, '“'],
  [0x94, '”'],
]);

function decodeBytes(bytes: number[]): string {
  return bytes.map((b) => WIN_ANSI.get(b) ?? String.fromCharCode(b)).join('');
}

function literal(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(c.charCodeAt(0));
      continue;
    }
    const next = body[++i]!;
    const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
    if (next in escapes) out.push(escapes[next]!);
    else if (/[0-7]/.test(next)) {
      const octal = body.slice(i, i + 3).match(/^[0-7]{1,3}/)![0];
      out.push(parseInt(octal, 8));
      i += octal.length - 1;
    }
  }
  return out;
}

/** Lines of text in page order, one per text-showing operator. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes);
  const lines: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const refs = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    for (const ref of refs) {
      const stream = (ref instanceof PDFRef ? doc.context.lookup(ref) : ref) as PDFRawStream;
      const filter = stream.dict.get(PDFName.of('Filter'));
      const data = Buffer.from(filter ? inflateSync(stream.contents) : stream.contents).toString('latin1');
      for (const match of data.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
        const bytesOf =
          match[1] !== undefined
            ? (match[1].replace(/\s/g, '').match(/../g) ?? []).map((h) => parseInt(h, 16))
            : literal(match[2]!);
        lines.push(decodeBytes(bytesOf));
      }
    }
  }
  return lines;
}
