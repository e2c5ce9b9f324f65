/**
 * A snapshot given to `PUT /__standin/sandboxes/{id}/state`, checked whole before anything is stored: its fields,
 * the clock, and each API's state through its plugin's validateState (how deep it nests is checked on its bytes,
 * before parsing, by the admin routes). A snapshot that fails
 * leaves the sandbox as it was; one that passes can be served, listed and snapshotted again.
 */
import type { MountedApi } from '../pipeline/mount.ts';
import { clockProblems, type ClockState } from '../sandbox/clock.ts';
import type { SandboxState } from '../sandbox/store.ts';

const STATE_FIELDS = ['clock', 'apis'];

export class SnapshotError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function apisProblems(given: Record<string, unknown>, apis: MountedApi[]): string[] {
  const served = apis.map((a) => a.plugin.name);
  const problems: string[] = [];
  const missing = served.filter((name) => !Object.hasOwn(given, name));
  if (missing.length) problems.push(`state.apis lacks ${missing.join(', ')}`);
  const unknown = Object.keys(given).filter((name) => !served.includes(name));
  if (unknown.length)
    problems.push(
      `state.apis has ${unknown.join(', ')}, which this Standin does not serve (it serves ${served.join(', ')})`,
    );
  for (const api of apis) {
    if (!Object.hasOwn(given, api.plugin.name)) continue;
    for (const problem of api.plugin.validateState?.(given[api.plugin.name]) ?? [])
      problems.push(`state.apis.${api.plugin.name}: ${problem}`);
  }
  return problems;
}

/** The sandbox state a PUT body describes (the clock kept when it has none), or a SnapshotError naming what is wrong. */
export function checkedSnapshot(body: unknown, apis: MountedApi[], currentClock: ClockState): SandboxState {
  if (!isObject(body) || !isObject(body.apis))
    throw new SnapshotError(['body must be a sandbox state: {"clock": {...}, "apis": {...}} as GET /state returns it']);
  const problems = Object.keys(body)
    .filter((key) => !STATE_FIELDS.includes(key))
    .map((key) => `state.${key} is not a field of a sandbox state (${STATE_FIELDS.join(', ')})`);
  if (body.clock !== undefined) problems.push(...clockProblems(body.clock));
  problems.push(...apisProblems(body.apis, apis));
  if (problems.length) throw new SnapshotError(problems);
  return { clock: (body.clock as ClockState | undefined) ?? currentClock, apis: body.apis };
}
