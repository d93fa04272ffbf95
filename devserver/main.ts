// `npm run devserver` / bin/temporal-devserver: parses the command line (devserver/cli-args.ts), starts
// the server, logs one line with its address, and exits promptly on SIGINT/SIGTERM.
import { DevClock } from './clock';
import { DevServerArgsError, parseDevServerArgs, usage } from './cli-args';
import { startDevServer } from './server';

async function main(): Promise<void> {
  const opts = parseDevServerArgs(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const quiet = opts.logLevel === 'never' || opts.logLevel === 'error';
  const log = (message: string) => {
    if (quiet) return;
    process.stderr.write(
      opts.logFormat === 'json' ? `${JSON.stringify({ level: 'warn', msg: message })}\n` : `[devserver] ${message}\n`,
    );
  };
  const server = await startDevServer({
    port: opts.port,
    ip: opts.ip,
    namespaces: opts.namespaces,
    dbFile: opts.dbFile,
    searchAttributes: opts.searchAttributes,
    clock: new DevClock({ timeSkipping: opts.timeSkipping }),
    log,
  });
  // Before the ready line: whoever waits for it may signal us at once (the SDK's test environments do).
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const mode = [opts.dbFile ? `journal ${opts.dbFile}` : 'in memory', opts.timeSkipping ? 'time skipping' : '']
    .filter(Boolean)
    .join(', ');
  process.stdout.write(`temporal devserver listening on ${server.address} (${mode})\n`);
  if (opts.ignoredFlags.length > 0)
    log(`flags accepted for compatibility, without effect: ${opts.ignoredFlags.join(' ')}`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`temporal devserver: ${message}\n`);
  process.exit(err instanceof DevServerArgsError ? 2 : 1);
});
