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
