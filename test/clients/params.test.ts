import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asJson, encodeRpcParams } from '../../activities/cloud/params';

describe('RPC parameter encoding', () => {
  it('keeps scalars as strings: numbers in decimal, booleans lower-case, empty values dropped', () => {
    assert.deepEqual(
      encodeRpcParams({ VpcName: 'a b', Port: 8080, Force: true, DryRun: false, Skip: undefined, Gone: null }),
      { VpcName: 'a b', Port: '8080', Force: 'true', DryRun: 'false' },
    );
  });

  it('numbers repeat lists from 1', () => {
    assert.deepEqual(encodeRpcParams({ AccessRegionIds: ['cn-shanghai', 'cn-zhangjiakou'], VSwitchIds: [] }), {
      'AccessRegionIds.1': 'cn-shanghai',
      'AccessRegionIds.2': 'cn-zhangjiakou',
    });
  });

  it('flattens objects inside lists (Permissions.N.Field) and lists inside those (Filter.N.Value.M)', () => {
    assert.deepEqual(
      encodeRpcParams({
        Permissions: [
          { IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '192.168.0.0/24', Priority: 1 },
          { IpProtocol: 'icmp', PortRange: '-1/-1', SourceCidrIp: '10.0.0.0/8' },
        ],
        Filter: [{ Key: 'CenId', Value: ['cen-1', 'cen-2'] }],
      }),
      {
        'Permissions.1.IpProtocol': 'tcp',
        'Permissions.1.PortRange': '8080/8080',
        'Permissions.1.SourceCidrIp': '192.168.0.0/24',
        'Permissions.1.Priority': '1',
        'Permissions.2.IpProtocol': 'icmp',
        'Permissions.2.PortRange': '-1/-1',
        'Permissions.2.SourceCidrIp': '10.0.0.0/8',
        'Filter.1.Key': 'CenId',
        'Filter.1.Value.1': 'cen-1',
        'Filter.1.Value.2': 'cen-2',
      },
    );
  });

  it('sends asJson() values as one JSON string', () => {
    const config = { ServiceVpcEnable: 'TRUE', VpcConfig: { Name: 'backend' }, ServicePath: '/web/cloudapi' };
    const encoded = encodeRpcParams({ ServiceConfig: asJson(config), Ids: asJson(['i-1']) });
    assert.deepEqual(JSON.parse(encoded.ServiceConfig), config);
    assert.equal(encoded.Ids, '["i-1"]');
  });

  it('refuses a bare nested object instead of sending "[object Object]"', () => {
    assert.throws(
      () => encodeRpcParams({ RequestConfig: { RequestPath: '/' } } as never),
      /RequestConfig: a nested object must be a list item .* or a JSON string \(asJson/,
    );
  });

  it('refuses values it cannot encode, naming the parameter', () => {
    assert.throws(() => encodeRpcParams({ Port: Number.NaN }), /parameter Port: NaN is not a finite number/);
    assert.throws(() => encodeRpcParams({ Ids: ['a', undefined as never] }), /Ids\.2: list items cannot be empty/);
    assert.throws(() => encodeRpcParams({ 'Bad Name': 'x' }), /"Bad Name" is not an RPC parameter name/);
    assert.throws(() => encodeRpcParams({ When: new Date() as never }), /When: a nested object/);
  });
});
