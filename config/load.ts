import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { crossFieldProblems, type ConfigProblem } from './rules';
import { runConfigSchema, SCENARIOS, type RunConfig, type Scenario } from './schema';

/** Thrown before any cloud call when a run configuration is invalid; lists every problem with its path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: ConfigProblem[],
    source: string,
  ) {
    super(
      `Invalid run configuration (${source}), ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    );
  }
}

function zodProblems(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; check the spelling` };
    }
    return { path, message: issue.message };
  });
}

/** Validates raw input (already parsed JSON/YAML) into a RunConfig, or throws ConfigError with every problem. */
export function validateRunConfig(raw: unknown, source = 'input'): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) {
    const problems = crossFieldProblems(result.data);
    if (problems.length > 0) throw new ConfigError(problems, source);
    return result.data;
  }
  const fieldProblems = zodProblems(result.error);
  throw new ConfigError([...fieldProblems, ...crossFieldProblemsDespite(raw, result.error, fieldProblems)], source);
}

/**
 * Field errors stop zod before the cross-field rules run; to still list every problem at once, drop the
 * offending fields (defaults take their place) and run the cross-field rules on what remains.
 */
function crossFieldProblemsDespite(raw: unknown, error: z.ZodError, already: ConfigProblem[]): ConfigProblem[] {
  const pruned = structuredClone(raw) as Record<string, unknown>;
  for (const issue of error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const path of keys) deletePath(pruned, path);
  }
  const retry = runConfigSchema.safeParse(pruned);
  if (!retry.success) return [];
  const reported = new Set(already.map((p) => p.path));
  return crossFieldProblems(retry.data).filter((p) => !reported.has(p.path));
}

function deletePath(root: unknown, path: readonly PropertyKey[]): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof node !== 'object' || node === null) return;
    node = (node as Record<PropertyKey, unknown>)[path[i]];
  }
  if (typeof node === 'object' && node !== null && path.length > 0) {
    delete (node as Record<PropertyKey, unknown>)[path[path.length - 1]];
  }
}

/** The runbook's configuration for a scenario. */
export function defaultRunConfig(scenario: Scenario): RunConfig {
  return validateRunConfig({ scenario }, `defaults for ${scenario}`);
}

export function parseScenario(value: string): Scenario {
  if ((SCENARIOS as readonly string[]).includes(value)) return value as Scenario;
  throw new ConfigError(
    [{ path: 'scenario', message: `unknown scenario "${value}"; use ${SCENARIOS.join(' or ')}` }],
    'arguments',
  );
}

/**
 * Defaults for `scenario`, overridden by a JSON or YAML file (YAML is a superset of JSON, so any
 * extension other than .json is read as YAML). A `scenario` field in the file must agree.
 */
export function loadRunConfig(scenario: Scenario | string, file?: string): RunConfig {
  const chosen = parseScenario(scenario);
  if (file === undefined) return defaultRunConfig(chosen);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot read ${file}: ${(err as Error).message}` }], file);
  }
  let overrides: unknown;
  try {
    overrides = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      [{ path: '', message: `not valid ${extname(file) || 'YAML'}: ${(err as Error).message}` }],
      file,
    );
  }
  overrides ??= {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError([{ path: '', message: 'the file must hold an object of overrides' }], file);
  }
  const fileScenario = (overrides as { scenario?: unknown }).scenario;
  if (fileScenario !== undefined && fileScenario !== chosen) {
    throw new ConfigError(
      [
        {
          path: 'scenario',
          message: `the file says "${String(fileScenario)}" but the run asks for "${chosen}"; remove it or make them agree`,
        },
      ],
      file,
    );
  }
  return validateRunConfig({ ...overrides, scenario: chosen }, file);
}
