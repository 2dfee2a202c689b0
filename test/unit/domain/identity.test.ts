// SPDX-License-Identifier: Apache-2.0
import { CallerNotMappedError, ForbiddenError } from '../../../lambda/domain/errors';
import { mapCaller, parseGroups, type IdentityPolicy } from '../../../lambda/domain/identity';
import { accessTokenClaims, idTokenClaims, machineTokenClaims } from '../../fixtures/api-gateway-event';

const idPolicy: IdentityPolicy = { mappingClaim: 'custom:iam_username', tokenUse: 'id' };
const accessPolicy: IdentityPolicy = { mappingClaim: 'username', tokenUse: 'access', requiredScope: 'mfa-resync/self' };

function refusal(act: () => unknown): { name: string; code: string; reason: string } | undefined {
  try {
    act();
    return undefined;
  } catch (error) {
    const { name, code, reason } = error as ForbiddenError | CallerNotMappedError;
    return { name, code, reason };
  }
}

describe('mapping an ID token to an IAM user', () => {
  it('maps the configured claim to the IAM user and keeps the Cognito identity for the audit', () => {
    // Prepare
    const claims = idTokenClaims({ 'custom:iam_username': 'alice.smith+ops@corp,eu=1_x-y' });

    // Act
    const caller = mapCaller(claims, idPolicy);

    // Assess
    expect(caller).toEqual({
      subject: '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      cognitoUsername: 'alice',
      iamUserName: 'alice.smith+ops@corp,eu=1_x-y',
    });
  });

  it('never parses the date-string exp claim (F-5.2.2)', () => {
    // Prepare
    const claims = idTokenClaims({ exp: 'Tue Apr 04 18:39:39 UTC 2023', iat: 'Tue Apr 04 17:39:39 UTC 2023' });

    // Act
    const caller = mapCaller(claims, idPolicy);

    // Assess
    expect(caller.iamUserName).toBe('alice');
  });

  it.each([
    ['a missing claim', idTokenClaims({ 'custom:iam_username': '' }), 'missing-claim'],
    ['a name with a space', idTokenClaims({ 'custom:iam_username': 'alice smith' }), 'invalid-user-name'],
    ['a name with a slash (a path is never part of UserName, F-1.1.5)', idTokenClaims({ 'custom:iam_username': 'team/alice' }), 'invalid-user-name'],
    ['a name of 65 characters', idTokenClaims({ 'custom:iam_username': 'a'.repeat(65) }), 'invalid-user-name'],
    ['a non-ASCII name', idTokenClaims({ 'custom:iam_username': 'alicé' }), 'invalid-user-name'],
    ['a full-width name', idTokenClaims({ 'custom:iam_username': 'ａｌｉｃｅ' }), 'invalid-user-name'],
    ['a name with a newline', idTokenClaims({ 'custom:iam_username': 'alice\n' }), 'invalid-user-name'],
  ])('refuses %s as caller-not-mapped', (_label, claims, reason) => {
    // Act
    const result = refusal(() => mapCaller(claims, idPolicy));

    // Assess
    expect(result).toEqual({ name: 'CallerNotMappedError', code: 'caller-not-mapped', reason });
  });

  it('accepts a name of exactly 64 characters', () => {
    // Act
    const caller = mapCaller(idTokenClaims({ 'custom:iam_username': 'b'.repeat(64) }), idPolicy);

    // Assess
    expect(caller.iamUserName).toHaveLength(64);
  });

  it('treats a claim that is not a string as missing, so a malformed event fails closed', () => {
    // Prepare
    const claims = { ...idTokenClaims(), 'custom:iam_username': ['alice'] };

    // Act
    const result = refusal(() => mapCaller(claims, idPolicy));

    // Assess
    expect(result?.reason).toBe('missing-claim');
  });
});

describe('extracting the user name with MAPPING_PATTERN', () => {
  const emailPolicy: IdentityPolicy = { mappingClaim: 'email', mappingPattern: /^([^@]+)@example\.com$/, tokenUse: 'id' };

  it('takes the first capture group', () => {
    // Act
    const caller = mapCaller(idTokenClaims({ email: 'bob.jones@example.com' }), emailPolicy);

    // Assess
    expect(caller.iamUserName).toBe('bob.jones');
  });

  it('takes the whole claim when the pattern has no group', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, mappingPattern: /[a-z]+/ };

    // Act
    const caller = mapCaller(idTokenClaims({ 'custom:iam_username': 'carol' }), policy);

    // Assess
    expect(caller.iamUserName).toBe('carol');
  });

  it.each([
    ['an address with a suffix', 'alice@example.com.attacker.net'],
    ['an address with a prefix', 'eve@evil.org,alice@example.com'],
    ['a second line', 'alice@example.com\nx'],
  ])('requires an unanchored pattern to match the whole claim: refuses %s', (_label, email) => {
    // Prepare
    const policy: IdentityPolicy = { mappingClaim: 'email', mappingPattern: /([^@]+)@example\.com/m, tokenUse: 'id' };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ email }), policy));
    const alice = mapCaller(idTokenClaims({ email: 'alice@example.com' }), policy);

    // Assess
    expect(result?.reason).toBe('pattern-mismatch');
    expect(alice.iamUserName).toBe('alice');
  });

  it('refuses a lookahead that matches only part of the claim', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, mappingPattern: /[a-z]+(?=-admin$)/ };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ 'custom:iam_username': 'carol-admin' }), policy));

    // Assess
    expect(result?.reason).toBe('pattern-mismatch');
  });

  it('refuses a value the pattern does not match', () => {
    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ email: 'bob@evil.example.org' }), emailPolicy));

    // Assess
    expect(result?.reason).toBe('pattern-mismatch');
  });

  it('refuses a match whose capture group took no part', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, mappingPattern: /^(?:iam:(\w+)|other)$/ };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ 'custom:iam_username': 'other' }), policy));

    // Assess
    expect(result?.reason).toBe('pattern-mismatch');
  });

  it('still checks the extracted name', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, mappingPattern: /^user:(.*)$/ };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ 'custom:iam_username': 'user:a b' }), policy));

    // Assess
    expect(result?.reason).toBe('invalid-user-name');
  });

  it('gives the same answer on every call even with a global-flag pattern', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, mappingPattern: /^u-(\w+)$/g };
    const claims = idTokenClaims({ 'custom:iam_username': 'u-dave' });

    // Act
    const names = [mapCaller(claims, policy).iamUserName, mapCaller(claims, policy).iamUserName];

    // Assess
    expect(names).toEqual(['dave', 'dave']);
  });

  it('maps an email only when email_verified is the string "true"', () => {
    // Act
    const unverified = refusal(() => mapCaller(idTokenClaims({ email: 'bob@example.com', email_verified: 'false' }), emailPolicy));
    const missingFlag = refusal(() => {
      const { email_verified: _dropped, ...claims } = idTokenClaims({ email: 'bob@example.com' });
      return mapCaller(claims, emailPolicy);
    });

    // Assess
    expect([unverified?.reason, missingFlag?.reason]).toEqual(['email-not-verified', 'email-not-verified']);
  });

  it('does not accept a boolean true for email_verified: the authorizer only ever sends strings', () => {
    // Prepare
    const claims = { ...idTokenClaims({ email: 'bob@example.com' }), email_verified: true };

    // Act
    const result = refusal(() => mapCaller(claims, emailPolicy));

    // Assess
    expect(result?.reason).toBe('email-not-verified');
  });
});

describe('refusing tokens that may not use /v1/me', () => {
  it('refuses an access token in an ID-token deployment', () => {
    // Act
    const result = refusal(() => mapCaller(accessTokenClaims({ 'custom:iam_username': 'alice' }), idPolicy));

    // Assess
    expect(result).toEqual({ name: 'ForbiddenError', code: 'forbidden', reason: 'wrong-token-use' });
  });

  it('refuses an ID token in an access-token deployment', () => {
    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ scope: 'mfa-resync/self' }), accessPolicy));

    // Assess
    expect(result?.reason).toBe('wrong-token-use');
  });

  it('refuses a machine token that carries the scope and even a mapping claim (F-6.3.3)', () => {
    // Prepare
    const policy: IdentityPolicy = { ...accessPolicy, mappingClaim: 'custom:iam_username' };

    // Act
    const result = refusal(() => mapCaller(machineTokenClaims({ 'custom:iam_username': 'alice' }), policy));

    // Assess
    expect(result).toEqual({ name: 'ForbiddenError', code: 'forbidden', reason: 'machine-token' });
  });

  it('refuses an ID token without cognito:username as a machine token', () => {
    // Prepare
    const { 'cognito:username': _dropped, ...claims } = idTokenClaims();

    // Act
    const result = refusal(() => mapCaller(claims, idPolicy));

    // Assess
    expect(result?.reason).toBe('machine-token');
  });

  it('accepts a person\'s access token with the required scope among others', () => {
    // Act
    const caller = mapCaller(accessTokenClaims({ scope: 'openid  mfa-resync/self profile' }), accessPolicy);

    // Assess
    expect(caller).toMatchObject({ cognitoUsername: 'alice', iamUserName: 'alice' });
  });

  it.each([
    ['no scope at all', accessTokenClaims({ scope: '' })],
    ['only other scopes', accessTokenClaims({ scope: 'openid aws.cognito.signin.user.admin' })],
    ['a scope that only starts like the required one', accessTokenClaims({ scope: 'mfa-resync/self-admin' })],
  ])('refuses an access token with %s', (_label, claims) => {
    // Act
    const result = refusal(() => mapCaller(claims, accessPolicy));

    // Assess
    expect(result?.reason).toBe('missing-scope');
  });

  it('checks the token before the mapping: an unmapped machine token is forbidden, not unmapped', () => {
    // Act
    const result = refusal(() => mapCaller(machineTokenClaims(), accessPolicy));

    // Assess
    expect(result?.code).toBe('forbidden');
  });

  it('refuses a caller outside REQUIRED_GROUP before looking at the mapping', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, requiredGroup: 'mfa-self-service' };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ 'cognito:groups': 'admins', 'custom:iam_username': '' }), policy));

    // Assess
    expect(result).toEqual({ name: 'ForbiddenError', code: 'forbidden', reason: 'missing-group' });
  });

  it.each([
    ['a single bare group', 'mfa-self-service'],
    ['a comma-separated list', 'admins,mfa-self-service'],
    ['a bracketed, space-separated list', '[admins mfa-self-service]'],
  ])('accepts REQUIRED_GROUP given as %s (F-5.2.3)', (_label, groups) => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, requiredGroup: 'mfa-self-service' };

    // Act
    const caller = mapCaller(idTokenClaims({ 'cognito:groups': groups }), policy);

    // Assess
    expect(caller.iamUserName).toBe('alice');
  });

  it('refuses a group that only contains the required name as a substring', () => {
    // Prepare
    const policy: IdentityPolicy = { ...idPolicy, requiredGroup: 'mfa' };

    // Act
    const result = refusal(() => mapCaller(idTokenClaims({ 'cognito:groups': '[mfa-self-service admins]' }), policy));

    // Assess
    expect(result?.reason).toBe('missing-group');
  });

  it('refuses everything when the event has no claims at all', () => {
    // Act
    const result = refusal(() => mapCaller(null, idPolicy));

    // Assess
    expect(result?.code).toBe('forbidden');
  });
});

describe('parsing flattened cognito:groups', () => {
  it.each([
    ['admins', ['admins']],
    ['a,b', ['a', 'b']],
    ['a, b', ['a', 'b']],
    ['[a b]', ['a', 'b']],
    ['[a]', ['a']],
    ['[]', []],
    ['', []],
  ])('reads %p as %p', (value, groups) => {
    // Act
    const parsed = parseGroups(value);

    // Assess
    expect(parsed).toEqual(groups);
  });
});
