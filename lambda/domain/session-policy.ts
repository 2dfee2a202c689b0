// SPDX-License-Identifier: Apache-2.0
/**
 * The inline session policies of scoped mode, as the strings sent to STS.
 *
 * The JSON comes from `lib/iam-policies.ts`, the one source the CDK stack and the local emulator
 * also use (it imports nothing). This module adds what only the request knows: the scope of
 * this deployment, the canonical user ARN, and STS's size limit.
 *
 * Why an exact, escaped ARN and not a pattern (F-4.3.1, F-4.3.2, F-1.5.3): in an IAM `Resource`,
 * `*` also matches `/`, so `user/*alice` matches `user/malice` and `user/team/xalice`;
 * `user/alice*` matches `alice2`. Only the full ARN that GetUser returned, with the user's path
 * and the name in its stored case (ARN matching is case-sensitive, F-3.5.2), names one user. And
 * because a path may itself contain `*`, `?` or `$`, those are written `${*}`, `${?}`, `${$}`
 * so that IAM reads them literally instead of as wildcards or the start of a policy variable.
 */
import { escapeArnForPolicy, lookupSessionPolicy, userSessionPolicy, type UserScope } from '../../lib/iam-policies';
import { CallerNotMappedError } from './errors';

export { escapeArnForPolicy, type UserScope };

/** STS rejects a longer inline session policy (plaintext, F-4.4.2). */
export const MAX_SESSION_POLICY_CHARS = 2048;

/** `iam:GetUser` on `arn:<p>:iam::<acct>:user<prefix>*`: enough to learn the canonical ARN, nothing more. */
export function lookupSessionPolicyText(scope: UserScope): string {
  // Compact JSON: every character counts against the 2048 limit.
  return JSON.stringify(lookupSessionPolicy(scope));
}

/**
 * `iam:ListMFADevices` and `iam:ResyncMFADevice` on exactly `canonicalUserArn`, escaped.
 * Throws `caller-not-mapped` when the escaped ARN would push the policy past 2048 characters
 * (a path of hundreds of `$`): such a user cannot be scoped, so nobody may act on it.
 */
export function userSessionPolicyText(canonicalUserArn: string): string {
  const text = JSON.stringify(userSessionPolicy(canonicalUserArn));
  if (text.length > MAX_SESSION_POLICY_CHARS) throw new CallerNotMappedError('unscopable-user');
  return text;
}

/**
 * The ARN IAM must have returned for this user in this deployment's partition and account:
 * `arn:<p>:iam::<acct>:user<path><name>` (F-1.5.2). Anything else is not a user we may scope to.
 */
export function expectedUserArn(scope: Pick<UserScope, 'partition' | 'account'>, path: string, userName: string): string {
  return `arn:${scope.partition}:iam::${scope.account}:user${path}${userName}`;
}
