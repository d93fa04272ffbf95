import type { z } from 'zod';
import { crossFieldProblems, type ConfigProblem } from './rules';
import { runConfigSchema, type RunConfig } from './schema';

/*
 * Pure (no file system): the CLI validates before connecting, and the workflows check their input again
 * before any activity, for runs started by other clients.
 */

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
  const { config, problems } = checkRunConfig(raw);
  if (!config) throw new ConfigError(problems, source);
  return config;
}

/** Every problem of raw input (field and cross-field rules), or the valid RunConfig. */
export function checkRunConfig(raw: unknown): { config?: RunConfig; problems: ConfigProblem[] } {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) {
    const problems = crossFieldProblems(result.data);
    return problems.length > 0 ? { problems } : { config: result.data, problems };
  }
  const fieldProblems = zodProblems(result.error);
  return { problems: [...fieldProblems, ...crossFieldProblemsDespite(raw, result.error, fieldProblems)] };
}

/**
 * Field errors stop zod before the cross-field rules run; to still list every problem at once, drop the
 * offending fields (defaults take their place) and run the cross-field rules on what remains.
 */
function crossFieldProblemsDespite(raw: unknown, error: z.ZodError, already: ConfigProblem[]): ConfigProblem[] {
  // A JSON copy: raw input is JSON-shaped, and this also runs inside the workflow sandbox.
  const pruned = JSON.parse(JSON.stringify(raw ?? {})) as Record<string, unknown>;
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
