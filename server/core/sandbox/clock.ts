/** The virtual clock of a sandbox: real time shifted by an offset, or frozen at an instant. */
export interface ClockState {
  offsetMs: number;
  frozenAt: string | null;
}

export const realTime = (): ClockState => ({ offsetMs: 0, frozenAt: null });

export function clockNow(clock: ClockState, realNow = Date.now()): Date {
  return clock.frozenAt ? new Date(clock.frozenAt) : new Date(realNow + clock.offsetMs);
}

export function setClock(to: Date, freeze: boolean, realNow = Date.now()): ClockState {
  return freeze ? { offsetMs: 0, frozenAt: to.toISOString() } : { offsetMs: to.getTime() - realNow, frozenAt: null };
}

export function advanceClock(clock: ClockState, duration: string, realNow = Date.now()): ClockState {
  const next = addDuration(clockNow(clock, realNow), duration);
  return setClock(next, clock.frozenAt !== null, realNow);
}

const durationPattern =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO-8601 duration (`P30D`, `PT2H30M`, `P1M`); years and months are calendar months, in UTC. */
export function addDuration(from: Date, duration: string): Date {
  const m = durationPattern.exec(duration);
  if (!m) throw new RangeError(`Not an ISO-8601 duration: ${duration}`);
  const [years, months, weeks, days, hours, minutes] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const seconds = Number(m[7] ?? 0);
  const date = new Date(from.getTime());
  if (years || months) date.setUTCMonth(date.getUTCMonth() + years! * 12 + months!);
  return new Date(date.getTime() + ((((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60 + seconds) * 1000);
}
