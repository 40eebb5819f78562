import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { progressWriter, renderProgress } from './progress-bar.ts';

const progress = { elapsedMs: 2500, plannedTotal: 50, started: 25, completed: 24, inFlight: 1, notSent: 0, errors: 2 };

test('the progress line shows the bar, time, sent/planned, done, errors and in flight', () => {
  assert.equal(renderProgress(progress, 5000), '████████████░░░░░░░░░░░░  50%  2.5/5.0 s  sent 25/50  done 24  errors 2  in flight 1');
  assert.match(renderProgress({ ...progress, notSent: 3 }, 5000), /not sent 3$/);
  assert.match(renderProgress({ ...progress, elapsedMs: 9000 }, 5000), /100% {2}5\.0\/5\.0 s/);
});

test('nothing is written when the stream is not a terminal', () => {
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const writer = progressWriter(stream, 5000);
  writer.update(progress);
  writer.done();
  assert.equal(written, '');
});

test('on a terminal each update redraws the same line and done() clears it', () => {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const writer = progressWriter(stream, 5000);
  writer.update(progress);
  writer.done();
  assert.equal(written, `\r\u001b[2K${renderProgress(progress, 5000)}\r\u001b[2K`);
});
