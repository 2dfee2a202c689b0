// SPDX-License-Identifier: Apache-2.0
/**
 * The rules the function's environment (lambda/config.ts) and the construct's props
 * (lib/mfa-resync-api-validation.ts) share through lambda/config-rules.ts: both sides accept
 * and refuse the same values, so a synthesised stack never deploys a function that then
 * fails its cold start, and the alarms watch the namespace the function writes to.
 */
import { Duration } from 'aws-cdk-lib';
import { loadConfig } from '../../lambda/config';
import { DEFAULT_METRICS_NAMESPACE as LAMBDA_NAMESPACE } from '../../lambda/config';
import { METRIC_NAMES } from '../../lambda/metrics';
import { DEFAULT_METRICS_NAMESPACE as ALARM_NAMESPACE, FUNCTION_METRICS } from '../../lib/alarms';
import { validateProps } from '../../lib/mfa-resync-api-validation';

const BASE = { AWS_REGION: 'us-east-1' };
const ROLE = 'arn:aws:iam::111122223333:role/mfa-resync-executor';

const lambdaAccepts = (env: Record<string, string>): boolean => {
  try {
    loadConfig({ ...BASE, ...env });
    return true;
  } catch {
    return false;
  }
};
const libAccepts = (props: Parameters<typeof validateProps>[0]): boolean => {
  try {
    validateProps(props);
    return true;
  } catch {
    return false;
  }
};

describe('one rule on both sides', () => {
  it.each([
    ['mfa-resync:cognito-sub', true],
    ['Team Sub', true],
    ['aws:x', false],
    ['AWS:Sub', false],
    ['a,b', false],
  ])('binding tag key %j: accepted=%s by the Lambda and the construct', (tagKey, accepted) => {
    expect(lambdaAccepts({ EXECUTOR_ROLE_ARN: ROLE, BINDING_TAG_KEY: tagKey, BINDING_CLAIM: 'sub' })).toBe(accepted);
    expect(libAccepts({ bindingTagKey: tagKey, bindingClaim: 'sub' })).toBe(accepted);
  });

  it.each([
    ['MfaResync', true],
    ['Team/Mfa Resync', true],
    ['Security#1:mfa.resync-x_y', true],
    ['AWS/Lambda', false],
    ['a*b', false],
    ['x'.repeat(256), false],
  ])('metrics namespace %j: accepted=%s by the Lambda and the construct', (namespace, accepted) => {
    expect(lambdaAccepts({ POWERTOOLS_METRICS_NAMESPACE: namespace })).toBe(accepted);
    expect(libAccepts({ metricsNamespace: namespace })).toBe(accepted);
  });

  it('refuses a namespace with a trailing space in the construct: the Lambda would trim it', () => {
    expect(libAccepts({ metricsNamespace: 'MfaResync ' })).toBe(false);
  });

  it.each([
    ['/', true],
    ['/people/', true],
    ['people/', false],
    ['/people', false],
    ['/a*/', false],
    [`/${'a'.repeat(511)}/`, false],
  ])('IAM path prefix %j: accepted=%s by the Lambda and the construct', (prefix, accepted) => {
    expect(lambdaAccepts({ IAM_USER_PATH_PREFIX: prefix })).toBe(accepted);
    expect(libAccepts({ iamUserPathPrefix: prefix })).toBe(accepted);
  });

  it.each([
    [99, false],
    [100, true],
    [14_000, true],
    [14_001, false],
  ])('IAM budget %d ms: accepted=%s by the Lambda and the construct', (ms, accepted) => {
    expect(lambdaAccepts({ IAM_BUDGET_MS: String(ms) })).toBe(accepted);
    expect(libAccepts({ iamBudget: Duration.millis(ms) })).toBe(accepted);
  });

  it('the alarms use the metric names and default namespace the function emits', () => {
    expect(FUNCTION_METRICS).toBe(METRIC_NAMES);
    expect(ALARM_NAMESPACE).toBe(LAMBDA_NAMESPACE);
  });
});
