// SPDX-License-Identifier: Apache-2.0
/**
 * The cdk-nag AwsSolutions gate (aesthetics §5): after the construct's and the stack's
 * acknowledgements, nothing is left, at any severity, for the stack shapes we ship.
 */
import { Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { MfaResyncStackProps } from '../../lib/mfa-resync-stack';
import { ACCESS_SCOPE, IMPORTED_POOL_ID, synthStack } from './synth';

function findings(props: MfaResyncStackProps): string[] {
  const { app } = synthStack(props);
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} (${violation.severity}) at ${resource.resourceLogicalId}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  test('the default stack (created pool, ID tokens) has no unacknowledged finding', () => {
    expect(findings({})).toEqual([]);
  });

  test('an imported-pool, access-token stack with CORS, a path prefix and X-Ray has no unacknowledged finding', () => {
    expect(
      findings({
        userPoolId: IMPORTED_POOL_ID,
        api: {
          tokenUse: 'access',
          requiredScope: ACCESS_SCOPE,
          mappingClaim: 'username',
          allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
          iamUserPathPrefix: '/mfa-self-service/',
          tracing: true,
        },
      }),
    ).toEqual([]);
  });

  test('a created pool in access mode on the Plus plan has no unacknowledged finding', () => {
    expect(
      findings({
        api: {
          tokenUse: 'access',
          requiredScope: ACCESS_SCOPE,
          callbackUrls: ['https://portal.example.com/cb'],
          userPoolFeaturePlan: cognito.FeaturePlan.PLUS,
        },
      }),
    ).toEqual([]);
  });

  test('single-role mode (scopedCredentials: false) has no unacknowledged finding', () => {
    expect(findings({ api: { scopedCredentials: false, iamUserPathPrefix: '/mfa-self-service/' } })).toEqual([]);
  });

  test('scoped mode with binding, reserved concurrency and a path prefix has no unacknowledged finding', () => {
    expect(
      findings({ api: { bindingTagKey: 'mfa-resync:sub', bindingClaim: 'sub', reservedConcurrentExecutions: 2, iamUserPathPrefix: '/team/' } }),
    ).toEqual([]);
  });

  test('without WAF (webAcl: false), APIG3 is acknowledged as the deployer opt-out and nothing else is left', () => {
    expect(findings({ api: { webAcl: false } })).toEqual([]);
    expect(findings({ userPoolId: IMPORTED_POOL_ID, api: { webAcl: false, scopedCredentials: false } })).toEqual([]);
  });

  test('with an existing web ACL (webAclArn) APIG3 passes without acknowledgement', () => {
    const { app } = synthStack({
      api: { webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/shared/1234abcd-12ab-34cd-56ef-1234567890ab' },
    });
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations).toEqual([]);
    expect(JSON.stringify(report)).not.toContain('APIG3');
  });

  test('with the created web ACL, APIG3 is satisfied, not acknowledged (the stack no longer acknowledges it)', () => {
    const acknowledgements = (props: MfaResyncStackProps): string =>
      JSON.stringify(synthStack(props).stack.mfaResync.api.deploymentStage.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'));
    expect(acknowledgements({})).not.toContain('APIG3');
    expect(acknowledgements({ api: { webAcl: false } })).toContain('AwsSolutions-APIG3');
  });

  test('the gate is not vacuous: an unacknowledged wildcard grant is reported', () => {
    const { app, stack } = synthStack({});
    stack.mfaResync.handlerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['iam:GetUser'], resources: ['*'] }));
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((violation) => violation.ruleName);
    expect(rules).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('acknowledgements are specific: acknowledging a different finding does not hide one', () => {
    const { app, stack } = synthStack({});
    const role = new iam.Role(stack, 'Extra', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/SomethingElse]', reason: 'test' });
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((violation) => violation.ruleName);
    expect(rules.some((rule) => rule.startsWith('AwsSolutions-IAM4'))).toBe(true);
  });
});
