// SPDX-License-Identifier: Apache-2.0
/**
 * Who is calling: from the claims API Gateway's REST Cognito authorizer verified to the IAM user
 * the caller may act on. The IAM user comes from these claims only, never from the request.
 *
 * The authorizer hands every claim over as a string (F-5.2.2): `email_verified` is `"true"`,
 * `exp` may be `"Tue Apr 04 18:39:39 UTC 2023"`, and `cognito:groups` is flattened (F-5.2.3).
 * Anything that is not a string is treated as absent, so a malformed event fails closed.
 */
import { CallerNotMappedError, ForbiddenError } from './errors';

export type Claims = Readonly<Record<string, unknown>>;

/** The part of the configuration that decides who may call and as whom. */
export interface IdentityPolicy {
  readonly mappingClaim: string;
  readonly mappingPattern?: RegExp;
  readonly requiredGroup?: string;
  readonly tokenUse: 'id' | 'access';
  /** Required when `tokenUse` is `access`. */
  readonly requiredScope?: string;
}

export interface Caller {
  /** The Cognito `sub`: the stable id of the person, for the audit trail (F-5.3.2). */
  readonly subject?: string;
  readonly cognitoUsername: string;
  readonly iamUserName: string;
}

/** IAM user names (F-1.1.2, F-3.5.1): 1–64 ASCII letters, digits and `_+=,.@-`. */
const IAM_USER_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;

/**
 * The caller, or a `ForbiddenError` (a token that may not use `/v1/me`) or a
 * `CallerNotMappedError` (a person whose claims name no valid IAM user).
 * Token checks come first: a machine token is `forbidden` whatever else it carries.
 */
export function mapCaller(claims: Claims | null | undefined, policy: IdentityPolicy): Caller {
  const claim = (name: string): string | undefined => {
    const value = claims?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  if (claim('token_use') !== policy.tokenUse) throw new ForbiddenError('wrong-token-use');
  // Client-credentials tokens carry no user name (F-6.3.2, F-6.3.3); ID tokens name it
  // `cognito:username`, user access tokens `username` (F-5.3.1).
  const cognitoUsername = claim(policy.tokenUse === 'id' ? 'cognito:username' : 'username');
  if (cognitoUsername === undefined) throw new ForbiddenError('machine-token');
  if (policy.tokenUse === 'access' && !hasScope(claim('scope'), policy.requiredScope)) {
    throw new ForbiddenError('missing-scope');
  }
  if (policy.requiredGroup !== undefined && !parseGroups(claim('cognito:groups')).includes(policy.requiredGroup)) {
    throw new ForbiddenError('missing-group');
  }

  const iamUserName = mapUserName(claim, policy);
  const subject = claim('sub');
  return { ...(subject === undefined ? {} : { subject }), cognitoUsername, iamUserName };
}

function mapUserName(claim: (name: string) => string | undefined, policy: IdentityPolicy): string {
  const value = claim(policy.mappingClaim);
  if (value === undefined) throw new CallerNotMappedError('missing-claim');
  // Only the standard `email` attribute has a verification flag; anyone can sign up with
  // someone else's address, so an unverified one maps to nobody.
  if (policy.mappingClaim === 'email' && claim('email_verified') !== 'true') {
    throw new CallerNotMappedError('email-not-verified');
  }
  const userName = policy.mappingPattern === undefined ? value : extract(policy.mappingPattern, value);
  if (!IAM_USER_NAME.test(userName)) throw new CallerNotMappedError('invalid-user-name');
  return userName;
}

/**
 * The first capture group, or the whole value when the pattern has no group. The pattern must
 * match the WHOLE claim: unanchored, `([^@]+)@example\.com` would otherwise map the verified
 * address `alice@example.com.attacker.net` to `alice`.
 */
function extract(pattern: RegExp, value: string): string {
  // A fresh, anchored copy: a `g` or `y` flag would make a shared RegExp stateful across calls,
  // and `m` would let `^`/`$` match at a line break inside the claim. `(?:…)` adds no group.
  const match = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gym]/g, '')).exec(value);
  if (match === null) throw new CallerNotMappedError('pattern-mismatch');
  const userName = match.length > 1 ? match[1] : match[0];
  // A group that did not take part in the match extracts nothing.
  if (userName === undefined) throw new CallerNotMappedError('pattern-mismatch');
  return userName;
}

function hasScope(scopeClaim: string | undefined, requiredScope: string | undefined): boolean {
  if (requiredScope === undefined || scopeClaim === undefined) return false;
  return scopeClaim.split(/\s+/).includes(requiredScope);
}

/**
 * `cognito:groups` as the REST authorizer flattens it (F-5.2.3): a bare name (`"admins"`), a
 * comma-separated list (`"a,b"`) or a bracketed, space-separated one (`"[a b]"`).
 */
export function parseGroups(value: string | undefined): string[] {
  if (value === undefined) return [];
  const unbracketed = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return unbracketed.split(/[\s,]+/).filter((group) => group !== '');
}
