// withSpan inside an unsampled request: no span is made (not even one that
// records nothing), the work runs and its result or error comes back, and
// the trace identity stays for log lines and calls out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { installTestTelemetry } from '../../test/otel.ts';
import { activeTraceId, unsampledContext, withSpan } from './context.ts';

const telemetry = installTestTelemetry();
const identity = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE };

test('inside an unsampled request withSpan runs its work without a span and keeps the trace id', async () => {
  telemetry.spans.reset();
  const seen = await context.with(unsampledContext(context.active(), identity), () =>
    withSpan('work', { attributes: { 'order.id': 'o-1' } }, async (span) => {
      await Promise.resolve();
      return { recording: span.isRecording(), active: trace.getSpan(context.active()) !== undefined, traceId: activeTraceId() };
    }),
  );
  assert.deepEqual(seen, { recording: false, active: false, traceId: identity.traceId });
  await assert.rejects(
    context.with(unsampledContext(context.active(), identity), () =>
      withSpan('fails', {}, () => {
        throw new Error('boom');
      }),
    ),
    /boom/,
  );
  assert.deepEqual(await telemetry.finishedSpans(), []);
});

test('under a recorded parent withSpan records its span, failed when the work throws', async () => {
  telemetry.spans.reset();
  await assert.rejects(
    withSpan('fails', {}, () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  const [span] = await telemetry.finishedSpans();
  assert.equal(span?.name, 'fails');
  assert.equal(span?.attributes['error.type'], 'Error');
});
