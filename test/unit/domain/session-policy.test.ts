// SPDX-License-Identifier: Apache-2.0
/** Session policies, ARN escaping and SourceIdentity: F-4.3.1, F-4.3.2, F-1.5.3, F-4.4.2, F-4.4.6. */
import { CallerNotMappedError } from '../../../lambda/domain/errors';
import { escapeArnForPolicy, lookupSessionPolicyText, MAX_SESSION_POLICY_CHARS, userSessionPolicyText } from '../../../lambda/domain/session-policy';
import { isValidSourceIdentity, roleSessionNameOf, sourceIdentityOf } from '../../../lambda/domain/source-identity';
import { resourceMatches } from '../../../local/iam/auth/policy';

const ALICE = 'arn:aws:iam::111122223333:user/alice';

describe('session policies (F-4.4.1)', () => {
  it('allows only List and Resync on exactly the canonical ARN, as compact JSON with Version 2012-10-17', () => {
    // Act
    const policy = JSON.parse(userSessionPolicyText(ALICE)) as unknown;

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: [ALICE] }],
    });
  });

  it('the lookup session allows only iam:GetUser on user<prefix>* in the deployment\'s partition and account (F-2.1.1)', () => {
    // Act
    const policy = JSON.parse(lookupSessionPolicyText({ partition: 'aws-us-gov', account: '444455556666', pathPrefix: '/people/' })) as unknown;

    // Assess
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:GetUser'], Resource: ['arn:aws-us-gov:iam::444455556666:user/people/*'] }],
    });
  });

  it('F-4.3.2: the exact ARN matches alice only, where the pattern user/*alice would also match malice', () => {
    // Prepare
    const resource = JSON.parse(userSessionPolicyText(ALICE)).Statement[0].Resource[0] as string;

    // Assess
    expect(resourceMatches(resource, ALICE, '2012-10-17')).toBe(true);
    expect(resourceMatches(resource, 'arn:aws:iam::111122223333:user/malice', '2012-10-17')).toBe(false);
    expect(resourceMatches(resource, 'arn:aws:iam::111122223333:user/team/alice', '2012-10-17')).toBe(false);
    expect(resourceMatches(resource, 'arn:aws:iam::111122223333:user/Alice', '2012-10-17')).toBe(false);
    // The pitfall itself, for contrast:
    expect(resourceMatches('arn:aws:iam::111122223333:user/*alice', 'arn:aws:iam::111122223333:user/malice', '2012-10-17')).toBe(true);
  });

  it('F-1.5.3: escapes *, ? and $ of a path as ${*}, ${?}, ${$}, leaving { and } alone', () => {
    // Prepare
    const odd = 'arn:aws:iam::111122223333:user/a*b?c$d/{e}/pat';

    // Act
    const escaped = escapeArnForPolicy(odd);

    // Assess
    expect(escaped).toBe('arn:aws:iam::111122223333:user/a${*}b${?}c${$}d/{e}/pat');
    expect(resourceMatches(escaped, odd, '2012-10-17')).toBe(true);
    // Unescaped, the path's * and ? would be wildcards reaching other users.
    expect(resourceMatches(escaped, 'arn:aws:iam::111122223333:user/aXXbYc$d/{e}/pat', '2012-10-17')).toBe(false);
    expect(resourceMatches(odd.replace('$d', 'd'), 'arn:aws:iam::111122223333:user/aXXbYcd/{e}/pat', '2012-10-17')).toBe(true);
  });

  it('F-4.4.2: refuses, as caller-not-mapped, a user whose escaped ARN would exceed 2048 characters', () => {
    // Prepare
    const hugePath = `/${'$'.repeat(500)}/`;

    // Act
    const attempt = () => userSessionPolicyText(`arn:aws:iam::111122223333:user${hugePath}alice`);

    // Assess
    expect(attempt).toThrow(CallerNotMappedError);
    expect(userSessionPolicyText(`arn:aws:iam::111122223333:user/${'p'.repeat(500)}/${'n'.repeat(64)}`).length).toBeLessThanOrEqual(MAX_SESSION_POLICY_CHARS);
  });
});

describe('SourceIdentity (F-4.4.6)', () => {
  it.each([
    ['a Cognito user name that fits', { cognitoUsername: 'alice.smith@example.com', subject: 'uuid-1' }, 'alice.smith@example.com'],
    ['the sub when the user name has characters STS refuses', { cognitoUsername: 'José', subject: '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b' }, '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'],
    ['the sub when the user name is one character', { cognitoUsername: 'a', subject: 'b0b0b0b0-0000-4000-8000-000000000001' }, 'b0b0b0b0-0000-4000-8000-000000000001'],
    ['the sub when the user name is over 64 characters', { cognitoUsername: 'x'.repeat(65), subject: 's-1' }, 's-1'],
    ['the sub for a name with a space, never a rewritten name', { cognitoUsername: 'alice smith', subject: 'sub-1' }, 'sub-1'],
  ])('takes %s', (_label, caller, expected) => {
    expect(sourceIdentityOf(caller)).toBe(expected);
  });

  it('refuses a caller with neither a fitting user name nor a sub', () => {
    expect(() => sourceIdentityOf({ cognitoUsername: 'José' })).toThrow(CallerNotMappedError);
  });

  it('never accepts the aws: prefix, in any case', () => {
    expect(isValidSourceIdentity('aws:x')).toBe(false);
    expect(isValidSourceIdentity('AWS:x')).toBe(false);
    expect(isValidSourceIdentity('awsome')).toBe(true);
  });

  it('names the session after the request id, within 2-64 characters of [\\w+=,.@-]', () => {
    expect(roleSessionNameOf('c0ffee00-1234-4abc-9def-000000000001')).toBe('mfa-resync-c0ffee00-1234-4abc-9def-000000000001');
    expect(roleSessionNameOf('a/b c'.repeat(30))).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
