import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemporalSettings } from '../../worker/temporal-config';

/**
 * The worker and the CLI connect with the settings @temporalio/envconfig reads (the same variables and TOML
 * profiles as the `temporal` CLI): local defaults, Temporal Cloud API key, mTLS files, a named profile.
 */

const dir = mkdtempSync(join(tmpdir(), 'temporal-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadTemporalSettings', () => {
  it('defaults to the local server and the default namespace, without TLS', () => {
    assert.deepEqual(loadTemporalSettings({}), { address: '127.0.0.1:7233', namespace: 'default' });
  });

  it('takes address, namespace and an API key from the environment; an API key turns TLS on', () => {
    const settings = loadTemporalSettings({
      TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my-ns.a1b2c',
      TEMPORAL_API_KEY: 'api-key-1',
    });
    assert.equal(settings.address, 'my-ns.a1b2c.tmprl.cloud:7233');
    assert.equal(settings.namespace, 'my-ns.a1b2c');
    assert.equal(settings.apiKey, 'api-key-1');
    assert.equal(settings.tls, true);
  });

  it('reads the mTLS client certificate and key files named by TEMPORAL_TLS_*', () => {
    const settings = loadTemporalSettings({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: file('client.pem', 'CERT-BYTES'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: file('client.key', 'KEY-BYTES'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.example',
    });
    const tls = settings.tls;
    assert.ok(tls && typeof tls === 'object', `expected TLS options, got ${String(tls)}`);
    assert.equal(tls.serverNameOverride, 'temporal.example');
    assert.equal(Buffer.from(tls.clientCertPair?.crt ?? []).toString(), 'CERT-BYTES');
    assert.equal(Buffer.from(tls.clientCertPair?.key ?? []).toString(), 'KEY-BYTES');
    assert.equal(settings.apiKey, undefined);
  });

  it('uses the TOML profile named by TEMPORAL_PROFILE, gRPC metadata included', () => {
    const config = file(
      'temporal.toml',
      [
        '[profile.cloud]',
        'address = "prod.a1b2c.tmprl.cloud:7233"',
        'namespace = "prod.a1b2c"',
        'api_key = "key-from-profile"',
        '[profile.cloud.grpc_meta]',
        'x-team = "platform"',
        '',
      ].join('\n'),
    );
    assert.deepEqual(loadTemporalSettings({ TEMPORAL_CONFIG_FILE: config, TEMPORAL_PROFILE: 'cloud' }), {
      address: 'prod.a1b2c.tmprl.cloud:7233',
      namespace: 'prod.a1b2c',
      tls: true,
      apiKey: 'key-from-profile',
      metadata: { 'x-team': 'platform' },
    });
  });
});
