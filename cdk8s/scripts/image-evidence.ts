// `make image-evidence`: asks the registries this project reaches for the
// release behind every pinned image tag and chart (src/images.ts): npm, the
// Go module proxy (through the go command), Maven Central. A listing (the
// official images' tag lists) is printed with the date it was read. Exits 1
// when a registry says a release does not exist.
import { execFileSync } from 'node:child_process';
import { STRIMZI_CHART, THIRD_PARTY_IMAGES, imageReference, type Evidence } from '../src/images.ts';

const MAVEN = process.env.SHOP_MAVEN_REPOSITORY ?? 'https://repo1.maven.org/maven2';

async function check(e: Evidence): Promise<{ ok: boolean | undefined; text: string }> {
  try {
    switch (e.kind) {
      case 'npm': {
        const v = execFileSync('npm', ['view', `${e.name}@${e.version}`, 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
        return { ok: v === e.version, text: `npm ${e.name}@${e.version}` };
      }
      case 'go': {
        const info = JSON.parse(execFileSync('go', ['list', '-m', '-json', `${e.module}@${e.version}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
        return { ok: info.Version === e.version, text: `go ${e.module}@${e.version} (${String(info.Time).slice(0, 10)})` };
      }
      case 'maven': {
        const [group, artifact, version] = e.coordinates.split(':');
        const res = await fetch(`${MAVEN}/${group!.replaceAll('.', '/')}/${artifact}/${version}/${artifact}-${version}.pom`, { method: 'HEAD' });
        return { ok: res.ok, text: `maven ${e.coordinates} (HTTP ${res.status})` };
      }
      case 'listing':
        return { ok: undefined, text: `${e.where}, read ${e.seen}` };
    }
  } catch (err) {
    const reason = (err as { code?: string }).code === 'ENOENT' ? 'the command is not installed' : ((err as Error).message.split('\n')[0] ?? '');
    return { ok: false, text: `${JSON.stringify(e)}: ${reason}` };
  }
}

let failed = 0;
const rows: [string, Evidence[]][] = [
  ...Object.values(THIRD_PARTY_IMAGES).map((i) => [imageReference(i), i.evidence] as [string, Evidence[]]),
  [`${STRIMZI_CHART.reference}:${STRIMZI_CHART.version} (chart)`, STRIMZI_CHART.evidence],
];
for (const [reference, evidence] of rows) {
  for (const e of evidence) {
    const r = await check(e);
    if (r.ok === false) failed++;
    process.stdout.write(`${r.ok === undefined ? 'seen' : r.ok ? 'ok  ' : 'FAIL'}  ${reference.padEnd(48)}  ${r.text}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
