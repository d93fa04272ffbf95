import { inspect } from 'node:util';
import { REDACTED, registerSecret } from './redact';

export const ACCESS_KEY_ID_ENV = 'ALIBABA_CLOUD_ACCESS_KEY_ID';
export const ACCESS_KEY_SECRET_ENV = 'ALIBABA_CLOUD_ACCESS_KEY_SECRET';
export const SECURITY_TOKEN_ENV = 'ALIBABA_CLOUD_SECURITY_TOKEN';

export interface CredentialValues {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * An AccessKey pair (plus an optional STS token). Every value lives in private fields so that
 * util.inspect, JSON.stringify, structured logging or an error's properties can never reveal it;
 * every value is also registered with `redact()` so it is scrubbed if it leaks into text anyway.
 */
export class CloudCredentials {
  readonly #accessKeyId: string;
  readonly #accessKeySecret: string;
  readonly #securityToken: string | undefined;

  constructor(values: CredentialValues) {
    const id = values.accessKeyId?.trim() ?? '';
    const secret = values.accessKeySecret?.trim() ?? '';
    const token = values.securityToken?.trim() || undefined;
    if (id === '') throw new Error(`Alibaba Cloud credentials: the AccessKey id is empty (set ${ACCESS_KEY_ID_ENV})`);
    if (secret === '') {
      throw new Error(`Alibaba Cloud credentials: the AccessKey secret is empty (set ${ACCESS_KEY_SECRET_ENV})`);
    }
    this.#accessKeyId = id;
    this.#accessKeySecret = secret;
    this.#securityToken = token;
    registerSecret(id);
    registerSecret(secret);
    registerSecret(token);
  }

  get accessKeyId(): string {
    return this.#accessKeyId;
  }

  get accessKeySecret(): string {
    return this.#accessKeySecret;
  }

  get securityToken(): string | undefined {
    return this.#securityToken;
  }

  toJSON(): Record<string, string> {
    return { accessKeyId: REDACTED, accessKeySecret: REDACTED };
  }

  [inspect.custom](): string {
    return `CloudCredentials { accessKeyId: '${REDACTED}', accessKeySecret: '${REDACTED}' }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

/** Reads the credentials from the environment; a clear error names the missing variables. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudCredentials {
  const missing = [ACCESS_KEY_ID_ENV, ACCESS_KEY_SECRET_ENV].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(
      `Alibaba Cloud credentials missing: set ${missing.join(' and ')} ` +
        `(and optionally ${SECURITY_TOKEN_ENV}); for the local emulator use its key pair ` +
        `(EMULATOR_ACCESS_KEY_ID / EMULATOR_ACCESS_KEY_SECRET, see emulator/README.md)`,
    );
  }
  return new CloudCredentials({
    accessKeyId: env[ACCESS_KEY_ID_ENV] as string,
    accessKeySecret: env[ACCESS_KEY_SECRET_ENV] as string,
    securityToken: env[SECURITY_TOKEN_ENV],
  });
}
