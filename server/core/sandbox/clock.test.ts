/** The sandbox clock: durations, frozen and offset time, and what a clock setting may be. */
import { describe, expect, it } from 'vitest';
import { addDuration, clockNow, clockProblems, setClock } from './clock.ts';

describe('sandbox clock', () => {
  it('adds ISO-8601 durations, months by the calendar', () => {
    const start = new Date('2024-01-31T10:00:00Z');
    expect(addDuration(start, 'P30D').toISOString()).toBe('2024-03-01T10:00:00.000Z');
    expect(addDuration(start, 'PT1H30M').toISOString()).toBe('2024-01-31T11:30:00.000Z');
    expect(addDuration(new Date('2024-01-15T00:00:00Z'), 'P1M').toISOString()).toBe('2024-02-15T00:00:00.000Z');
    expect(addDuration(start, 'P1Y2W').toISOString()).toBe('2025-02-14T10:00:00.000Z');
    expect(() => addDuration(start, '30 days')).toThrow(RangeError);
    expect(() => addDuration(start, 'P')).toThrow(RangeError);
    for (const junk of ['xP1D', 'P1Dx', '-P1D', 'P-1D', 'P1.5M', 'P1.5DT1H'])
      expect(() => addDuration(start, junk), junk).toThrow('Not an ISO-8601 duration');
    expect(addDuration(start, 'PT1.5S').toISOString()).toBe('2024-01-31T10:00:01.500Z');
  });

  it('runs with real time shifted by an offset, or stands frozen', () => {
    const real = Date.parse('2025-06-01T00:00:00Z');
    const shifted = setClock(new Date('2030-01-01T00:00:00Z'), false, real);
    expect(clockNow(shifted, real + 5000).toISOString()).toBe('2030-01-01T00:00:05.000Z');
    const frozen = setClock(new Date('2030-01-01T00:00:00Z'), true, real);
    expect(clockNow(frozen, real + 5000).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(clockNow(setClock(addDuration(clockNow(frozen, real), 'P1D'), true, real), real + 99).toISOString()).toBe(
      '2030-01-02T00:00:00.000Z',
    );
  });

  it('names what is wrong with a clock given whole, within the years 1000 to 9000', () => {
    const real = Date.parse('2025-06-01T00:00:00Z');
    expect(clockProblems({ offsetMs: 0, frozenAt: null }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: 0, frozenAt: '9000-01-01T00:00:00Z' }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: 0, frozenAt: '9000-01-01T00:00:00.001Z' }, real)).toEqual([
      'clock.frozenAt must be within the years 1000 to 9000',
    ]);
    expect(clockProblems({ offsetMs: Date.parse('1000-01-01T00:00:00Z') - real, frozenAt: null }, real)).toEqual([]);
    expect(clockProblems({ offsetMs: Date.parse('0999-12-31T00:00:00Z') - real, frozenAt: null }, real)).toHaveLength(
      1,
    );
    expect(clockProblems({ offsetMs: 1e300, frozenAt: null }, real)).toEqual([
      'clock.offsetMs puts the clock outside the years 1000 to 9000',
    ]);
    expect(clockProblems({ offsetMs: -1e300, frozenAt: null }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: '5', frozenAt: null }, real)).toEqual([
      'clock.offsetMs must be a finite number of milliseconds',
    ]);
    expect(clockProblems({ offsetMs: 0, frozenAt: 'soon' }, real)).toEqual([
      'clock.frozenAt must be an ISO-8601 date-time (2030-01-01T00:00:00Z) or null',
    ]);
    expect(clockProblems({ offsetMs: 0, frozenAt: '2030-02-30' }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: '+010000-01-01T00:00:00Z' }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: 20 }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0 }, real)).toHaveLength(1);
    expect(clockProblems({ offsetMs: 0, frozenAt: null, speed: 2 }, real)).toEqual([
      'clock.speed is not a clock field (offsetMs, frozenAt)',
    ]);
    for (const value of [null, 'now', [], 5]) expect(clockProblems(value, real)).toHaveLength(1);
  });
});
