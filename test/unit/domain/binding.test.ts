// SPDX-License-Identifier: Apache-2.0
/** Two-party binding: the IAM user's tag must equal the caller's claim (F-3.5.4 for tag-key case). */
import { verifyBinding } from '../../../lambda/domain/binding';
import { CallerNotMappedError } from '../../../lambda/domain/errors';

const BINDING = { tagKey: 'mfa-resync:cognito-sub', claim: 'sub' };
const SUB = '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

function reasonOf(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof CallerNotMappedError ? error.reason : 'other';
  }
}

describe('two-party binding', () => {
  it('passes when the tag equals the claim', () => {
    expect(reasonOf(() => verifyBinding({ 'mfa-resync:cognito-sub': SUB }, { sub: SUB }, BINDING))).toBeUndefined();
  });

  it('F-3.5.4: finds the tag whatever the case of its key', () => {
    expect(reasonOf(() => verifyBinding({ 'MFA-Resync:Cognito-Sub': SUB }, { sub: SUB }, BINDING))).toBeUndefined();
  });

  it.each([
    ['a different value', { 'mfa-resync:cognito-sub': 'someone-else' }, { sub: SUB }, 'binding-mismatch'],
    ['a value differing only in case', { 'mfa-resync:cognito-sub': SUB.toUpperCase() }, { sub: SUB }, 'binding-mismatch'],
    ['no tag', {}, { sub: SUB }, 'binding-tag-missing'],
    ['no tags at all (single-role mode)', undefined, { sub: SUB }, 'binding-tag-missing'],
    ['an empty tag', { 'mfa-resync:cognito-sub': '' }, { sub: '' }, 'binding-tag-missing'],
    ['no claim', { 'mfa-resync:cognito-sub': SUB }, {}, 'binding-claim-missing'],
    ['a claim that is not a string', { 'mfa-resync:cognito-sub': SUB }, { sub: 42 }, 'binding-claim-missing'],
  ])('refuses %s', (_label, tags, claims, reason) => {
    expect(reasonOf(() => verifyBinding(tags, claims, BINDING))).toBe(reason);
  });
});
