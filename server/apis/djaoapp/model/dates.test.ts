/** Instants in DjaoApp requests, read as Django reads them. */
import { describe, expect, it } from 'vitest';
import { bodyInstant, parseInstant } from './dates.ts';

describe("dates (Django's parse_datetime, then parse_date)", () => {
  it('reads ISO dates and date-times, with a zone Z, +HH, +HHMM or +HH:MM, and microseconds', () => {
    expect(parseInstant('2018-03-05')).toEqual(new Date('2018-03-05T00:00:00Z'));
    expect(parseInstant('2018-3-5T7:08')).toEqual(new Date('2018-03-05T07:08:00Z'));
    expect(parseInstant('2015-07-05T07:00:00.000Z')).toEqual(new Date('2015-07-05T07:00:00Z'));
    expect(parseInstant('2018-06-01T00:00:00+02')).toEqual(new Date('2018-05-31T22:00:00Z'));
    expect(parseInstant('2018-06-01T00:00:00-0530')).toEqual(new Date('2018-06-01T05:30:00Z'));
    expect(parseInstant('2018-06-01T00:00:00.123456789+02:00')).toEqual(new Date('2018-05-31T22:00:00.123Z'));
    expect(parseInstant('0001-01-01')!.getUTCFullYear()).toBe(1);
    expect(parseInstant('2016-02-29')).toEqual(new Date('2016-02-29T00:00:00Z'));
  });

  it("reads nothing else, nor what Python's datetime cannot hold", () => {
    for (const text of [
      '',
      'now',
      '1',
      '2018',
      '2018-01',
      'Jan 1 2017',
      '2018-01-01T00:00:00 02:00',
      '2018-06-01t00:00:00z',
      '+010000-01-01',
      '10000-01-01',
      '0000-01-01',
      '2017-02-29',
      '2018-04-31',
      '2018-13-01',
      '2016-12-31T23:59:60Z',
      '2018-01-01T24:00',
      '2018-01-01T00:00:00+24:00',
      '9999-12-31T23:00:00-02:00',
    ]) {
      expect(parseInstant(text), text).toBeNull();
    }
  });

  it("a body's date-time it cannot read is 400 with DRF's message on that field", () => {
    expect(bodyInstant('created_at', '2018-06-01T00:00:00Z')).toEqual(new Date('2018-06-01T00:00:00Z'));
    expect(() => bodyInstant('created_at', '2016-12-31T23:59:60Z')).toThrow(
      expect.objectContaining({
        status: 400,
        body: {
          created_at: [
            'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
          ],
        },
      }),
    );
  });
});
