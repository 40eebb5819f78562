// `make image-evidence`'s questions: for every pinned image tag and chart
// (model/images.ts), ask the registries this project reaches for the
// release behind it: npm, the Go module proxy (through the go command),
// Maven Central. A listing (the official images' tag lists) cannot be asked
// and is shown with the date it was read.
import { execFileSync } from 'node:child_process';
import { KIND_NODE_IMAGE, STRIMZI_CHART, THIRD_PARTY_IMAGES, imageReference, type Evidence } from '../model/images.ts';

const MAVEN = process.env.SHOP_MAVEN_REPOSITORY ?? 'https://repo1.maven.org/maven2';

/** ok: the registry has the release; false: it does not (or could not be asked); undefined: a listing, not asked. */
export interface Answer {
  ok: boolean | undefined;
  text: string;
}

export async function check(e: Evidence): Promise<Answer> {
  try {
    switch (e.kind) {
      case 'npm': {
        const v = execFileSync('npm', ['view', `${e.name}@${e.version}`, 'version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
        return { ok: v === e.version, text: `npm ${e.name}@${e.version}` };
      }
      case 'go': {
        const info = JSON.parse(
          execFileSync('go', ['list', '-m', '-json', `${e.module}@${e.version}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
        );
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

/** Every pinned reference (images, the Strimzi chart, kind's node image) with its evidence. */
export function pinned(): [string, Evidence[]][] {
  return [
    ...Object.values(THIRD_PARTY_IMAGES).map((i) => [imageReference(i), i.evidence] as [string, Evidence[]]),
    [`${STRIMZI_CHART.reference}:${STRIMZI_CHART.version} (chart)`, STRIMZI_CHART.evidence],
    [`${KIND_NODE_IMAGE.repository}:${KIND_NODE_IMAGE.tag} (kind node, by digest)`, KIND_NODE_IMAGE.evidence],
  ];
}

export function formatAnswer(reference: string, a: Answer): string {
  return `${a.ok === undefined ? 'seen' : a.ok ? 'ok  ' : 'FAIL'}  ${reference.padEnd(48)}  ${a.text}\n`;
}
