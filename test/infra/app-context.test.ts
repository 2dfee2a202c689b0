// SPDX-License-Identifier: Apache-2.0
import { Duration } from 'aws-cdk-lib';
import { readAppSettings, type ContextKey } from '../../lib/app-context';

const from = (context: Partial<Record<ContextKey, unknown>>) => (key: ContextKey) => context[key];

describe('CDK context', () => {
  test('no context gives the defaults: stack MfaResync, a created pool, no props', () => {
    expect(readAppSettings(from({}))).toEqual({ stackName: 'MfaResync', apiProps: {} });
  });

  test('strings from -c become typed props', () => {
    const settings = readAppSettings(
      from({
        userPoolId: 'eu-west-1_AbCdEf123',
        tokenUse: 'access',
        requiredScope: 'mfa-resync/self-service',
        allowedOrigins: 'https://a.example.com, https://b.example.com',
        throttleRateLimit: '2',
        throttleBurstLimit: '4',
        authorizerCacheTtlSeconds: '0',
        iamBudgetMs: '5000',
        tracing: 'true',
        createApiGatewayCloudWatchRole: 'false',
        iamUserPathPrefix: '/mfa/',
        stackName: 'MfaResyncProd',
      }),
    );
    expect(settings).toEqual({
      stackName: 'MfaResyncProd',
      userPoolId: 'eu-west-1_AbCdEf123',
      apiProps: {
        tokenUse: 'access',
        requiredScope: 'mfa-resync/self-service',
        allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
        throttlingRateLimit: 2,
        throttlingBurstLimit: 4,
        authorizerResultsCacheTtl: Duration.seconds(0),
        iamBudget: Duration.millis(5000),
        tracing: true,
        createApiGatewayCloudWatchRole: false,
        iamUserPathPrefix: '/mfa/',
      },
    });
  });

  test('JSON values from cdk.json are accepted too', () => {
    const settings = readAppSettings(from({ callbackUrls: ['https://p.example.com/cb'], throttleRateLimit: 3, tracing: false }));
    expect(settings.apiProps).toEqual({ callbackUrls: ['https://p.example.com/cb'], throttlingRateLimit: 3, tracing: false });
  });

  test('abuse-control, credential and alarm keys become typed props', () => {
    const settings = readAppSettings(
      from({
        scopedCredentials: 'false',
        bindingTagKey: 'mfa-resync:sub',
        bindingClaim: 'sub',
        metricsNamespace: 'Security/MfaResync',
        webAcl: 'false',
        webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/a/b',
        wafIpRateLimit: '200',
        wafTokenRateLimit: '30',
        wafRateWindowSeconds: '600',
        resyncThrottleRateLimit: '0.5',
        resyncThrottleBurstLimit: '3',
        reservedConcurrency: '5',
        alarms: 'true',
        alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops',
      }),
    );
    expect(settings).toEqual({
      stackName: 'MfaResync',
      alarmTopicArn: 'arn:aws:sns:us-east-1:111122223333:ops',
      apiProps: {
        scopedCredentials: false,
        bindingTagKey: 'mfa-resync:sub',
        bindingClaim: 'sub',
        metricsNamespace: 'Security/MfaResync',
        webAcl: false,
        webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/a/b',
        wafIpRateLimit: 200,
        wafTokenRateLimit: 30,
        wafRateWindow: Duration.seconds(600),
        resyncThrottlingRateLimit: 0.5,
        resyncThrottlingBurstLimit: 3,
        reservedConcurrentExecutions: 5,
        alarms: true,
      },
    });
  });

  test.each<[string, Partial<Record<ContextKey, unknown>>, RegExp]>([
    ['a malformed alarm topic ARN', { alarmTopicArn: 'ops' }, /context alarmTopicArn must be an SNS topic ARN/],
    ['a non-boolean scopedCredentials', { scopedCredentials: 'no' }, /context scopedCredentials must be true or false/],
    ['a malformed pool ID', { userPoolId: 'not a pool' }, /context userPoolId must look like/],
    ['a non-numeric rate', { throttleRateLimit: 'fast' }, /context throttleRateLimit must be a non-negative number/],
    ['a non-boolean flag', { tracing: 'yes' }, /context tracing must be true or false/],
    ['a list of numbers', { allowedOrigins: [1, 2] }, /context allowedOrigins must be a comma-separated string/],
  ])('rejects %s', (_name, context, message) => {
    expect(() => readAppSettings(from(context))).toThrow(message);
  });
});
