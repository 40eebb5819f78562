// Prints `key=reference` for every image of src/images.ts (third-party and
// test-only), for the shell scripts that build or load them: the table stays
// the one place where a tag is written. References are printed fully
// qualified (docker.io/library/postgres:18.6), as the kubelet resolves the
// short names of the manifests.
import { IMAGES, TEST_ONLY_IMAGES } from '@shop/cdk8s/images';

export function fullyQualified(ref: string): string {
  const [first, ...rest] = ref.split('/');
  if (rest.length && (first!.includes('.') || first!.includes(':') || first === 'localhost')) return ref;
  return rest.length ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [key, ref] of Object.entries(IMAGES)) process.stdout.write(`${key}=${fullyQualified(ref)}\n`);
  for (const [key, image] of Object.entries(TEST_ONLY_IMAGES)) process.stdout.write(`test-${key}=${fullyQualified(image.reference)}\n`);
}
