// Which Kafka is on the other end, and can kafkajs 2.2.4 speak to it?
// The protocol has no "broker version" call, so the version comes from the
// broker itself (AppInfoParser's "Kafka version: X" line, the same value as
// the kafka.server:type=app-info MBean, logged at start into the private
// instance's log), and compatibility from a raw ApiVersions exchange.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { expectedKafkaVersion, kafkaBrokers, kafkaLogFile } from './settings.ts';
import { fetchBrokerApiVersions, kafkajsApiVersions } from './kafka-api-versions.ts';

const broker = kafkaBrokers[0] ?? '127.0.0.1:9092';

test(`the running broker reports Kafka ${expectedKafkaVersion}`, async (t) => {
  let log: string;
  try {
    log = await readFile(kafkaLogFile, 'utf8');
  } catch {
    t.skip(`no broker log at ${kafkaLogFile}: the broker is not the private instance of scripts/local/infra.sh (set KAFKA_LOG_FILE)`);
    return;
  }
  // The log is appended across restarts: the last start is the running one.
  const lastStart = log.lastIndexOf('Kafka Server started');
  assert.ok(lastStart >= 0, `no "Kafka Server started" line in ${kafkaLogFile}`);
  const versions = [...log.slice(0, lastStart).matchAll(/Kafka version: (\S+)/g)];
  const version = versions.at(-1)?.[1];
  t.diagnostic(`broker ${broker}: Kafka version ${version ?? 'unknown'} (from ${kafkaLogFile})`);
  assert.equal(version, expectedKafkaVersion);
});

test("every API kafkajs implements overlaps the broker's supported versions", async (t) => {
  const brokerRanges = await fetchBrokerApiVersions(broker);
  const client = kafkajsApiVersions();
  assert.ok(client.size > 20, `expected kafkajs protocol modules, found ${client.size}`);
  const rows: string[] = [];
  const gaps: string[] = [];
  for (const [name, { apiKey, versions }] of client) {
    const range = brokerRanges.get(apiKey);
    const usable = range ? versions.filter((v) => v >= range.min && v <= range.max) : [];
    const clientRange = `${Math.min(...versions)}-${Math.max(...versions)}`;
    const brokerRange = range ? `${range.min}-${range.max}` : 'none';
    const verdict = usable.length ? `negotiates v${Math.max(...usable)}` : 'NO COMMON VERSION';
    rows.push(`${String(apiKey).padStart(2)} ${name.padEnd(28)} kafkajs ${clientRange.padEnd(5)} broker ${brokerRange.padEnd(5)} ${verdict}`);
    if (!usable.length) gaps.push(`${name} (key ${apiKey}): kafkajs ${clientRange}, broker ${brokerRange}`);
  }
  for (const row of rows) t.diagnostic(row);
  assert.deepEqual(gaps, [], `kafkajs cannot use these APIs against ${broker}`);
});
