import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ConfigError,
  defaultRunConfig,
  functionRegionOf,
  loadRunConfig,
  parseDuration,
  validateRunConfig,
  type RunConfig,
} from '../../config';

function problemsOf(raw: unknown): { path: string; message: string }[] {
  try {
    validateRunConfig(raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the configuration to be rejected');
}

function pathsOf(raw: unknown): string[] {
  return problemsOf(raw).map((p) => p.path);
}

describe('run configuration defaults reproduce the runbook', () => {
  test('same-region: Shanghai, the two VPCs, backend :8080/web/cloudapi, dedicated instance, RELEASE', () => {
    const config = defaultRunConfig('same-region');
    assert.equal(config.regions.gateway, 'cn-shanghai');
    assert.equal(functionRegionOf(config), 'cn-shanghai');
    assert.equal(config.vpcs.apiAccess.name, 'vpc-api-access');
    assert.equal(config.vpcs.backend.name, 'vpc-backend-1');
    assert.equal(config.backend.port, 8080);
    assert.equal(config.backend.path, '/web/cloudapi');
    assert.equal(config.gateway.instanceSpec, 'api.s1.small');
    assert.equal(config.gateway.stageName, 'RELEASE');
    assert.equal(config.gateway.disableInternetSubdomain, true);
    assert.equal(config.function.runtime, 'python3.10');
    assert.equal(config.function.policyName, 'AliyunECSNetworkInterfaceManagementAccess');
    assert.equal(config.keepOnFailure, false);
  });

  test('cross-region: FC in Zhangjiakou with vpc-fc-access, 2 Mbit/s CEN bandwidth', () => {
    const config = defaultRunConfig('cross-region');
    assert.equal(config.regions.function, 'cn-zhangjiakou');
    assert.equal(functionRegionOf(config), 'cn-zhangjiakou');
    assert.equal(config.vpcs.fcAccess.name, 'vpc-fc-access');
    assert.ok(config.vpcs.fcAccess.vSwitch.zoneId.startsWith('cn-zhangjiakou-'));
    assert.equal(config.cen.bandwidthMbps, 2);
    assert.equal(config.ticket.autoDetect, false);
    assert.equal(config.ticket.deadline, 7 * 86_400_000);
  });

  test('the validated configuration is plain JSON (it becomes workflow input)', () => {
    const config = defaultRunConfig('cross-region');
    assert.deepEqual(JSON.parse(JSON.stringify(config)), config);
  });
});

describe('validation lists every problem with its path', () => {
  test('one bad file reports all its problems at once, field and cross-field alike', () => {
    const paths = pathsOf({
      scenario: 'cross-region',
      regions: { function: 'cn-shanghai' },
      vpcs: {
        backend: { cidr: '192.168.128.0/17' },
        fcAccess: { cidr: '10.0.0.0/16', vSwitch: { cidr: '10.1.0.0/24' } },
      },
      gateway: { instanceSpec: 'api.shared.vpc', groupName: 'has-hyphen' },
      function: { name: 'x'.repeat(65) },
      colour: 'blue',
    });
    for (const expected of [
      'regions.function',
      'vpcs.backend.cidr',
      'vpcs.fcAccess.vSwitch.cidr',
      'vpcs.fcAccess.vSwitch.zoneId',
      'gateway.instanceSpec',
      'gateway.groupName',
      'function.name',
      '',
    ]) {
      assert.ok(paths.includes(expected), `expected a problem at "${expected}", got ${JSON.stringify(paths)}`);
    }
  });

  test('a shared instance spec is refused with the runbook limit in the message', () => {
    const [problem] = problemsOf({ scenario: 'same-region', gateway: { instanceSpec: 'api.shared.vpc' } });
    assert.equal(problem.path, 'gateway.instanceSpec');
    assert.match(problem.message, /shared/);
    assert.match(problem.message, /dedicated/);
    assert.match(problem.message, /api\.s1\.small/);
  });

  test('overlapping VPC CIDRs name both VPCs', () => {
    const problems = problemsOf({
      scenario: 'same-region',
      vpcs: { backend: { cidr: '192.168.0.0/24', vSwitch: { cidr: '192.168.0.0/24' } } },
    });
    const overlap = problems.find((p) => p.path === 'vpcs.backend.cidr');
    assert.ok(overlap);
    assert.match(overlap.message, /overlaps vpcs\.apiAccess\.cidr 192\.168\.0\.0\/16/);
  });

  test('a vSwitch CIDR outside its VPC says which block to pick from', () => {
    const problems = problemsOf({
      scenario: 'same-region',
      vpcs: { apiAccess: { vSwitch: { cidr: '192.169.1.0/24' } } },
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['vpcs.apiAccess.vSwitch.cidr'],
    );
    assert.match(problems[0].message, /outside its VPC 192\.168\.0\.0\/16/);
  });

  test('same region for the cross-region scenario is refused; the same-region scenario ignores regions.function', () => {
    assert.deepEqual(
      pathsOf({
        scenario: 'cross-region',
        regions: { function: 'cn-shanghai' },
        vpcs: { fcAccess: { vSwitch: { zoneId: 'cn-shanghai-b' } } },
      }),
      ['regions.function'],
    );
    assert.doesNotThrow(() => validateRunConfig({ scenario: 'same-region', regions: { function: 'cn-shanghai' } }));
  });

  test('unknown regions are listed against the known table; malformed CIDRs and host bits are explained', () => {
    const problems = problemsOf({
      scenario: 'same-region',
      regions: { gateway: 'cn-atlantis' },
      vpcs: { apiAccess: { cidr: '192.168.1.0/16' }, backend: { cidr: 'not-a-cidr' } },
    });
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    assert.match(byPath.get('regions.gateway') ?? '', /unknown region "cn-atlantis".*cn-shanghai/);
    assert.match(byPath.get('vpcs.apiAccess.cidr') ?? '', /host bits/);
    assert.match(byPath.get('vpcs.backend.cidr') ?? '', /not an IPv4 CIDR/);
  });

  test('VPCs in the gateway egress range or outside private ranges are refused', () => {
    const paths = pathsOf({
      scenario: 'same-region',
      vpcs: {
        apiAccess: { cidr: '100.104.0.0/16', vSwitch: { cidr: '100.104.1.0/24' } },
        backend: { cidr: '8.8.0.0/16', vSwitch: { cidr: '8.8.1.0/24' } },
      },
    });
    assert.deepEqual(paths.filter((p) => p.endsWith('.cidr')).sort(), [
      'vpcs.apiAccess.cidr',
      'vpcs.apiAccess.cidr',
      'vpcs.backend.cidr',
    ]);
  });

  test('duplicate names, bad durations and unknown scenario are reported', () => {
    const paths = pathsOf({
      scenario: 'same-region',
      backend: { securityGroupName: 'sg-fc-access' },
      ticket: { deadline: 'soon' },
    });
    assert.ok(paths.includes('function.securityGroupName'));
    assert.ok(paths.includes('ticket.deadline'));
    assert.deepEqual(pathsOf({ scenario: 'sideways' }), ['scenario']);
  });

  test('messages say what, where and how to fix', () => {
    try {
      validateRunConfig({ scenario: 'same-region', gateway: { zoneId: 'cn-hangzhou-b' } });
      assert.fail('expected rejection');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.match(
        err.message,
        /gateway\.zoneId: zone "cn-hangzhou-b" is not in the gateway region cn-shanghai; use a cn-shanghai-\* zone/,
      );
    }
  });
});

describe('loadRunConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('YAML overrides keep the other defaults; durations become milliseconds', () => {
    const file = join(dir, 'run.yaml');
    writeFileSync(file, 'backend:\n  port: 9090\nticket:\n  reminderInterval: 90s\n  autoDetect: true\n');
    const config: RunConfig = loadRunConfig('cross-region', file);
    assert.equal(config.backend.port, 9090);
    assert.equal(config.backend.path, '/web/cloudapi');
    assert.equal(config.ticket.reminderInterval, 90_000);
    assert.equal(config.ticket.autoDetect, true);
  });

  test('JSON file with problems names the file and every problem', () => {
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ backend: { port: 70000 }, cen: { bandwidthMbps: 0 } }));
    assert.throws(
      () => loadRunConfig('cross-region', file),
      (err: unknown) => err instanceof ConfigError && err.message.includes(file) && err.problems.length === 2,
    );
  });

  test('a scenario in the file must agree with the one asked for; unreadable and malformed files are explained', () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ scenario: 'same-region' }));
    assert.throws(() => loadRunConfig('cross-region', file), /the file says "same-region"/);
    assert.throws(() => loadRunConfig('cross-region', join(dir, 'missing.yaml')), /cannot read/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    assert.throws(() => loadRunConfig('same-region', broken), /not valid \.json/);
    assert.throws(() => loadRunConfig('diagonal'), /unknown scenario "diagonal"/);
  });
});

test('parseDuration', () => {
  assert.equal(parseDuration('6h'), 21_600_000);
  assert.equal(parseDuration('1.5m'), 90_000);
  assert.equal(parseDuration(250), 250);
  assert.equal(parseDuration('tomorrow'), undefined);
  assert.equal(parseDuration(-1), undefined);
});
