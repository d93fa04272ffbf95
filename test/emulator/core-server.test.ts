import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { testProducts } from './core-fixtures';
import { AK, rpcV1, send, SECRET, v3Request } from './core-signers';

describe('emulator routing and responses', () => {
  let emu: EmulatorHandle;
  before(async () => {
    emu = await startEmulator({ port: 0, products: testProducts, defaultRegion: 'cn-hangzhou' });
  });
  after(() => emu.close());

  it('takes the region from RegionId, else a documented endpoint in Host, else the default', async () => {
    const byParam = await rpcV1(
      emu.url,
      'POST',
      { Action: 'Echo', Version: '2016-04-28', RegionId: 'cn-beijing' },
      { host: 'vpc.cn-shenzhen.aliyuncs.com' },
    );
    assert.equal(byParam.json.Region, 'cn-beijing');
    const byHost = await rpcV1(
      emu.url,
      'POST',
      { Action: 'Echo', Version: '2016-04-28' },
      { host: 'vpc.cn-shenzhen.aliyuncs.com' },
    );
    assert.equal(byHost.json.Region, 'cn-shenzhen');
    const vpcEndpoint = await rpcV1(
      emu.url,
      'POST',
      { Action: 'Echo', Version: '2016-04-28' },
      { host: 'vpc-vpc.cn-wulanchabu.aliyuncs.com' },
    );
    assert.equal(vpcEndpoint.json.Region, 'cn-wulanchabu');
    const byDefault = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' });
    assert.equal(byDefault.json.Region, 'cn-hangzhou');
  });

  it('strips protocol parameters and passes the AccessKeyId', async () => {
    const res = await rpcV1(emu.url, 'GET', {
      Action: 'Echo',
      Version: '2016-04-28',
      'Permissions.1.IpProtocol': 'tcp',
    });
    assert.deepEqual(res.json.Params, { 'Permissions.1.IpProtocol': 'tcp' });
    assert.equal(res.json.AccessKeyId, AK);
    assert.equal(res.headers['content-type'], 'application/json;charset=utf-8');
    assert.equal(res.headers['x-acs-request-id'], res.json.RequestId);
  });

  it('answers InvalidAction.NotFound (404) for an unknown action and InvalidVersion for an unknown version', async () => {
    const action = await rpcV1(emu.url, 'POST', { Action: 'DescribeNothing', Version: '2016-04-28' });
    assert.equal(action.status, 404);
    assert.equal(action.json.Code, 'InvalidAction.NotFound');
    assert.match(String(action.json.Message), /DescribeNothing/);
    const version = await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '1999-01-01' });
    assert.equal(version.status, 400);
    assert.equal(version.json.Code, 'InvalidVersion');
    assert.match(String(version.json.Message), /vpc 2016-04-28/);
    const noVersion = await rpcV1(emu.url, 'POST', { Action: 'Echo' });
    assert.equal(noVersion.json.Code, 'MissingVersion');
    const put = await v3Request(emu.url, {
      method: 'PUT',
      path: '/',
      headers: { 'x-acs-action': 'Echo', 'x-acs-version': '2016-04-28' },
    });
    assert.equal(put.status, 403);
    assert.equal(put.json.Code, 'UnsupportedHTTPMethod');
  });

  it('checks the signature before telling whether the action exists', async () => {
    const res = await rpcV1(emu.url, 'POST', { Action: 'DescribeNothing', Version: '2016-04-28' }, { secret: 'wrong' });
    assert.equal(res.json.Code, 'SignatureDoesNotMatch');
  });

  it('answers 404 for paths no product serves and for unknown ROA routes', async () => {
    const path = await rpcV1(emu.url, 'GET', { Action: 'Echo', Version: '2016-04-28' });
    assert.equal(path.status, 200);
    const other = await v3Request(emu.url, { method: 'GET', path: '/2099-01-01/things' });
    assert.equal(other.status, 404);
    assert.equal(other.json.Code, 'InvalidAction.NotFound');
    const roa = await v3Request(emu.url, { method: 'DELETE', path: '/2023-03-30/unknown/x' });
    assert.equal(roa.status, 404);
    assert.match(String(roa.json.Message), /matches no fc 2023-03-30 operation/);
  });

  it('renders product errors as {RequestId, Code, Message, HostId} with their status', async () => {
    const res = await rpcV1(emu.url, 'POST', { Action: 'Fail', Version: '2016-04-28', RegionId: 'cn-beijing' });
    assert.equal(res.status, 409);
    assert.deepEqual(Object.keys(res.json).sort(), ['Code', 'HostId', 'Message', 'RequestId']);
    assert.equal(res.json.Code, 'IncorrectStatus.Widget');
    assert.equal(res.json.HostId, 'vpc.cn-beijing.aliyuncs.com');
  });

  it('turns a product crash into a JSON InternalError (500)', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const res = await rpcV1(emu.url, 'POST', { Action: 'Crash', Version: '2016-04-28' });
      assert.equal(res.status, 500);
      assert.equal(res.json.Code, 'InternalError');
    } finally {
      console.error = original;
    }
  });

  it('answers JSON errors for malformed requests', async () => {
    const res = await send(emu.url, { method: 'GET', path: '/?Action=%ZZ' });
    assert.equal(res.status, 400);
    assert.equal(res.json.Code, 'InvalidParameter');
  });

  it('keeps secrets, signatures and parameters out of the request log', async () => {
    await rpcV1(emu.url, 'GET', { Action: 'Echo', Version: '2016-04-28', Password: 'hunter2' });
    const log = await send(emu.url, { method: 'GET', path: '/_emulator/requests' });
    assert.equal(log.status, 200);
    const entries = log.json.requests as Record<string, unknown>[];
    assert.ok(entries.length > 0);
    assert.ok(entries.some((e) => e.action === 'Echo' && e.product === 'vpc' && e.status === 200));
    for (const banned of [SECRET, 'Signature=', '"Signature"', AK, 'hunter2', 'Password', 'AccessKeyId'])
      assert.ok(!log.text.includes(banned), banned);
  });
});

describe('region listeners (regionPorts)', () => {
  it('default calls on a region port to that region and share one state', async () => {
    // A frozen clock: the test widget is scheduled to disappear, which must not happen before it is counted.
    const frozen = Date.now();
    const emu = await startEmulator({
      port: 0,
      products: testProducts,
      regionPorts: { 'cn-zhangjiakou': 0 },
      clock: () => frozen,
    });
    try {
      const zjk = emu.regionUrls['cn-zhangjiakou'];
      assert.notEqual(zjk, emu.url);
      assert.equal((await rpcV1(zjk, 'POST', { Action: 'Echo', Version: '2016-04-28' })).json.Region, 'cn-zhangjiakou');
      const explicit = await rpcV1(zjk, 'POST', { Action: 'Echo', Version: '2016-04-28', RegionId: 'cn-beijing' });
      assert.equal(explicit.json.Region, 'cn-beijing');
      assert.equal(
        (await rpcV1(emu.url, 'POST', { Action: 'Echo', Version: '2016-04-28' })).json.Region,
        'cn-shanghai',
      );
      await rpcV1(zjk, 'POST', { Action: 'CreateWidget', Version: '2016-04-28' });
      assert.equal(emu.store.list('Widget', (w) => w.region === 'cn-zhangjiakou').length, 1);
    } finally {
      await emu.close();
    }
  });

  it('refuses unknown regions and bad ports', async () => {
    await assert.rejects(startEmulator({ port: 0, regionPorts: { 'cn-nowhere': 0 } }), /not a known region/);
    await assert.rejects(startEmulator({ port: 0, regionPorts: { 'cn-beijing': 70000 } }), /0-65535/);
  });
});

describe('emulator with every product', () => {
  it('serves each product on the API version the brief names', async () => {
    const emu = await startEmulator({ port: 0 });
    try {
      const health = await send(emu.url, { method: 'GET', path: '/_emulator/health' });
      const versions = Object.fromEntries(
        (health.json.products as { name: string; version: string }[]).map((p) => [p.name, p.version]),
      );
      assert.deepEqual(versions, {
        vpc: '2016-04-28',
        ecs: '2014-05-26',
        cloudapi: '2016-07-14',
        ram: '2015-05-01',
        cbn: '2017-09-12',
        sts: '2015-04-01',
        fc: '2023-03-30',
      });
      const sts = await rpcV1(emu.url, 'POST', { Action: 'GetCallerIdentity', Version: '2015-04-01' });
      assert.equal(sts.json.AccountId, emu.accountId);
    } finally {
      await emu.close();
    }
  });
});

describe('npm run emulator (emulator/main.ts)', () => {
  it('prints its URL, serves, and exits cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
      env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_LOG_REQUESTS: '0', EMULATOR_ACCOUNT_ID: '999' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      assert.ok(url, line);
      assert.match(line, /ALIBABA_CLOUD_ENDPOINT=/);
      assert.doesNotMatch(line, /emulator-secret-do-not-use-in-production/);
      const health = await send(url, { method: 'GET', path: '/_emulator/health' });
      assert.equal(health.json.accountId, '999');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
