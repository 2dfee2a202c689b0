// SPDX-License-Identifier: Apache-2.0
/** Scoped mode, STS endpoint and binding settings (the names the infra helper sets). */
import { ConfigError, loadConfig } from '../../lambda/config';

const base = { AWS_REGION: 'eu-west-1' };
const ROLE = 'arn:aws-us-gov:iam::444455556666:role/service/mfa-resync-executor';

describe('scoped mode configuration', () => {
  it('takes partition and account from EXECUTOR_ROLE_ARN (F-2.1.1)', () => {
    expect(loadConfig({ ...base, EXECUTOR_ROLE_ARN: ROLE, STS_ENDPOINT: 'http://127.0.0.1:4566' }).scoped).toEqual({
      executorRoleArn: ROLE,
      partition: 'aws-us-gov',
      accountId: '444455556666',
      stsEndpoint: 'http://127.0.0.1:4566',
    });
  });

  it('is single-role mode when EXECUTOR_ROLE_ARN is unset or empty', () => {
    expect(loadConfig({ ...base, EXECUTOR_ROLE_ARN: '' }).scoped).toBeUndefined();
  });

  it.each([
    ['a user ARN', { EXECUTOR_ROLE_ARN: 'arn:aws:iam::111122223333:user/alice' }, 'EXECUTOR_ROLE_ARN'],
    ['a role name', { EXECUTOR_ROLE_ARN: 'mfa-resync-executor' }, 'EXECUTOR_ROLE_ARN'],
    ['an STS endpoint without a role', { STS_ENDPOINT: 'http://127.0.0.1:1' }, 'STS_ENDPOINT'],
    ['an STS endpoint that is no URL', { EXECUTOR_ROLE_ARN: ROLE, STS_ENDPOINT: 'localhost' }, 'STS_ENDPOINT'],
    ['a tag key without a claim', { EXECUTOR_ROLE_ARN: ROLE, BINDING_TAG_KEY: 'mfa-resync:cognito-sub' }, 'BINDING_CLAIM'],
    ['a claim without a tag key', { EXECUTOR_ROLE_ARN: ROLE, BINDING_CLAIM: 'sub' }, 'BINDING_TAG_KEY'],
    ['binding in single-role mode (no GetUser, no tags)', { BINDING_TAG_KEY: 'k', BINDING_CLAIM: 'sub' }, 'BINDING_TAG_KEY'],
    ['a tag key IAM refuses', { EXECUTOR_ROLE_ARN: ROLE, BINDING_TAG_KEY: 'a,b', BINDING_CLAIM: 'sub' }, 'BINDING_TAG_KEY'],
    ['a bad metrics namespace', { POWERTOOLS_METRICS_NAMESPACE: 'a*b' }, 'POWERTOOLS_METRICS_NAMESPACE'],
  ])('refuses %s', (_label, env, variable) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(variable);
  });

  it('reads the binding with scoped mode', () => {
    expect(loadConfig({ ...base, EXECUTOR_ROLE_ARN: ROLE, BINDING_TAG_KEY: 'mfa-resync:cognito-sub', BINDING_CLAIM: 'sub' }).binding).toEqual({
      tagKey: 'mfa-resync:cognito-sub',
      claim: 'sub',
    });
  });
});
