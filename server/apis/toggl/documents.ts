/** PDF documents (invoices, payment receipts, purchase orders) built with pdf-lib from the store's records. */

export interface DocumentSection {
  title: string;
  /** Header facts, label → value, printed in order. */
  facts: [string, string][];
  /** Table rows: description, quantity, unit price, amount (already formatted). */
  lines?: [string, string, string, string][];
  /** Totals, label → value. */
  totals: [string, string][];
  footer?: string[];
}

/** WinAnsi (the standard fonts' encoding) cannot show every character; keep what it can. */
export function printable(value: string): string {
  return value.replace(/×/g, 'x').replace(/[^\x20-\x7e\u00a0-\u00ff€]/g, '?');
}

/**
 * A one-page A4 PDF: title, facts, line table and totals, in Helvetica. `when` becomes the document's creation and
 * modification dates, so the same record always gives the same bytes.
 */
export async function buildPdf(doc: DocumentSection, when: Date, author = 'Toggl'): Promise<Buffer> {
  // pdf-lib (some 170 modules) is loaded by the first document, not by every start.
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(printable(doc.title));
  pdf.setAuthor(author);
  pdf.setProducer('Standin (pdf-lib)');
  pdf.setCreator('Standin Toggl mock');
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 790;
  const write = (value: string, x: number, size = 10, font = regular) =>
    page.drawText(printable(value), { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  write(doc.title, 50, 20, bold);
  y -= 34;
  for (const [label, value] of doc.facts) {
    write(`${label}:`, 50, 10, bold);
    write(value, 190, 10);
    y -= 15;
  }
  if (doc.lines?.length) {
    y -= 12;
    const columns = [50, 330, 400, 480];
    ['Description', 'Quantity', 'Unit price', 'Amount'].forEach((h, i) => write(h, columns[i]!, 10, bold));
    y -= 15;
    for (const row of doc.lines) {
      row.forEach((cell, i) => write(cell, columns[i]!, 10));
      y -= 15;
    }
  }
  y -= 12;
  for (const [label, value] of doc.totals) {
    write(`${label}:`, 330, 11, bold);
    write(value, 450, 11, label.toLowerCase().startsWith('total') ? bold : regular);
    y -= 16;
  }
  y -= 20;
  for (const line of doc.footer ?? []) {
    write(line, 50, 8);
    y -= 11;
  }
  return Buffer.from(await pdf.save());
}
