// SPDX-License-Identifier: Apache-2.0
/**
 * The STS `SourceIdentity` and `RoleSessionName` of the executor sessions.
 *
 * SourceIdentity is what CloudTrail shows for every IAM call of the session
 * (`userIdentity.sessionContext.sourceIdentity`, F-4.4.7), so it must name the person. STS
 * accepts 2–64 characters of `[\w+=,.@-]`, not starting with `aws:` (F-4.4.6). We never
 * rewrite a value to make it fit: replacing characters could give two people the same
 * identity. Instead we pick, in order, a value that already fits:
 *
 * 1. the Cognito user name (`cognito:username` / `username`), which people recognise;
 * 2. else the `sub`, a UUID, which always fits and is unique in the pool.
 */
import { CallerNotMappedError } from './errors';
import type { Caller } from './identity';

/** STS's SourceIdentity and RoleSessionName pattern and lengths (F-4.4.6, F-4.4.7). */
const STS_NAME = /^[\w+=,.@-]{2,64}$/;

export function isValidSourceIdentity(value: string): boolean {
  // `:` is outside the pattern, so an `aws:` prefix can never pass it; the explicit check keeps
  // the rule visible should the pattern ever widen.
  return STS_NAME.test(value) && !/^aws:/i.test(value);
}

export function sourceIdentityOf(caller: Pick<Caller, 'cognitoUsername' | 'subject'>): string {
  if (isValidSourceIdentity(caller.cognitoUsername)) return caller.cognitoUsername;
  if (caller.subject !== undefined && isValidSourceIdentity(caller.subject)) return caller.subject;
  throw new CallerNotMappedError('no-source-identity');
}

const SESSION_NAME_PREFIX = 'mfa-resync-';

/**
 * `mfa-resync-<request id>`: the API Gateway request id in the session ARN ties CloudTrail to
 * our audit line. Unlike SourceIdentity this is only a correlation id, so characters STS does not
 * accept are replaced, and the result is cut to 64 characters.
 */
export function roleSessionNameOf(requestId: string): string {
  const name = `${SESSION_NAME_PREFIX}${requestId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
  return STS_NAME.test(name) ? name : `${SESSION_NAME_PREFIX}request`;
}
