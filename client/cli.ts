/**
 * `fc-apigw-vpc` command line (bin/fc-apigw-vpc, `npm run cli`). See `--help` and client/README.md.
 * Exit codes are in args.ts (EXIT) so scripts can rely on them. The Temporal client, the config schema
 * and the workflow definitions load only for commands that need them: `--help` and usage errors stay fast.
 */
import type { Client } from '@temporalio/client';
import { EXIT, parseCommand, USAGE, UsageError } from './args';
import type { CliIo } from './commands';

const DEFAULT_IO: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  pollMs: 1_000,
};

// Synchronous lazy loading: works under both `tsx` and the bin's `tsx/cjs` require hook.
const loadCommands = (): typeof import('./commands') => require('./commands');
const loadTemporal = (): typeof import('./temporal') => require('./temporal');

async function withClient(work: (client: Client) => Promise<number>): Promise<number> {
  const { connectClient } = loadTemporal();
  const { CliError } = loadCommands();
  const connection = await connectClient().catch((error: unknown) => {
    throw new CliError(`cannot reach Temporal: ${(error as Error).message}`, EXIT.unavailable);
  });
  try {
    return await work(connection.client);
  } finally {
    await connection.close();
  }
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCommand(argv);
  if (command.kind === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  const commands = loadCommands();
  if (command.kind === 'plan') return commands.runPlan(command, io);
  if (command.kind === 'start') {
    const config = commands.prepareStart(command);
    return withClient((client) => commands.startRun(client, command, config, io));
  }
  return withClient((client) => commands.runCommand(client, command, io));
}

export async function main(argv: readonly string[], io: CliIo = DEFAULT_IO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    // ConfigError (config/load.ts) lists every problem with its path; matched by name to keep config lazy.
    if (error instanceof Error && error.name === 'ConfigError') {
      io.err(error.message);
      return EXIT.usage;
    }
    const { CliError } = loadCommands();
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      return error.exitCode;
    }
    const { exitCodeForTemporalError } = loadTemporal();
    const code = exitCodeForTemporalError(error);
    const message = error instanceof Error ? error.message : String(error);
    io.err(`error: ${code === EXIT.notFound ? `not found: ${message}` : message}`);
    return code;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
