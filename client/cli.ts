/**
 * `fc-apigw-vpc` command line (bin/fc-apigw-vpc, `npm run cli`). See `--help` and client/README.md.
 * Exit codes are in args.ts (EXIT) so scripts can rely on them.
 */
import type { Client } from '@temporalio/client';
import { ConfigError } from '../config/load';
import { EXIT, parseCommand, USAGE, UsageError } from './args';
import { CliError, prepareStart, runCommand, runPlan, startRun, type CliIo } from './commands';
import { connectClient, exitCodeForTemporalError } from './temporal';

const DEFAULT_IO: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  pollMs: 1_000,
};

async function withClient(work: (client: Client) => Promise<number>): Promise<number> {
  const connection = await connectClient().catch((error: unknown) => {
    throw new CliError(`cannot reach Temporal: ${(error as Error).message}`, EXIT.unavailable);
  });
  try {
    return await work(connection.client);
  } finally {
    await connection.close();
  }
}

export async function main(argv: readonly string[], io: CliIo = DEFAULT_IO): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.kind === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (command.kind === 'plan') return runPlan(command, io);
    if (command.kind === 'start') {
      const config = prepareStart(command);
      return await withClient((client) => startRun(client, command, config, io));
    }
    return await withClient((client) => runCommand(client, command, io));
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      io.err(`error: ${error.message}`);
      return error.exitCode;
    }
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
