import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `${prefix}` + 22 lower-case alphanumerics, like `vpc-uf6f7l4fg90oxnq0hbxyz`. */
export function newId(prefix: string, length = 22): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Request ids look like Alibaba's: upper-case UUIDs. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
