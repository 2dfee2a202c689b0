// SPDX-License-Identifier: Apache-2.0
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import {
  CONTEXT_KEYS,
  CONTEXT_KEY_PROPS,
  UnknownContextKeyError,
  checkContextKeys,
  contextErrorHint,
  readAppSettings,
  type ContextKey,
} from '../../lib/app-context';

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

describe('context keys', () => {
  test('rejects a key that is not ours, naming the valid keys and the likely one', () => {
    expect(() => checkContextKeys(['allowedOrigins', 'alowedOrigins'])).toThrow(UnknownContextKeyError);
    expect(() => checkContextKeys(['alowedOrigins'])).toThrow(/unknown context key 'alowedOrigins' \(did you mean 'allowedOrigins'\?\); valid keys \(lib\/app-context\.ts\): userPoolId, .*stackName$/);
    expect(() => checkContextKeys(['Tracing', 'colour'])).toThrow(/unknown context keys 'Tracing' \(did you mean 'tracing'\?\), 'colour'; valid keys/);
  });

  test('accepts every key of ours', () => {
    expect(() => checkContextKeys(CONTEXT_KEYS)).not.toThrow();
  });

  test("ignores the keys CDK sets itself: feature flags, aws:cdk:*, lookups, acknowledged notices", () => {
    expect(() =>
      checkContextKeys([
        'aws:cdk:enable-path-metadata',
        'aws:cdk:bundling-stacks',
        '@aws-cdk/core:failSynthOnValidationErrors',
        '@aws-cdk/aws-lambda:recognizeLayerVersion',
        'availability-zones:account=111122223333:region=us-east-1',
        'acknowledged-issue-numbers',
      ]),
    ).not.toThrow();
  });

  test('maps every key to a prop, and the hint names the key for a prop in a construct error', () => {
    expect(Object.keys(CONTEXT_KEY_PROPS).sort()).toEqual([...CONTEXT_KEYS].sort());
    const hint = contextErrorHint(new Error('wafRateWindow must be 1, 2, 5 or 10 minutes (F-5.8.3), got 7 seconds'));
    expect(hint).toContain('lib/app-context.ts');
    expect(hint).toMatch(/-c wafRateWindowSeconds\s+->\s+wafRateWindow$/);
    const throttling = contextErrorHint(new Error('throttlingRateLimit must be a positive number of requests per second, got 0'));
    expect(throttling).toMatch(/-c throttleRateLimit\s+->\s+throttlingRateLimit$/);
    expect(throttling).not.toContain('resyncThrottleRateLimit');
  });

  test('the hint lists the whole mapping when the message names no key or prop', () => {
    const hint = contextErrorHint(new Error('something else went wrong'));
    for (const key of CONTEXT_KEYS) expect(hint).toContain(`-c ${key} `);
  });
});

describe('the CDK app (bin/mfa-resync.ts)', () => {
  // Runs the app as `cdk synth` does: context in CDK_CONTEXT_JSON, output to CDK_OUTDIR.
  const synth = (context: Record<string, unknown>) => {
    const outdir = mkdtempSync(join(tmpdir(), 'mfa-resync-synth-'));
    try {
      const { CDK_DEBUG: _debug, ...env } = process.env;
      return spawnSync(process.execPath, ['--import', 'tsx', 'bin/mfa-resync.ts'], {
        cwd: join(__dirname, '..', '..'),
        env: { ...env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-path-metadata': true, ...context }) },
        encoding: 'utf8',
        timeout: 60_000,
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };

  test('exits 1 on an unknown key with an error line, no stack trace', () => {
    const result = synth({ alowedOrigins: 'https://a.example.com' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: unknown context key 'alowedOrigins' \(did you mean 'allowedOrigins'\?\)/);
    expect(result.stderr).toContain('hint: every -c key is listed and documented in lib/app-context.ts');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  test('exits 1 on a value the construct refuses, naming the -c key for the prop', () => {
    const result = synth({ wafRateWindowSeconds: '7' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: wafRateWindow must be 1, 2, 5 or 10 minutes/);
    expect(result.stderr).toMatch(/-c wafRateWindowSeconds\s+->\s+wafRateWindow/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
