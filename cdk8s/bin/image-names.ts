// Prints `key=reference` for every image of src/model/images.ts
// (third-party and test-only), for the shell scripts that build or load
// them (scripts/cluster/stand-ins.sh): the table stays the one place where
// a tag is written. References are printed fully qualified
// (docker.io/library/postgres:18.6), as the kubelet resolves the short names
// of the manifests.
import { imageNames } from '../src/model/images.ts';

for (const [key, ref] of imageNames()) process.stdout.write(`${key}=${ref}\n`);
