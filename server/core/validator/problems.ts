/**
 * Bounds on what a request's problems can cost. Ajv reports every error (allErrors), so a body of 100,000 bad list
 * items has 100,000 problems: answered and journaled whole, a 300 KB request became a 4.5 MB answer and an 8 MB
 * journal entry. A client needs the first few to fix its request, and the count of the rest.
 */
import type { Problem } from './compile.ts';

/** Problems at this many places (JSON pointers) are reported; the rest are counted. */
export const MAX_PROBLEM_PLACES = 20;
/** A pointer or message longer than this is cut and marked (a body's own 1 MB key would otherwise be echoed). */
export const MAX_POINTER_CHARS = 200;
export const MAX_MESSAGE_CHARS = 500;

export interface CappedProblems {
  problems: Problem[];
  /** How many problems were found beyond those reported. */
  omitted: number;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** Places by pointer: the locations (body, query…) where a pointer names one. */
type Places = Map<string, Set<Problem['in']>>;

const has = (places: Places, p: Problem) => places.get(p.pointer)?.has(p.in) === true;
function add(places: Places, location: Problem['in'], pointer: string): void {
  const locations = places.get(pointer);
  if (locations) locations.add(location);
  else places.set(pointer, new Set([location]));
}

/** The places containing these (`/0/plan` → `/0`, ``): where an alternative's summary sits. */
function containing(places: Places): Places {
  const out: Places = new Map();
  for (const [pointer, locations] of places)
    for (let at = pointer.lastIndexOf('/'); at >= 0; at = at === 0 ? -1 : pointer.lastIndexOf('/', at - 1))
      for (const location of locations) add(out, location, pointer.slice(0, at));
  return out;
}

/**
 * The problems at the first MAX_PROBLEM_PLACES places in the order found, with those at places containing them
 * (the vendors read an alternative's summary at the parent), pointers and messages cut to a bounded length.
 */
export function capProblems(found: Problem[], maxPlaces = MAX_PROBLEM_PLACES): CappedProblems {
  let kept = found;
  if (found.length > maxPlaces) {
    const places: Places = new Map();
    let count = 0;
    for (const p of found) {
      if (count >= maxPlaces) break;
      if (!has(places, p)) count++;
      add(places, p.in, p.pointer);
    }
    const parents = containing(places);
    kept = found.filter((p) => has(places, p) || has(parents, p));
  }
  const problems = kept.map((p) =>
    p.pointer.length <= MAX_POINTER_CHARS && p.message.length <= MAX_MESSAGE_CHARS
      ? p
      : { ...p, pointer: cut(p.pointer, MAX_POINTER_CHARS), message: cut(p.message, MAX_MESSAGE_CHARS) },
  );
  return { problems, omitted: found.length - kept.length };
}
