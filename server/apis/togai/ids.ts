/** Server-assigned ids in Togai's shapes (`account.20rqjgFJf2O.ejl25`, uuids for aliases), drawn from the state's counter. */
import type { TogaiState } from './state.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** FNV-1a over a string, as an unsigned 32-bit number. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function base62(value: number, length: number): string {
  let out = '';
  let v = Math.floor(value);
  for (let i = 0; i < length; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** `<prefix>.<11 chars>.<5 chars>` like Togai's (`purchase.20rqjgFJf2O.ejl25`), unique per sequence number. */
export function togaiId(prefix: string, sequence: number): string {
  const head = `2${base62(fnv1a(`${prefix}:${sequence}`) % 62 ** 5, 5)}${base62(sequence, 5)}`;
  const tail = base62(fnv1a(`${prefix}/${sequence}`), 5);
  return `${prefix}.${head}.${tail}`;
}

/** A version-4-shaped uuid derived from the sequence number. */
export function uuidFor(sequence: number): string {
  const hex = [0, 1, 2, 3].map((i) => fnv1a(`alias:${sequence}:${i}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function nextId(state: TogaiState, prefix: string): string {
  state.sequence += 1;
  return togaiId(prefix, state.sequence);
}

export function nextUuid(state: TogaiState): string {
  state.sequence += 1;
  return uuidFor(state.sequence);
}
