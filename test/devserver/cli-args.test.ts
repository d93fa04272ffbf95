import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDevServerArgs, usage, DevServerArgsError } from '../../devserver/cli-args';

function rejects(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseDevServerArgs(argv),
    (err: unknown) => {
      assert.ok(err instanceof DevServerArgsError, `expected DevServerArgsError for ${argv.join(' ')}`);
      assert.match(err.message, message);
      assert.ok(err.message.includes(usage()), 'error carries the usage text');
      return true;
    },
  );
}

describe('parseDevServerArgs', () => {
  test('no arguments: defaults', () => {
    assert.deepEqual(parseDevServerArgs([]), {
      help: false,
      shape: 'plain',
      ip: '127.0.0.1',
      port: 7233,
      namespaces: ['default'],
      timeSkipping: false,
      searchAttributes: {},
      dynamicConfig: {},
      logFormat: 'pretty',
      logLevel: 'info',
      headless: false,
      ignoredFlags: [],
    });
  });

  test('the exact arguments TestWorkflowEnvironment.createLocal() passes', () => {
    const argv = [
      'server',
      'start-dev',
      '--port',
      '45123',
      '--namespace',
      'default',
      '--ip',
      '127.0.0.1',
      '--log-format',
      'pretty',
      '--log-level',
      'warn',
      '--dynamic-config-value',
      'frontend.enableServerVersionCheck=false',
      '--dynamic-config-value',
      'frontend.enableUpdateWorkflowExecution=true',
      '--dynamic-config-value',
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
      '--headless',
      '--search-attribute',
      'CustomKeywordField=Keyword',
      '--search-attribute',
      'CustomIntField=Int',
    ];
    const opts = parseDevServerArgs(argv);
    assert.equal(opts.shape, 'start-dev');
    assert.equal(opts.port, 45123);
    assert.equal(opts.ip, '127.0.0.1');
    assert.deepEqual(opts.namespaces, ['default']);
    assert.equal(opts.logFormat, 'pretty');
    assert.equal(opts.logLevel, 'warn');
    assert.equal(opts.headless, true);
    assert.equal(opts.timeSkipping, false);
    assert.deepEqual(opts.dynamicConfig, {
      'frontend.enableServerVersionCheck': false,
      'frontend.enableUpdateWorkflowExecution': true,
      'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
    });
    assert.deepEqual(opts.searchAttributes, { CustomKeywordField: 'Keyword', CustomIntField: 'Int' });
  });

  test('start-dev with db file, ui port and extra namespaces', () => {
    const opts = parseDevServerArgs([
      'server',
      'start-dev',
      '--db-filename',
      '/tmp/x.db',
      '--ui-port',
      '8233',
      '-n',
      'tenant-a',
      '--namespace=tenant-b',
      '--namespace',
      'tenant-a',
    ]);
    assert.equal(opts.dbFile, '/tmp/x.db');
    assert.equal(opts.uiPort, 8233);
    assert.deepEqual(opts.namespaces, ['default', 'tenant-a', 'tenant-b']);
  });

  test('bare port: the Java test server shape used by createTimeSkipping()', () => {
    const opts = parseDevServerArgs(['40001']);
    assert.equal(opts.shape, 'test-server');
    assert.equal(opts.port, 40001);
    assert.equal(opts.timeSkipping, true);
    assert.deepEqual(opts.namespaces, ['default']);
    // Extra args given to createTimeSkipping({ server: { extraArgs } }) follow the port.
    assert.equal(parseDevServerArgs(['0', '--db-file', 'a.db']).dbFile, 'a.db');
  });

  test('our own flags, both --flag value and --flag=value', () => {
    const opts = parseDevServerArgs([
      '--port=0',
      '--ip',
      '::1',
      '--db-file=dev.db',
      '--time-skipping',
      '--log-level=DEBUG',
    ]);
    assert.equal(opts.shape, 'plain');
    assert.equal(opts.port, 0);
    assert.equal(opts.ip, '::1');
    assert.equal(opts.dbFile, 'dev.db');
    assert.equal(opts.timeSkipping, true);
    assert.equal(opts.logLevel, 'debug');
    assert.equal(parseDevServerArgs(['-p', '7000', '-f', 'x.db']).port, 7000);
    assert.equal(parseDevServerArgs(['--ip', 'localhost']).ip, 'localhost');
    assert.equal(parseDevServerArgs(['--headless=false']).headless, false);
    assert.equal(parseDevServerArgs(['--port', '1', '--port', '2']).port, 2, 'last one wins, as in the Temporal CLI');
  });

  test('--help / -h', () => {
    assert.equal(parseDevServerArgs(['--help']).help, true);
    assert.equal(parseDevServerArgs(['server', 'start-dev', '-h']).help, true);
    const text = usage();
    for (const flag of [
      '--port',
      '--ip',
      '--namespace',
      '--db-file',
      '--db-filename',
      '--search-attribute',
      '--time-skipping',
    ]) {
      assert.ok(text.includes(flag), `usage mentions ${flag}`);
    }
  });

  test('dynamic config values keep non-JSON text as strings', () => {
    const opts = parseDevServerArgs([
      '--dynamic-config-value',
      'limit.x=5',
      '--dynamic-config-value',
      'name=plain text',
      '--dynamic-config-value',
      'quoted="s"',
      '--dynamic-config-value',
      'eq=a=b',
    ]);
    assert.deepEqual(opts.dynamicConfig, { 'limit.x': 5, name: 'plain text', quoted: 's', eq: 'a=b' });
  });

  test('search attribute types are matched case-insensitively, SDK and proto spellings alike', () => {
    const opts = parseDevServerArgs([
      '--search-attribute',
      'A=keyword',
      '--search-attribute',
      'B=KEYWORD_LIST',
      '--search-attribute',
      'C=Datetime',
    ]);
    assert.deepEqual(opts.searchAttributes, { A: 'Keyword', B: 'KeywordList', C: 'Datetime' });
  });

  test('Temporal CLI flags without meaning here are accepted and reported', () => {
    const opts = parseDevServerArgs(['server', 'start-dev', '--http-port', '7243', '--metrics-port=0', '--log-config']);
    assert.deepEqual(opts.ignoredFlags, ['--http-port 7243', '--metrics-port 0', '--log-config']);
  });
});

describe('parseDevServerArgs: errors', () => {
  test('unknown flag', () => rejects(['--prot', '7233'], /Unknown flag '--prot'/));
  test('non-numeric or out-of-range port', () => {
    rejects(['--port', 'abc'], /--port must be a port number between 0 and 65535, got 'abc'/);
    rejects(['--port', '70000'], /got '70000'/);
    rejects(['--port', '-1'], /got '-1'/);
    rejects(['server', 'start-dev', '--ui-port', '12x'], /--ui-port must be a port number/);
    rejects(['99999'], /<port> must be a port number between 0 and 65535, got '99999'/);
  });
  test('missing value', () => {
    rejects(['--port'], /Flag --port needs a value <port>/);
    rejects(['--namespace', '--ip', '127.0.0.1'], /Flag --namespace needs a value <name>/);
    rejects(['--db-file='], /--db-file needs a non-empty value/);
  });
  test('bad values', () => {
    rejects(['--ip', '999.1.1.1'], /--ip must be an IPv4\/IPv6 address/);
    rejects(['--log-format', 'xml'], /--log-format must be one of pretty, json, got 'xml'/);
    rejects(['--log-level', 'verbose'], /--log-level must be one of debug, info, warn, error, never/);
    rejects(['--headless=yes'], /--headless is a switch/);
    rejects(['--dynamic-config-value', 'novalue'], /needs key=value/);
    rejects(['--search-attribute', 'X=String'], /unknown type 'String' for X; use one of Keyword, Text/);
    rejects(['--search-attribute', 'bad-name=Keyword'], /must be letters, digits and underscores/);
    rejects(['--search-attribute', '=Keyword'], /needs Name=Type/);
  });
  test('bad positionals', () => {
    rejects(['server', 'start'], /Unsupported command 'server start'/);
    rejects(['start-dev'], /Unexpected argument 'start-dev' at position 1/);
    rejects(['--port', '1', 'extra'], /Unexpected argument 'extra' at position 3/);
    rejects(['7233', '--port', '7234'], /given both as the first argument \(7233\) and with --port/);
  });
});
