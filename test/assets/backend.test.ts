import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backendUserData, backendUserDataBase64 } from '../../activities/assets';

const SERVICE = join(__dirname, '../../activities/assets/backend/service.py');

let child: ChildProcess;
let baseUrl: string;

before(async () => {
  child = spawn('python3', [SERVICE], {
    env: { ...process.env, PORT: '0', BIND: '127.0.0.1', API_PATH: '/web/cloudapi' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    child.once('exit', (code) => reject(new Error(`service exited early with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
  });
  baseUrl = `http://127.0.0.1:${port}`;
});

after(() => {
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
});

describe('ECS backend service (python3)', () => {
  it('answers GET /web/cloudapi with JSON', async () => {
    const response = await fetch(`${baseUrl}/web/cloudapi?x=1`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { path: string; message: string };
    assert.equal(body.path, '/web/cloudapi');
    assert.match(body.message, /backend/);
  });

  it('answers other paths with 404', async () => {
    const response = await fetch(`${baseUrl}/other`);
    assert.equal(response.status, 404);
  });
});

describe('backend UserData', () => {
  it('is a valid shell script that embeds the service verbatim with the chosen port and path', async () => {
    const script = backendUserData({ port: 8080, path: '/web/cloudapi' });
    assert.ok(script.startsWith('#!/bin/bash\n'));
    assert.ok(script.includes(readFileSync(SERVICE, 'utf8').trimEnd()));
    assert.doesNotMatch(script, /__(SERVICE_PY|PORT|API_PATH)__/, 'no placeholder left');
    assert.match(script, /PORT=8080/);
    const dir = mkdtempSync(join(tmpdir(), 'userdata-'));
    try {
      writeFileSync(join(dir, 'userdata.sh'), script);
      await new Promise<void>((resolve, reject) =>
        execFile('bash', ['-n', join(dir, 'userdata.sh')], (error, _out, stderr) =>
          error ? reject(new Error(stderr)) : resolve(),
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('base64-encodes for RunInstances', () => {
    const encoded = backendUserDataBase64({ port: 9000, path: '/api' });
    assert.equal(Buffer.from(encoded, 'base64').toString('utf8'), backendUserData({ port: 9000, path: '/api' }));
  });

  it('rejects a port or path that would break the script', () => {
    assert.throws(() => backendUserData({ port: 0, path: '/web/cloudapi' }), /port/);
    assert.throws(() => backendUserData({ port: 8080, path: "/x'; rm -rf /" }), /path/);
  });
});
