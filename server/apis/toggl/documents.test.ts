/** Billing documents as PDF. */
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../suites/toggl/pdf-text.ts';
import { buildPdf } from './documents.ts';

describe('documents', () => {
  it('builds a real PDF whose text can be read back', async () => {
    const pdf = await buildPdf(
      {
        title: 'Invoice X',
        facts: [['Billed to', 'Café €']],
        lines: [['Seats × 2', '2', '1.00 EUR', '2.00 EUR']],
        totals: [['Total', '2.00 EUR']],
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfText(pdf)).toEqual([
      'Invoice X',
      'Billed to:',
      'Café €',
      'Description',
      'Quantity',
      'Unit price',
      'Amount',
      'Seats x 2',
      '2',
      '1.00 EUR',
      '2.00 EUR',
      'Total:',
      '2.00 EUR',
    ]);
  });
});
