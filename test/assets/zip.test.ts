import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createZip } from '../../activities/zip';

function readWithPython(zipPath: string): Promise<Record<string, { text: string; mode: number }>> {
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps({i.filename: {"text": z.read(i).decode(), "mode": i.external_attr >> 16 & 0o777} for i in z.infolist()}))
`;
  return new Promise((resolve, reject) =>
    execFile('python3', ['-c', script, zipPath], (error, stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout)),
    ),
  );
}

describe('createZip', () => {
  it('writes an archive that python3 zipfile reads back with CRCs intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    try {
      const big = 'print("x")\n'.repeat(5000);
      const zip = createZip([
        { name: 'index.py', data: Buffer.from(big) },
        { name: 'lib/ü.txt', data: Buffer.from('unicode name'), mode: 0o755 },
        { name: 'empty', data: Buffer.alloc(0) },
      ]);
      assert.ok(zip.length < big.length, 'content is compressed');
      writeFileSync(join(dir, 'a.zip'), zip);
      const read = await readWithPython(join(dir, 'a.zip'));
      assert.equal(read['index.py'].text, big);
      assert.equal(read['lib/ü.txt'].text, 'unicode name');
      assert.equal(read['lib/ü.txt'].mode, 0o755);
      assert.equal(read['empty'].text, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible for the same input', () => {
    const entries = [{ name: 'a', data: Buffer.from('same') }];
    assert.deepEqual(createZip(entries), createZip(entries));
  });
});
