import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagdDocument } from '@shop/contracts';
import { FlagsFile } from './flags-file.ts';

function fileIn(): { file: FlagsFile; dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'flag-sync-'));
  return { file: new FlagsFile(join(dir, 'flags.flagd.json')), dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a flagd document is written whole, and the same text again is left alone', async () => {
  const { file, dir, done } = fileIn();
  try {
    assert.equal(file.written, false);
    const text = JSON.stringify(flagdDocument({ paymentFailure: 1 }));
    assert.equal(await file.write(text), 'written');
    assert.equal(file.written, true);
    assert.equal(readFileSync(file.path, 'utf8'), text);
    assert.equal(await file.write(text), 'unchanged');
    assert.deepEqual(readdirSync(dir), ['flags.flagd.json'], 'no temporary file is left behind');
  } finally {
    done();
  }
});

test('what is not a flagd document is refused, and the last good one stays', async () => {
  const { file, done } = fileIn();
  try {
    const good = JSON.stringify(flagdDocument());
    await file.write(good);
    for (const bad of ['{"flags": ', '[]', '{"flags": []}', '{"nothing": {}}', 'null']) {
      const outcome = await file.write(bad);
      assert.equal(typeof outcome, 'object', bad);
      assert.equal(readFileSync(file.path, 'utf8'), good, bad);
    }
    assert.deepEqual(await file.write('{"flags": []}'), { refused: 'not a flagd document (no "flags" object)' });
  } finally {
    done();
  }
});
