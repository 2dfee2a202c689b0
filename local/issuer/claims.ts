// SPDX-License-Identifier: Apache-2.0
/**
 * Fills the standard claims a Cognito user pool puts into its tokens (research §5.3), keeping
 * every claim the caller gave, so that tests can present expired, foreign or odd tokens
 * (CONTRACT.md, "Local stack": "those it gives (an `exp` in the past, say) are kept").
 */
import { randomUUID } from 'node:crypto';

export type Claims = Record<string, unknown>;

export interface ClaimDefaults {
  readonly issuer: string;
  readonly clientId: string;
  /** Seconds from `iat` to `exp` when the caller gives no `exp`. */
  readonly ttlSeconds: number;
  /** Scopes of an access token when the caller gives no `scope`. */
  readonly defaultScope: string;
  readonly now?: () => number;
}

function commonClaims(defaults: ClaimDefaults, given: Claims): Claims {
  const now = Math.floor((defaults.now ?? Date.now)() / 1000);
  const iat = typeof given.iat === 'number' ? given.iat : now;
  return {
    iss: defaults.issuer,
    sub: randomUUID(),
    // Cognito sets these three per sign-in; they are opaque UUIDs (research §5.3 table).
    event_id: randomUUID(),
    origin_jti: randomUUID(),
    jti: randomUUID(),
    auth_time: iat,
    iat,
    exp: iat + defaults.ttlSeconds,
  };
}

/** An ID token: `aud` is the app client (F-5.3.1); user attributes are whatever the caller gave. */
export function idTokenClaims(defaults: ClaimDefaults, given: Claims): Claims {
  return { ...commonClaims(defaults, given), aud: defaults.clientId, token_use: 'id', ...given };
}

/**
 * An access token: no `aud`, `client_id` instead, `username` instead of `cognito:username`,
 * and a `scope` (F-5.3.1, §5.3 table). Attributes the caller gives (such as the mapping claim)
 * are kept, as a pre-token-generation V2 trigger would add them (F-6.2.1); a caller who gives
 * no user name gets a machine-to-machine token, which has none (F-6.3.2).
 */
export function accessTokenClaims(defaults: ClaimDefaults, given: Claims): Claims {
  const { 'cognito:username': cognitoUsername, ...rest } = given;
  const username = rest.username ?? cognitoUsername;
  return {
    ...commonClaims(defaults, given),
    client_id: defaults.clientId,
    token_use: 'access',
    scope: defaults.defaultScope,
    ...(username === undefined ? {} : { username }),
    ...rest,
  };
}
