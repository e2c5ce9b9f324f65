import { describe, expect, it } from 'vitest';
import { parseGroupBuyCsv } from './cart.ts';

describe('parseGroupBuyCsv', () => {
  it('reads first_name,last_name,email lines, trimmed, quoted fields with commas and doubled quotes', () => {
    const csv = '\ufeffBob,Ross,bob@example.com\r\n\r\n "Ross, Jr." , "O""Hara" , jr@example.com \n';
    expect(parseGroupBuyCsv(csv)).toEqual({
      people: [
        { first_name: 'Bob', last_name: 'Ross', email: 'bob@example.com' },
        { first_name: 'Ross, Jr.', last_name: 'O"Hara', email: 'jr@example.com' },
      ],
      failed: [],
    });
  });

  it('puts a line with another number of fields, a bad address or broken quotes among the failed, the others read on', () => {
    const { people, failed } = parseGroupBuyCsv(
      'a,b,c@example.com,extra\nAnn,Lee,not-an-address\n"unclosed,x,y\nAnn,Lee,ann@example.com',
    );
    expect(people).toEqual([{ first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com' }]);
    expect(failed).toEqual([
      { first_name: 'a', last_name: 'b', email: 'c@example.com' },
      { first_name: 'Ann', last_name: 'Lee', email: 'not-an-address' },
      { first_name: '"unclosed,x,y', last_name: '', email: '' },
    ]);
  });
});
