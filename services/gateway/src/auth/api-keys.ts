// API keys are known only by their sha256 digests. A presented key is hashed
// and compared against every stored digest in constant time; the caller is
// then named by a short key id (the digest's first 8 hex digits), which is
// safe to put in logs, spans and rate-limit keys.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DEVELOPMENT_API_KEY } from '@shop/contracts';
import { ConfigError } from '@shop/kit';

/** The key accepted when no key is configured at all: local development only. */
export const DEVELOPMENT_KEY = DEVELOPMENT_API_KEY;

export interface ApiKeyring {
  /** The key id of a valid key, or undefined. */
  identify(presented: string): string | undefined;
  /** How many keys are accepted. */
  readonly size: number;
  /** True when no key was configured and the development key is in use. */
  readonly usingDevelopmentKey: boolean;
}

const DIGEST = /^[0-9a-f]{64}$/;

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export function keyId(digest: Buffer): string {
  return digest.toString('hex').slice(0, 8);
}

/**
 * Builds the keyring from SHOP_API_KEY_HASHES (comma-separated sha256 hex) and
 * SHOP_API_KEY (plaintext, hashed here and not kept). With neither set, the
 * development key is accepted. Throws ConfigError naming the bad variable.
 */
export function loadApiKeys(options: { hashes?: string | undefined; plaintext?: string | undefined }): ApiKeyring {
  const digests: Buffer[] = [];
  if (options.hashes !== undefined) {
    const items = options.hashes
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = items.findIndex((item) => !DIGEST.test(item));
    if (items.length === 0 || bad >= 0) {
      // The value itself is never echoed: it is (a digest of) a credential.
      const which = items.length === 0 ? 'it is empty' : `item ${bad + 1} is not`;
      throw new ConfigError([
        { variable: 'SHOP_API_KEY_HASHES', message: `must be a comma-separated list of sha256 hex digests (64 hex characters each); ${which}` },
      ]);
    }
    digests.push(...items.map((item) => Buffer.from(item, 'hex')));
  }
  const usingDevelopmentKey = options.hashes === undefined && options.plaintext === undefined;
  const plaintext = usingDevelopmentKey ? DEVELOPMENT_KEY : options.plaintext;
  if (plaintext !== undefined) digests.push(sha256(plaintext));

  return {
    size: digests.length,
    usingDevelopmentKey,
    identify(presented) {
      const digest = sha256(presented);
      // Every stored digest is compared, match or not, so timing says nothing
      // about which key (or how many) exist.
      let matched = false;
      for (const stored of digests) matched = timingSafeEqual(stored, digest) || matched;
      return matched ? keyId(digest) : undefined;
    },
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ ]+([\x21-\x7e]{1,512})[ ]*$/i.exec(header);
  return match?.[1];
}
