// SPDX-License-Identifier: Apache-2.0
/** lib/iam-policies.ts: the policy JSON both the construct and the local stack use. */
import {
  escapeArnForPolicy,
  executorRolePolicy,
  executorTrustPolicy,
  iamUserArnPattern,
  lookupSessionPolicy,
  scopedFunctionPolicy,
  singleRoleFunctionPolicy,
  userSessionPolicy,
} from '../../lib/iam-policies';

const scope = { partition: 'aws', account: '111122223333', pathPrefix: '/mfa-self-service/' };
const executorArn = 'arn:aws:iam::111122223333:role/Executor';
const functionRoleArn = 'arn:aws:iam::111122223333:role/Handler';

describe('iam-policies', () => {
  test('the user pattern is the path prefix followed by * (F-4.3.1)', () => {
    expect(iamUserArnPattern(scope)).toBe('arn:aws:iam::111122223333:user/mfa-self-service/*');
    expect(iamUserArnPattern({ ...scope, pathPrefix: '/' })).toBe('arn:aws:iam::111122223333:user/*');
  });

  test('scoped function policy: only AssumeRole and SetSourceIdentity on the executor role (F-4.4.6), no TagSession, no iam:*', () => {
    const document = scopedFunctionPolicy(executorArn);
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AssumeExecutorRoleWithSourceIdentity', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: [executorArn] }],
    });
    const actions = document.Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.startsWith('iam:') || action === 'sts:TagSession')).toEqual([]);
  });

  test('single-role function policy: List+Resync on the pattern only', () => {
    expect(singleRoleFunctionPolicy(scope).Statement).toEqual([
      expect.objectContaining({ Action: ['iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: ['arn:aws:iam::111122223333:user/mfa-self-service/*'] }),
    ]);
  });

  test('executor identity policy: GetUser, List, Resync on the pattern only', () => {
    expect(executorRolePolicy(scope).Statement).toEqual([
      {
        Sid: 'LookUpListAndResyncUsersUnderPath',
        Effect: 'Allow',
        Action: ['iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: ['arn:aws:iam::111122223333:user/mfa-self-service/*'],
      },
    ]);
  });

  test('executor trust policy: only the function role, AssumeRole+SetSourceIdentity, SourceIdentity required (F-4.4.6)', () => {
    expect(executorTrustPolicy(functionRoleArn).Statement).toEqual([
      {
        Sid: 'OnlyTheFunctionRoleWithSourceIdentity',
        Effect: 'Allow',
        Principal: { AWS: [functionRoleArn] },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Condition: { Null: { 'sts:SourceIdentity': 'false' } },
      },
    ]);
  });

  test('session policies are subsets of the executor policy (F-4.4.1: the intersection applies)', () => {
    const allowed = new Set(executorRolePolicy(scope).Statement.flatMap((statement) => statement.Action));
    for (const document of [lookupSessionPolicy(scope), userSessionPolicy('arn:aws:iam::111122223333:user/mfa-self-service/alice')]) {
      for (const action of document.Statement.flatMap((statement) => statement.Action)) expect(allowed.has(action)).toBe(true);
    }
    expect(lookupSessionPolicy(scope).Statement).toEqual([expect.objectContaining({ Action: ['iam:GetUser'], Resource: [iamUserArnPattern(scope)] })]);
  });

  test('the user session names one exact ARN, never a suffix pattern like user/*alice (F-4.3.2)', () => {
    const document = userSessionPolicy('arn:aws:iam::111122223333:user/mfa-self-service/alice');
    expect(document.Statement).toEqual([
      { Effect: 'Allow', Action: ['iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: ['arn:aws:iam::111122223333:user/mfa-self-service/alice'] },
    ]);
  });

  test('wildcards and policy-variable starts in a user path are escaped (F-1.5.3)', () => {
    expect(escapeArnForPolicy('arn:aws:iam::111122223333:user/a*b/c?d/${x}/alice')).toBe(
      'arn:aws:iam::111122223333:user/a${*}b/c${?}d/${$}{x}/alice',
    );
    expect(userSessionPolicy('arn:aws:iam::1:user/p*/bob').Statement[0]?.Resource).toEqual(['arn:aws:iam::1:user/p${*}/bob']);
  });
});
