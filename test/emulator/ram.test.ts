import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { TIMING_TABLES } from '../../emulator/core/timing';
import { ramProduct } from '../../emulator/products/ram';
import { stsProduct } from '../../emulator/products/sts';
import { rpcV1, type RawResponse } from './core-signers';

const TRUST = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } }],
});
const ENI_POLICY = 'AliyunECSNetworkInterfaceManagementAccess';

describe('RAM and STS', () => {
  let emu: EmulatorHandle;
  let t = Date.UTC(2026, 5, 1);
  const ram = (action: string, params: Record<string, string> = {}): Promise<RawResponse> =>
    rpcV1(emu.url, 'POST', { Action: action, Version: '2015-05-01', ...params });
  const createRole = (name = 'fc-role', doc = TRUST) =>
    ram('CreateRole', { RoleName: name, AssumeRolePolicyDocument: doc, Description: 'for FC' });
  const attach = (name = 'fc-role', policy = ENI_POLICY, type = 'System') =>
    ram('AttachPolicyToRole', { RoleName: name, PolicyName: policy, PolicyType: type });

  before(async () => {
    emu = await startEmulator({
      port: 0,
      products: [ramProduct, stsProduct],
      clock: () => t,
      accountId: '5555000011112222',
    });
  });
  after(() => emu.close());
  beforeEach(() => emu.reset());

  it('CreateRole returns the real shape; GetRole and ListRoles find it', async () => {
    const res = await createRole();
    assert.equal(res.status, 200, res.text);
    const role = res.json.Role as Record<string, unknown>;
    assert.equal(role.RoleName, 'fc-role');
    assert.equal(role.Arn, 'acs:ram::5555000011112222:role/fc-role');
    assert.equal(role.AssumeRolePolicyDocument, TRUST);
    assert.equal(role.Description, 'for FC');
    assert.equal(role.MaxSessionDuration, 3600);
    assert.match(String(role.RoleId), /^\d{16,19}$/);
    assert.match(String(role.CreateDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await ram('GetRole', { RoleName: 'fc-role' });
    assert.equal((got.json.Role as Record<string, unknown>).RoleId, role.RoleId);
    await createRole('another');
    const list = await ram('ListRoles', { MaxItems: '1' });
    assert.equal(list.json.IsTruncated, true);
    const first = (list.json.Roles as { Role: Record<string, unknown>[] }).Role;
    assert.deepEqual(
      first.map((r) => r.RoleName),
      ['another'],
    );
    assert.equal(first[0].AssumeRolePolicyDocument, undefined);
    const next = await ram('ListRoles', { MaxItems: '1', Marker: String(list.json.Marker) });
    assert.deepEqual(
      (next.json.Roles as { Role: Record<string, unknown>[] }).Role.map((r) => r.RoleName),
      ['fc-role'],
    );
    assert.equal(next.json.IsTruncated, false);
  });

  it('refuses a duplicate role, a bad name and a malformed trust policy', async () => {
    await createRole();
    const dup = await createRole();
    assert.equal(dup.status, 409);
    assert.equal(dup.json.Code, 'EntityAlreadyExists.Role');
    assert.equal((await createRole('bad name!')).json.Code, 'InvalidParameter.RoleName.InvalidChars');
    assert.equal((await createRole('under_score')).json.Code, 'InvalidParameter.RoleName.InvalidChars');
    assert.equal((await createRole('x'.repeat(65))).json.Code, 'InvalidParameter.RoleName.Length');
    const notJson = await createRole('r1', '{');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json.Code, 'MalformedPolicyDocument');
    const noPrincipal = await createRole(
      'r2',
      JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
    );
    assert.match(String(noPrincipal.json.Message), /Statement\[0\]\.Principal/);
    const missing = await ram('CreateRole', { RoleName: 'r3' });
    assert.equal(missing.json.Code, 'MissingParameter');
    assert.match(String(missing.json.Message), /AssumeRolePolicyDocument/);
  });

  it('attaches, lists and detaches policies with the real errors', async () => {
    await createRole();
    assert.equal((await attach()).status, 200);
    const twice = await attach();
    assert.equal(twice.status, 409);
    assert.equal(twice.json.Code, 'EntityAlreadyExists.Role.Policy');
    assert.equal((await attach('nobody')).json.Code, 'EntityNotExist.Role');
    assert.equal((await attach('fc-role', 'NoSuchPolicy')).json.Code, 'EntityNotExist.Policy');
    assert.equal((await attach('fc-role', ENI_POLICY, 'Builtin')).json.Code, 'InvalidParameter.PolicyType');
    const listed = await ram('ListPoliciesForRole', { RoleName: 'fc-role' });
    const policies = (listed.json.Policies as { Policy: Record<string, unknown>[] }).Policy;
    assert.deepEqual(
      policies.map((p) => [p.PolicyName, p.PolicyType]),
      [[ENI_POLICY, 'System']],
    );
    const conflict = await ram('DeleteRole', { RoleName: 'fc-role' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json.Code, 'DeleteConflict.Role.Policy');
    const detach = { RoleName: 'fc-role', PolicyName: ENI_POLICY, PolicyType: 'System' };
    assert.equal((await ram('DetachPolicyFromRole', detach)).status, 200);
    assert.equal((await ram('DetachPolicyFromRole', detach)).json.Code, 'EntityNotExist.Role.Policy');
    assert.equal((await ram('DeleteRole', { RoleName: 'fc-role' })).status, 200);
    assert.equal((await ram('GetRole', { RoleName: 'fc-role' })).json.Code, 'EntityNotExist.Role');
    assert.equal((await ram('DeleteRole', { RoleName: 'fc-role' })).status, 404);
  });

  it('keeps the role record for FC: Propagating until ram.propagation has passed, policies in attrs', async () => {
    await createRole();
    await attach();
    const record = emu.store.get('RamRole', 'fc-role');
    assert.equal(record?.status, 'Propagating');
    assert.deepEqual(
      (record?.attrs.policies as { policyName: string }[]).map((p) => p.policyName),
      [ENI_POLICY],
    );
    t += TIMING_TABLES.fast['ram.propagation'];
    assert.equal(emu.store.get('RamRole', 'fc-role')?.status, 'Active');
  });

  it('STS GetCallerIdentity names the account', async () => {
    const res = await rpcV1(emu.url, 'POST', { Action: 'GetCallerIdentity', Version: '2015-04-01' });
    assert.equal(res.status, 200);
    assert.equal(res.json.AccountId, '5555000011112222');
    assert.equal(res.json.Arn, 'acs:ram::5555000011112222:root');
    assert.equal(res.json.IdentityType, 'Account');
    assert.ok(res.json.UserId && res.json.PrincipalId && res.json.RequestId);
  });
});
