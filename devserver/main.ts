// `npm run devserver` / bin/temporal-devserver. Accepts the Temporal CLI shape
// (`server start-dev --port P --ip I --namespace N --db-filename F ...`) and the Java test server
// shape (`<port>`, time skipping on). Temporary minimal parser until devserver/cli-args.ts lands.
import { DevClock } from './clock';
import { startDevServer } from './server';

function parse(argv: string[]) {
  const args = [...argv];
  if (args[0] === 'server' && args[1] === 'start-dev') args.splice(0, 2);
  const out = {
    port: 7233,
    ip: '127.0.0.1',
    namespaces: [] as string[],
    dbFile: undefined as string | undefined,
    timeSkipping: false,
  };
  if (args.length >= 1 && /^\d+$/.test(args[0])) {
    out.port = Number(args[0]);
    out.timeSkipping = true;
    return out;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port' || a === '-p') out.port = Number(value());
    else if (a === '--ip') out.ip = value();
    else if (a === '--namespace' || a === '-n') out.namespaces.push(value());
    else if (a === '--db-file' || a === '--db-filename' || a === '-f') out.dbFile = value();
    else if (a === '--time-skipping') out.timeSkipping = true;
    else if (a.startsWith('--') && args[i + 1] !== undefined && !args[i + 1].startsWith('--')) i++;
  }
  return out;
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  const server = await startDevServer({
    port: opts.port,
    ip: opts.ip,
    namespaces: ['default', ...opts.namespaces.filter((n) => n !== 'default')],
    dbFile: opts.dbFile,
    clock: new DevClock({ timeSkipping: opts.timeSkipping }),
  });
  process.stdout.write(
    `temporal devserver listening on ${server.address}${opts.dbFile ? ` (journal ${opts.dbFile})` : ' (in memory)'}${opts.timeSkipping ? ' with time skipping' : ''}\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`temporal devserver: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
