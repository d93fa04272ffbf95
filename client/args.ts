import { parseArgs } from 'node:util';

/** Exit codes a script can rely on (also printed by --help). */
export const EXIT = {
  ok: 0,
  /** The workflow or operation failed (the message says which step and why). */
  failure: 1,
  /** Bad command line or invalid scenario config: nothing was started. */
  usage: 2,
  /** No workflow with that id. */
  notFound: 3,
  /** Temporal could not be reached (address, namespace, TLS / API key). */
  unavailable: 4,
  /** The request was refused in the workflow's current state (e.g. ticket for a run not waiting). */
  rejected: 5,
} as const;

export const SCENARIOS = ['same-region', 'cross-region'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export type Command =
  | { kind: 'help' }
  | { kind: 'start'; scenario: ScenarioName; configFile?: string; id?: string; wait: boolean; json: boolean }
  | { kind: 'status'; id: string; json: boolean }
  | { kind: 'ticket'; id: string; ticketId: string; note?: string }
  | { kind: 'teardown'; id: string; wait: boolean; json: boolean }
  | { kind: 'history'; id: string; out: string; runId?: string }
  | { kind: 'list'; json: boolean }
  | { kind: 'plan'; scenario: ScenarioName; configFile?: string; json: boolean };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `fc-apigw-vpc — provision, verify and tear down private FC → API Gateway access over a VPC

Usage:
  fc-apigw-vpc start <same-region|cross-region> [--config file] [--id workflowId] [--wait] [--json]
  fc-apigw-vpc status <workflowId> [--json]            progress, inventory and CEN ticket parameters
  fc-apigw-vpc ticket <workflowId> --ticket-id T [--note text]
                                                       report the CEN route ticket as done
  fc-apigw-vpc teardown <workflowId> [--wait] [--json] delete everything the run created
  fc-apigw-vpc history <workflowId> --out file.json [--run-id R]
                                                       export the event history (replayable in tests)
  fc-apigw-vpc list [--json]                           runs of this project, newest first
  fc-apigw-vpc plan <same-region|cross-region> [--config file] [--json]
                                                       every resource and API call, in order, none made
  fc-apigw-vpc --help

Temporal connection: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default "default"),
TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE / TOML profiles (as the temporal CLI).

Exit codes: 0 ok; 1 the workflow/operation failed; 2 usage or config error (nothing started);
3 workflow not found; 4 Temporal unreachable; 5 refused in the run's current state.`;

const OPTIONS = {
  config: { type: 'string' },
  id: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
  'ticket-id': { type: 'string' },
  note: { type: 'string' },
  out: { type: 'string' },
  'run-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** Which options each command accepts; anything else is a usage error naming the option. */
const ACCEPTED: Record<Exclude<Command['kind'], 'help'>, readonly OptionName[]> = {
  start: ['config', 'id', 'wait', 'json'],
  status: ['json'],
  ticket: ['ticket-id', 'note'],
  teardown: ['wait', 'json'],
  history: ['out', 'run-id'],
  list: ['json'],
  plan: ['config', 'json'],
};

const POSITIONALS: Record<Exclude<Command['kind'], 'help'>, readonly string[]> = {
  start: ['scenario'],
  status: ['workflowId'],
  ticket: ['workflowId'],
  teardown: ['workflowId'],
  history: ['workflowId'],
  list: [],
  plan: ['scenario'],
};

function isCommandName(name: string): name is Exclude<Command['kind'], 'help'> {
  return Object.prototype.hasOwnProperty.call(ACCEPTED, name);
}

function scenarioOf(value: string): ScenarioName {
  if ((SCENARIOS as readonly string[]).includes(value)) return value as ScenarioName;
  throw new UsageError(`unknown scenario "${value}": use one of ${SCENARIOS.join(', ')}`);
}

function nonEmpty(value: string | undefined, what: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') throw new UsageError(`${what} must not be empty`);
  return trimmed;
}

/** Parses argv (without node and script) into a command, or throws UsageError saying what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === 'help') return { kind: 'help' };
  if (!isCommandName(name)) throw new UsageError(`unknown command "${name}" (see --help)`);

  const given = (Object.keys(values) as OptionName[]).filter((key) => values[key] !== undefined);
  const refused = given.filter((key) => !ACCEPTED[name].includes(key));
  if (refused.length > 0) {
    throw new UsageError(`${name} does not take ${refused.map((key) => `--${key}`).join(', ')} (see --help)`);
  }
  const expected = POSITIONALS[name];
  if (rest.length < expected.length) {
    throw new UsageError(`${name} needs <${expected.slice(rest.length).join('> <')}> (see --help)`);
  }
  if (rest.length > expected.length) throw new UsageError(`${name}: unexpected argument "${rest[expected.length]}"`);
  const [first] = rest;
  const json = values.json ?? false;

  switch (name) {
    case 'start':
      return {
        kind: 'start',
        scenario: scenarioOf(first),
        ...(values.config !== undefined ? { configFile: nonEmpty(values.config, '--config') } : {}),
        ...(values.id !== undefined ? { id: nonEmpty(values.id, '--id') } : {}),
        wait: values.wait ?? false,
        json,
      };
    case 'status':
      return { kind: 'status', id: nonEmpty(first, 'workflow id'), json };
    case 'ticket':
      if (values['ticket-id'] === undefined) throw new UsageError('ticket needs --ticket-id <support ticket id>');
      return {
        kind: 'ticket',
        id: nonEmpty(first, 'workflow id'),
        ticketId: nonEmpty(values['ticket-id'], '--ticket-id'),
        ...(values.note !== undefined ? { note: values.note } : {}),
      };
    case 'teardown':
      return { kind: 'teardown', id: nonEmpty(first, 'workflow id'), wait: values.wait ?? false, json };
    case 'history':
      if (values.out === undefined) throw new UsageError('history needs --out <file.json>');
      return {
        kind: 'history',
        id: nonEmpty(first, 'workflow id'),
        out: nonEmpty(values.out, '--out'),
        ...(values['run-id'] !== undefined ? { runId: nonEmpty(values['run-id'], '--run-id') } : {}),
      };
    case 'list':
      return { kind: 'list', json };
    case 'plan':
      return {
        kind: 'plan',
        scenario: scenarioOf(first),
        ...(values.config !== undefined ? { configFile: nonEmpty(values.config, '--config') } : {}),
        json,
      };
  }
}
