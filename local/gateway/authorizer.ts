// SPDX-License-Identifier: Apache-2.0
/**
 * The COGNITO_USER_POOLS authorizer of the REST API, reproduced: it verifies the JWT itself
 * (RS256 against the pool's JWKS, the pool's issuer, expiry) and answers every failure with
 * 401, never with a reason (F-5.6.1 UNAUTHORIZED).
 *
 * - A method without scopes (id mode) takes ID tokens; an access token is refused with 401
 *   (F-5.1.1, confirmed on a real deployment). The token validation expression, when the
 *   construct sets one, is matched against `aud` (F-5.1.2).
 * - A method with scopes (access mode) takes access tokens whose `scope` holds any of them,
 *   else 401 (F-5.1.1; the docs say 401, research §7 item 10). Access tokens have no `aud`
 *   and API Gateway has no setting that checks their `client_id` (F-5.1.2), so any app client
 *   of the pool that was granted the scope passes, M2M clients included (F-6.3.3): the local
 *   authorizer does not check `client_id` either, so tests see that exposure as it is.
 * - The token comes from `Authorization` (the construct's identity source), raw or with a
 *   `Bearer ` prefix: reports differ (F-5.1.3), the contract accepts both locally.
 * - No result caching: the construct sets the cache TTL to 0 (F-5.1.4).
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export type TokenUse = 'id' | 'access';

export interface AuthorizerOptions {
  readonly issuer: string;
  readonly jwksUri: string;
  /** The authorizer's identityValidationExpression, matched against an ID token's `aud`. */
  readonly audience?: RegExp;
}

/** Resolves with the verified claims, or `undefined` where API Gateway answers 401. */
export type Authorize = (authorization: string | undefined, methodScopes: readonly string[]) => Promise<JWTPayload | undefined>;

export function tokenFromHeader(authorization: string | undefined): string | undefined {
  const value = authorization?.trim();
  if (value === undefined || value === '') return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(value);
  return bearer ? bearer[1] : value;
}

export function createAuthorizer(options: AuthorizerOptions): Authorize {
  // Fetched and cached as API Gateway fetches the pool's keys. The algorithm allow-list refuses
  // `alg: none` and HS* tokens before any key is looked up.
  const keys = createRemoteJWKSet(new URL(options.jwksUri));
  return async (authorization, methodScopes) => {
    const token = tokenFromHeader(authorization);
    if (token === undefined) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], issuer: options.issuer, requiredClaims: ['exp'] }));
    } catch {
      return undefined;
    }
    if (methodScopes.length === 0) {
      if (payload.token_use !== 'id') return undefined;
      if (options.audience !== undefined && !(typeof payload.aud === 'string' && options.audience.test(payload.aud))) return undefined;
    } else {
      if (payload.token_use !== 'access') return undefined;
      const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      if (!methodScopes.some((scope) => granted.includes(scope))) return undefined;
    }
    return payload;
  };
}
