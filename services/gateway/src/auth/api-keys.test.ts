import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@shop/kit';
import { DEVELOPMENT_KEY, bearerToken, keyId, loadApiKeys, sha256 } from './api-keys.ts';

const hex = (text: string) => sha256(text).toString('hex');

test('keys configured as sha256 digests are accepted and named by the first 8 hex digits of the digest', () => {
  const keyring = loadApiKeys({ hashes: `${hex('alpha')}, ${hex('beta').toUpperCase()}` });
  assert.equal(keyring.size, 2);
  assert.equal(keyring.usingDevelopmentKey, false);
  assert.equal(keyring.identify('alpha'), hex('alpha').slice(0, 8));
  assert.equal(keyring.identify('beta'), hex('beta').slice(0, 8));
  assert.equal(keyring.identify('gamma'), undefined);
  assert.equal(keyring.identify(''), undefined);
  assert.equal(keyring.identify(DEVELOPMENT_KEY), undefined, 'no development key once keys are configured');
});

test('a plaintext SHOP_API_KEY is accepted alongside the digests', () => {
  const keyring = loadApiKeys({ hashes: hex('alpha'), plaintext: 'local-secret' });
  assert.equal(keyring.size, 2);
  assert.ok(keyring.identify('local-secret'));
  assert.ok(keyring.identify('alpha'));
  assert.equal(keyring.identify(DEVELOPMENT_KEY), undefined);
});

test('with no key configured only the development key is accepted, and the keyring says so', () => {
  const keyring = loadApiKeys({});
  assert.equal(keyring.usingDevelopmentKey, true);
  assert.equal(keyring.identify(DEVELOPMENT_KEY), keyId(sha256(DEVELOPMENT_KEY)));
  assert.equal(keyring.identify('anything-else'), undefined);
});

test('a malformed digest list is a ConfigError naming SHOP_API_KEY_HASHES, without echoing the value', () => {
  for (const hashes of ['not-hex', `${hex('a')},abc`, hex('a').slice(0, 63), ' , ']) {
    assert.throws(
      () => loadApiKeys({ hashes }),
      (err: unknown) => err instanceof ConfigError && err.variables.includes('SHOP_API_KEY_HASHES') && !err.message.includes(hashes.trim() || '\u0000'),
      hashes,
    );
  }
});

test('bearerToken takes the token of a Bearer header and nothing else', () => {
  assert.equal(bearerToken('Bearer abc.DEF-123'), 'abc.DEF-123');
  assert.equal(bearerToken('bearer abc'), 'abc');
  assert.equal(bearerToken(undefined), undefined);
  assert.equal(bearerToken(''), undefined);
  assert.equal(bearerToken('Bearer'), undefined);
  assert.equal(bearerToken('Bearer '), undefined);
  assert.equal(bearerToken('Basic Zm9vOmJhcg=='), undefined);
  assert.equal(bearerToken('Bearer two tokens'), undefined);
  assert.equal(bearerToken(`Bearer ${'x'.repeat(513)}`), undefined);
});
