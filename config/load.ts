import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SCENARIOS, type RunConfig, type Scenario } from './schema';
import { ConfigError, validateRunConfig } from './validate';

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
