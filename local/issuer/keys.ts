// SPDX-License-Identifier: Apache-2.0
/**
 * The issuer's signing keys, generated fresh at every start so that no private key is ever
 * committed or reused. Cognito signs ID and access tokens with different keys (different `kid`,
 * research F-5.3.1), so the local issuer does too: a verifier that only works because both token
 * types share one key would pass locally and fail in AWS.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public half as it appears in `/.well-known/jwks.json`. */
  readonly jwk: JWK;
}

export async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
