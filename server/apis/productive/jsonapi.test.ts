import { describe, expect, it } from 'vitest';
import { page, pageLinks } from './jsonapi.ts';

describe('pageLinks', () => {
  it('writes first and last always, next and prev where they exist, the other parameters kept as sent', () => {
    const query = {
      'page[number]': '2',
      'page[size]': '10',
      'filter[name]': 'Hourly & more/é',
      sort: '-name',
      include: ['company', 'updater'],
    };
    const rest = 'filter%5Bname%5D=Hourly+%26+more%2F%C3%A9&sort=-name&include=company&include=updater';
    expect(pageLinks('http://h/productive/api/v2/prices', query, page(2, 10, 35))).toEqual({
      first: `http://h/productive/api/v2/prices?page%5Bnumber%5D=1&page%5Bsize%5D=10&${rest}`,
      last: `http://h/productive/api/v2/prices?page%5Bnumber%5D=4&page%5Bsize%5D=10&${rest}`,
      next: `http://h/productive/api/v2/prices?page%5Bnumber%5D=3&page%5Bsize%5D=10&${rest}`,
      prev: `http://h/productive/api/v2/prices?page%5Bnumber%5D=1&page%5Bsize%5D=10&${rest}`,
    });
  });

  it('links an empty list to its first page as its last', () => {
    expect(pageLinks('/p', {}, page(1, 30, 0))).toEqual({
      first: '/p?page%5Bnumber%5D=1&page%5Bsize%5D=30',
      last: '/p?page%5Bnumber%5D=1&page%5Bsize%5D=30',
    });
  });
});
