/**
 * Command-line arguments of `bin/temporal-devserver` / `npm run devserver`.
 *
 * Three shapes are accepted, so the SDK's own test environments can spawn this server in place of the
 * binaries they normally download:
 *   1. `server start-dev --port 7233 --namespace default ...` — what `TestWorkflowEnvironment.createLocal()`
 *      passes (the Temporal CLI's shape), including its `--dynamic-config-value`, `--search-attribute`, ...
 *   2. `<port> [flags]` — what `createTimeSkipping()` passes (the Java test server's shape); selects
 *      time-skipping mode.
 *   3. Our own flags without a subcommand: `--port`, `--ip`, `--namespace`, `--db-file`, `--time-skipping`.
 * Every flag is valid in every shape; the shapes differ only in their leading positionals.
 */
import { isIP } from 'node:net';
import { SEARCH_ATTRIBUTE_TYPES, type SearchAttributeType } from './visibility-query';

export const LOG_FORMATS = ['pretty', 'json'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'never'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DevServerCliOptions {
  /** `--help` was given: print `usage()` and exit 0 without starting. */
  help: boolean;
  /** Which argument shape was used (see module comment). */
  shape: 'start-dev' | 'test-server' | 'plain';
  ip: string;
  port: number;
  /** Namespaces to register; always includes `default`, like the Temporal CLI. */
  namespaces: string[];
  /** Journal file; undefined = in memory. */
  dbFile?: string;
  /** Java test server semantics: virtual clock driven through TestService. */
  timeSkipping: boolean;
  /** Custom search attributes to pre-register in every namespace (`--search-attribute Name=Type`). */
  searchAttributes: Record<string, SearchAttributeType>;
  /** `--dynamic-config-value k=v`; values parsed as JSON when they are JSON (true, 5, "x"), else kept as strings. */
  dynamicConfig: Record<string, unknown>;
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** There is no web UI; these are recorded so the server can say they have no effect. */
  headless: boolean;
  uiPort?: number;
  /** Temporal CLI flags accepted for compatibility that change nothing here, as given (e.g. `--http-port 7243`). */
  ignoredFlags: string[];
}

export class DevServerArgsError extends Error {
  constructor(problem: string) {
    super(`${problem}\n\n${usage()}`);
    this.name = 'DevServerArgsError';
  }
}

export const DEFAULT_IP = '127.0.0.1';
export const DEFAULT_PORT = 7233;
export const DEFAULT_NAMESPACE = 'default';

type Apply = (opts: DevServerCliOptions, value: string, flag: string) => void;

interface FlagSpec {
  names: string[];
  /** Placeholder shown in usage; absent for boolean switches. */
  value?: string;
  help: string;
  apply: Apply;
  /** Listed under "accepted for Temporal CLI compatibility" in usage. */
  compatOnly?: boolean;
}

const ignore: Apply = (opts, value, flag) => opts.ignoredFlags.push(value === 'true' ? flag : `${flag} ${value}`);

const FLAGS: FlagSpec[] = [
  {
    names: ['--port', '-p'],
    value: '<port>',
    help: `gRPC port (default ${DEFAULT_PORT}; 0 = any free port)`,
    apply: (o, v, f) => (o.port = parsePort(v, f)),
  },
  {
    names: ['--ip'],
    value: '<ip>',
    help: `address to listen on (default ${DEFAULT_IP})`,
    apply: (o, v, f) => (o.ip = parseIp(v, f)),
  },
  {
    names: ['--namespace', '-n'],
    value: '<name>',
    help: `namespace to register, repeatable ('${DEFAULT_NAMESPACE}' is always registered)`,
    apply: (o, v, f) => addNamespace(o, v, f),
  },
  {
    names: ['--db-file', '--db-filename', '-f'],
    value: '<file>',
    help: 'journal file for durable state (default: in memory, lost on exit)',
    apply: (o, v, f) => (o.dbFile = nonEmpty(v, f)),
  },
  {
    names: ['--time-skipping'],
    help: 'start with a virtual clock driven by the SDK time-skipping TestService (implied by the bare <port> form)',
    apply: (o, v, f) => (o.timeSkipping = parseBool(v, f)),
  },
  {
    names: ['--search-attribute'],
    value: '<Name=Type>',
    help: `register a custom search attribute, repeatable; Type is one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`,
    apply: (o, v, f) => addSearchAttribute(o, v, f),
  },
  {
    names: ['--dynamic-config-value'],
    value: '<key=value>',
    help: 'Temporal dynamic config, repeatable; accepted and recorded',
    apply: (o, v, f) => addDynamicConfig(o, v, f),
  },
  {
    names: ['--log-format'],
    value: `<${LOG_FORMATS.join('|')}>`,
    help: 'log output format (default pretty)',
    apply: (o, v, f) => (o.logFormat = oneOf(LOG_FORMATS, v, f)),
  },
  {
    names: ['--log-level'],
    value: `<${LOG_LEVELS.join('|')}>`,
    help: 'minimum level logged (default info)',
    apply: (o, v, f) => (o.logLevel = oneOf(LOG_LEVELS, v, f)),
  },
  {
    names: ['--headless'],
    help: 'no web UI (there never is one; accepted for compatibility)',
    apply: (o, v, f) => (o.headless = parseBool(v, f)),
  },
  {
    names: ['--ui-port'],
    value: '<port>',
    help: 'web UI port (no UI is served; accepted for compatibility)',
    apply: (o, v, f) => (o.uiPort = parsePort(v, f)),
  },
  { names: ['--help', '-h'], help: 'print this help and exit', apply: (o, v, f) => (o.help = parseBool(v, f)) },
  ...['--http-port', '--metrics-port', '--ui-ip', '--ui-public-path', '--ui-asset-path', '--ui-codec-endpoint'].map(
    (name): FlagSpec => ({ names: [name], value: '<value>', help: '', apply: ignore, compatOnly: true }),
  ),
  ...['--sqlite-pragma', '--log-time-format', '--env', '--config-file', '--profile'].map((name): FlagSpec => ({
    names: [name],
    value: '<value>',
    help: '',
    apply: ignore,
    compatOnly: true,
  })),
  ...['--log-config', '--no-json-shorthand-payloads'].map((name): FlagSpec => ({
    names: [name],
    help: '',
    apply: ignore,
    compatOnly: true,
  })),
];

const FLAG_BY_NAME = new Map(FLAGS.flatMap((spec) => spec.names.map((n) => [n, spec] as const)));

function defaults(): DevServerCliOptions {
  return {
    help: false,
    shape: 'plain',
    ip: DEFAULT_IP,
    port: DEFAULT_PORT,
    namespaces: [DEFAULT_NAMESPACE],
    timeSkipping: false,
    searchAttributes: {},
    dynamicConfig: {},
    logFormat: 'pretty',
    logLevel: 'info',
    headless: false,
    ignoredFlags: [],
  };
}

/** Parses process arguments (without node and script path, i.e. `process.argv.slice(2)`). */
export function parseDevServerArgs(argv: string[]): DevServerCliOptions {
  const opts = defaults();
  let i = 0;
  if (argv[0] === 'server') {
    if (argv[1] !== 'start-dev') {
      throw new DevServerArgsError(
        `Unsupported command 'server ${argv[1] ?? ''}'. Only 'server start-dev' is implemented by this devserver.`,
      );
    }
    opts.shape = 'start-dev';
    i = 2;
  } else if (argv[0] !== undefined && /^\d+$/.test(argv[0])) {
    opts.shape = 'test-server';
    opts.port = parsePort(argv[0], '<port>');
    opts.timeSkipping = true;
    i = 1;
  }
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-' || arg === '--') {
      throw new DevServerArgsError(
        `Unexpected argument '${arg}' at position ${i + 1}. ` +
          `Positional arguments are only 'server start-dev' or a bare port as the first argument.`,
      );
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = FLAG_BY_NAME.get(name);
    if (!spec) throw new DevServerArgsError(`Unknown flag '${name}'.`);
    let value: string;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (spec.value) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && !/^-\d/.test(next))) {
        throw new DevServerArgsError(`Flag ${name} needs a value ${spec.value}.`);
      }
      value = next;
      i++;
    } else {
      value = 'true';
    }
    spec.apply(opts, value, name);
  }
  if (opts.shape === 'test-server' && argv.slice(1).some((a) => /^(--port|-p)(=|$)/.test(a))) {
    throw new DevServerArgsError(
      `The port is given both as the first argument (${argv[0]}) and with --port; give it once.`,
    );
  }
  return opts;
}

export function usage(): string {
  const line = (spec: FlagSpec) =>
    `  ${`${spec.names.join(', ')}${spec.value ? ` ${spec.value}` : ''}`.padEnd(44)} ${spec.help}`;
  const compat = FLAGS.filter((f) => f.compatOnly).map((f) => f.names[0]);
  return [
    'Usage:',
    '  temporal-devserver [flags]                      (npm run devserver -- [flags])',
    '  temporal-devserver server start-dev [flags]     Temporal CLI shape, used by TestWorkflowEnvironment.createLocal()',
    '  temporal-devserver <port> [flags]               Java test server shape, used by createTimeSkipping(); implies --time-skipping',
    '',
    'Flags (--flag value or --flag=value):',
    ...FLAGS.filter((f) => !f.compatOnly).map(line),
    '',
    `Accepted for Temporal CLI compatibility, no effect: ${compat.join(', ')}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Value parsers: each names the flag and the expected form in its error.

function parsePort(value: string, flag: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new DevServerArgsError(`${flag} must be a port number between 0 and 65535, got '${value}'.`);
  }
  return port;
}

function parseIp(value: string, flag: string): string {
  if (isIP(value) === 0 && value !== 'localhost') {
    throw new DevServerArgsError(`${flag} must be an IPv4/IPv6 address or 'localhost', got '${value}'.`);
  }
  return value;
}

function parseBool(value: string, flag: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new DevServerArgsError(`${flag} is a switch; use ${flag} or ${flag}=true|false, got '${value}'.`);
}

function nonEmpty(value: string, flag: string): string {
  if (value.trim() === '') throw new DevServerArgsError(`${flag} needs a non-empty value.`);
  return value;
}

function oneOf<T extends string>(allowed: readonly T[], value: string, flag: string): T {
  const found = allowed.find((a) => a === value.toLowerCase());
  if (!found) throw new DevServerArgsError(`${flag} must be one of ${allowed.join(', ')}, got '${value}'.`);
  return found;
}

function keyValue(value: string, flag: string, form: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new DevServerArgsError(`${flag} needs ${form}, got '${value}'.`);
  return [value.slice(0, eq).trim(), value.slice(eq + 1).trim()];
}

function addNamespace(opts: DevServerCliOptions, value: string, flag: string): void {
  const name = nonEmpty(value, flag);
  if (!opts.namespaces.includes(name)) opts.namespaces.push(name);
}

function addDynamicConfig(opts: DevServerCliOptions, value: string, flag: string): void {
  const [key, raw] = keyValue(value, flag, 'key=value, e.g. frontend.enableUpdateWorkflowExecution=true');
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string value, as the Temporal CLI also accepts.
  }
  opts.dynamicConfig[key] = parsed;
}

function addSearchAttribute(opts: DevServerCliOptions, value: string, flag: string): void {
  const [name, type] = keyValue(value, flag, `Name=Type with Type one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new DevServerArgsError(`${flag}: search attribute name '${name}' must be letters, digits and underscores.`);
  }
  const normalized = type.replace(/_/g, '').toLowerCase();
  const kind = SEARCH_ATTRIBUTE_TYPES.find((t) => t.toLowerCase() === normalized);
  if (!kind) {
    throw new DevServerArgsError(
      `${flag}: unknown type '${type}' for ${name}; use one of ${SEARCH_ATTRIBUTE_TYPES.join(', ')}.`,
    );
  }
  opts.searchAttributes[name] = kind;
}
