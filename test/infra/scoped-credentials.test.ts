// SPDX-License-Identifier: Apache-2.0
/** The executor role of scoped credentials, and the single-role opt-out, as synthesized. */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { onlyResource, synthStack } from './synth';

function roles(template: Template): { handler: { id: string; properties: any }; executor?: { id: string; properties: any } } {
  const handler = onlyResource(template, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
  });
  const executors = template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('^mfa-resync executor:') } });
  const [id] = Object.keys(executors);
  return { handler, ...(id === undefined ? {} : { executor: { id, properties: (executors[id] as any).Properties } }) };
}

function userArn(pathWithoutLeadingSlash: string): object {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:user/${pathWithoutLeadingSlash}*`]],
  };
}

/** Every statement of every identity policy (inline or attached) of a role. */
function allStatements(template: Template, roleId: string, inline: any[] | undefined): any[] {
  const attached = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return [
    ...(inline ?? []).flatMap((policy) => policy.PolicyDocument.Statement),
    ...Object.values(attached).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement),
  ];
}

describe('scoped credentials (default)', () => {
  const { template } = synthStack({ api: { iamUserPathPrefix: '/mfa-self-service/' } });
  const { handler, executor } = roles(template);

  test('there is exactly one executor role, with a 1 h maximum session (F-4.4.3)', () => {
    expect(executor).toBeDefined();
    expect(executor!.properties.MaxSessionDuration).toBe(3600);
    expect(executor!.properties.ManagedPolicyArns).toBeUndefined();
  });

  test('executor identity policy: exactly GetUser, ListMFADevices, ResyncMFADevice on user<prefix>* and nothing else', () => {
    expect(allStatements(template, executor!.id, executor!.properties.Policies)).toEqual([
      {
        Sid: 'LookUpListAndResyncUsersUnderPath',
        Effect: 'Allow',
        Action: ['iam:GetUser', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: userArn('mfa-self-service/'),
      },
    ]);
  });

  test('executor trust policy: only the function role, AssumeRole + SetSourceIdentity, SourceIdentity required, no TagSession (F-4.4.4, F-4.4.6)', () => {
    expect(executor!.properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OnlyTheFunctionRoleWithSourceIdentity',
          Effect: 'Allow',
          Principal: { AWS: [{ 'Fn::GetAtt': [handler.id, 'Arn'] }] },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: { Null: { 'sts:SourceIdentity': 'false' } },
        },
      ],
    });
  });

  test('function role: no IAM action at all; STS only on the executor role', () => {
    const statements = allStatements(template, handler.id, handler.properties.Policies);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action: string) => action.startsWith('iam:'))).toEqual([]);
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('sts:'))).toEqual([
      expect.objectContaining({ Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: { 'Fn::GetAtt': [executor!.id, 'Arn'] } }),
    ]);
  });

  test('nothing else may assume the executor role, and the function gets its ARN', () => {
    const fn = onlyResource(template, 'AWS::Lambda::Function').properties;
    expect(fn.Environment.Variables.EXECUTOR_ROLE_ARN).toEqual({ 'Fn::GetAtt': [executor!.id, 'Arn'] });
    const mentions = Object.entries(template.toJSON().Resources as Record<string, any>)
      .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::Role')
      .filter(([, resource]) => JSON.stringify(resource.Properties.PolicyDocument ?? resource.Properties.Policies ?? {}).includes(executor!.id))
      .map(([id]) => id);
    expect(mentions).toHaveLength(1);
  });
});

describe('single-role mode (scopedCredentials: false)', () => {
  const { template } = synthStack({ api: { scopedCredentials: false } });

  test('creates no executor role and sets no EXECUTOR_ROLE_ARN', () => {
    expect(roles(template).executor).toBeUndefined();
    const fn = onlyResource(template, 'AWS::Lambda::Function').properties;
    expect(fn.Environment.Variables.EXECUTOR_ROLE_ARN).toBeUndefined();
  });

  test('the function role has no STS action', () => {
    const { handler } = roles(template);
    const actions = allStatements(template, handler.id, handler.properties.Policies).flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action: string) => action.startsWith('sts:'))).toEqual([]);
  });
});
