import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh high-entropy token (256 bits), URL-safe. */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** SHA-256 hex. Session tokens and API keys are random with 256 bits of entropy, so a fast hash at rest
 * is enough: nobody can guess them from the hash (argon2 is for low-entropy passwords). */
export const sha256Hex = (s: string): string => createHash('sha256').update(s).digest('hex');

export const safeEqualHex = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** API keys look like `og_<8-char prefix>_<secret>`; the prefix finds the row, the hash proves it. */
export function parseApiKey(key: string): { prefix: string; full: string } | null {
  const m = /^og_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{32,})$/.exec(key);
  return m?.[1] ? { prefix: m[1], full: key } : null;
}

export function newApiKey(): { prefix: string; key: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  return { prefix, key: `og_${prefix}_${newToken(32)}` };
}
