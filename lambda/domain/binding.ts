// SPDX-License-Identifier: Apache-2.0
/**
 * Two-party binding (opt-in): a claim proposes the IAM user, and IAM confirms it.
 *
 * The mapping claim is only as trustworthy as whoever can write it (a user who can edit their
 * own Cognito attribute could name someone else). With binding on, the mapped IAM user must
 * carry a tag, which only IAM administrators can set, whose value equals a configured claim of
 * the caller (for example `mfa-resync:cognito-sub` = `sub`). A rewritten mapping attribute then
 * points at a user whose tag names somebody else, and the request is refused.
 */
import { CallerNotMappedError } from './errors';
import type { Claims } from './identity';

export interface BindingPolicy {
  readonly tagKey: string;
  readonly claim: string;
}

/**
 * Throws `caller-not-mapped` unless `tags[tagKey]` equals `claims[claim]` exactly.
 * Tag keys on IAM users are case-insensitive (F-3.5.4: `Department` and `department` cannot
 * coexist), so the key is looked up regardless of case; values are compared exactly.
 */
export function verifyBinding(tags: Readonly<Record<string, string>> | undefined, claims: Claims | null | undefined, binding: BindingPolicy): void {
  const wanted = binding.tagKey.toLowerCase();
  const tag = Object.entries(tags ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1];
  if (tag === undefined || tag === '') throw new CallerNotMappedError('binding-tag-missing');
  const claim = claims?.[binding.claim];
  if (typeof claim !== 'string' || claim === '') throw new CallerNotMappedError('binding-claim-missing');
  if (tag !== claim) throw new CallerNotMappedError('binding-mismatch');
}
