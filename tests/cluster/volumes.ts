// Volumes for claims, as kind's local-path provisioner gives them: a new
// directory on the node for each new claim, 0777. The node has no
// provisioner (no image of one can be pulled), so the run makes them while
// it waits for workloads (docs/stand-ins.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CoreV1Api } from '@kubernetes/client-node';

export async function provisionVolumes(core: CoreV1Api, nodeDir: string, say: (line: string) => void): Promise<void> {
  const claims = await core.listPersistentVolumeClaimForAllNamespaces();
  for (const pvc of claims.items.filter((c) => c.status?.phase === 'Pending' && !c.spec?.volumeName)) {
    // A claim made again (a reinstall) is a new claim: a new volume, as local-path makes it.
    const name = `pv-${pvc.metadata!.namespace}-${pvc.metadata!.name}-${pvc.metadata!.uid!.slice(0, 8)}`;
    const dir = path.join(nodeDir, 'volumes', name);
    mkdirSync(dir, { recursive: true, mode: 0o777 });
    execFileSync('chmod', ['0777', dir]);
    try {
      await core.createPersistentVolume({
        body: {
          metadata: { name, labels: { 'otel-shop.dev/stand-in': 'local-path' } },
          spec: {
            capacity: { storage: pvc.spec!.resources!.requests!.storage! },
            accessModes: pvc.spec!.accessModes,
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: pvc.spec!.storageClassName ?? '',
            claimRef: { namespace: pvc.metadata!.namespace, name: pvc.metadata!.name, uid: pvc.metadata!.uid },
            hostPath: { path: dir, type: 'Directory' },
          },
        },
      });
      say(`volume ${name} for ${pvc.metadata!.namespace}/${pvc.metadata!.name}`);
    } catch {
      // made on an earlier tick
    }
  }
}
