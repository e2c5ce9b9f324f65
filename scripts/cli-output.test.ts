import { afterEach, describe, expect, it } from 'vitest';
import { paint } from './cli-output.ts';

const terminal = { isTTY: true } as NodeJS.WriteStream;
const pipe = { isTTY: false } as NodeJS.WriteStream;

describe('paint', () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  });

  it('colours on a terminal, not through a pipe; NO_COLOR and FORCE_COLOR decide first', () => {
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    expect(paint('red', 'x', terminal)).toBe('\u001b[31mx\u001b[39m');
    expect(paint('bold', 'x', terminal)).toBe('\u001b[1mx\u001b[22m');
    expect(paint('red', 'x', pipe)).toBe('x');
    process.env.FORCE_COLOR = '1';
    expect(paint('green', 'x', pipe)).toBe('\u001b[32mx\u001b[39m');
    process.env.NO_COLOR = '1';
    expect(paint('green', 'x', terminal)).toBe('x');
  });
});
