import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import * as ours from './semconv.ts';

test("the feature-flag names the kit records are the semantic conventions' current ones", () => {
  for (const [name, value] of Object.entries(ours)) {
    assert.equal((incubating as Record<string, unknown>)[name], value, name);
  }
});
