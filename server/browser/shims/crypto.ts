/** node:crypto in the browser, as far as the core uses it: SHA-256 digests (cache names) and random ids. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`createHash: only sha256 in the browser, not ${algorithm}`);
  const hash = sha256.create();
  const digest = {
    update(part: string) {
      hash.update(utf8ToBytes(part));
      return digest;
    },
    digest: (encoding: string) => {
      if (encoding !== 'hex') throw new Error(`digest: only hex in the browser, not ${encoding}`);
      return bytesToHex(hash.digest());
    },
  };
  return digest;
}

export const randomUUID = () => globalThis.crypto.randomUUID();
