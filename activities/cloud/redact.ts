/**
 * The one place that scrubs credentials out of anything that may reach a log, an error or a workflow
 * history: AccessKeyIds, secrets, security tokens and signatures, whether they appear as URL/form
 * parameters, JSON fields, Authorization headers or as the literal values of loaded credentials.
 */

export const REDACTED = '<redacted>';

/** Literal credential values seen by this process (registered by credentials.ts when they load). */
const knownSecrets = new Set<string>();

/** Makes every later `redact()` replace this literal value (and its URL-encoded form). */
export function registerSecret(value: string | undefined): void {
  // Very short values would turn redaction into noise on unrelated text; real keys are long.
  if (value !== undefined && value.length >= 8) knownSecrets.add(value);
}

const SENSITIVE_NAMES = 'AccessKeyId|AccessKeySecret|SecretAccessKey|SecurityToken|Signature|x-acs-security-token';
const SENSITIVE_KEY = new RegExp(`^(${SENSITIVE_NAMES}|authorization)$`, 'i');

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // query strings and form bodies: AccessKeyId=...&Signature=...
  [new RegExp(`\\b(${SENSITIVE_NAMES})=[^&\\s"',)]*`, 'gi'), `$1=${REDACTED}`],
  // JSON: "AccessKeyId":"..."
  [new RegExp(`"(${SENSITIVE_NAMES})"(\\s*:\\s*)"[^"]*"`, 'gi'), `"$1"$2"${REDACTED}"`],
  // headers as text: x-acs-security-token: ...
  [/\b(x-acs-security-token)(\s*:\s*)\S+/gi, `$1$2${REDACTED}`],
  // ROA Authorization: acs <AccessKeyId>:<signature>
  [/\bacs\s+[^\s:"',]+:[A-Za-z0-9+/=]+/g, `acs ${REDACTED}`],
  // V3 Authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=...,Signature=hex
  [/\b(Credential)=[^,\s"']+/g, `$1=${REDACTED}`],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  for (const secret of knownSecrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.replace(new RegExp(escapeRegExp(form), 'g'), REDACTED);
    }
  }
  return out;
}

const MAX_DEPTH = 8;

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > MAX_DEPTH) return '[omitted]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (Buffer.isBuffer(value)) return redactString(value.toString('utf8'));
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  // Errors keep message/stack as own non-enumerable properties: copy them explicitly.
  const keys = new Set([...Object.keys(source), ...(value instanceof Error ? ['name', 'message', 'stack'] : [])]);
  for (const key of keys) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redactValue(source[key], depth + 1, seen);
  }
  return out;
}

/**
 * Returns a copy of `value` with credentials removed: strings are scrubbed, objects and arrays are copied
 * with every string scrubbed and sensitive keys (AccessKeyId, Signature, Authorization...) blanked.
 * Errors become plain objects carrying their name, message and stack.
 */
export function redact(value: string): string;
export function redact(value: unknown): unknown;
export function redact(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}
