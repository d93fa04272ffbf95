import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand, UsageError } from '../../client/args';

function usageError(argv: string[], pattern: RegExp): void {
  assert.throws(
    () => parseCommand(argv),
    (error: unknown) => error instanceof UsageError && pattern.test(error.message),
  );
}

describe('parseCommand', () => {
  it('parses start with every option', () => {
    assert.deepEqual(parseCommand(['start', 'cross-region', '--config', 'c.yaml', '--id', 'run-1', '--wait']), {
      kind: 'start',
      scenario: 'cross-region',
      configFile: 'c.yaml',
      id: 'run-1',
      wait: true,
      json: false,
    });
  });

  it('parses the other commands', () => {
    assert.deepEqual(parseCommand(['status', 'w1']), { kind: 'status', id: 'w1', json: false });
    assert.deepEqual(parseCommand(['ticket', 'w1', '--ticket-id', 'T-9', '--note', 'done by desk']), {
      kind: 'ticket',
      id: 'w1',
      ticketId: 'T-9',
      note: 'done by desk',
    });
    assert.deepEqual(parseCommand(['teardown', 'w1', '--wait']), {
      kind: 'teardown',
      id: 'w1',
      wait: true,
      json: false,
    });
    assert.deepEqual(parseCommand(['history', 'w1', '--out', 'h.json']), { kind: 'history', id: 'w1', out: 'h.json' });
    assert.deepEqual(parseCommand(['list', '--json']), { kind: 'list', json: true });
    assert.deepEqual(parseCommand(['plan', 'same-region']), { kind: 'plan', scenario: 'same-region', json: false });
  });

  it('treats no arguments, help and --help as help', () => {
    for (const argv of [[], ['help'], ['--help'], ['start', '-h']])
      assert.deepEqual(parseCommand(argv), { kind: 'help' });
  });

  it('names what is wrong', () => {
    usageError(['deploy'], /unknown command "deploy"/);
    usageError(['start', 'moon-region'], /unknown scenario "moon-region".*same-region, cross-region/);
    usageError(['start'], /start needs <scenario>/);
    usageError(['status'], /status needs <workflowId>/);
    usageError(['status', 'a', 'b'], /unexpected argument "b"/);
    usageError(['ticket', 'w1'], /--ticket-id/);
    usageError(['ticket', 'w1', '--ticket-id', '  '], /--ticket-id must not be empty/);
    usageError(['history', 'w1'], /--out/);
    usageError(['status', 'w1', '--wait'], /status does not take --wait/);
    usageError(['start', 'same-region', '--bogus'], /bogus/);
    usageError(['start', 'same-region', '--config'], /config/);
  });
});
