#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * The CDK app. Configuration comes only from CDK context; every key is listed and documented in
 * `lib/app-context.ts`. Examples:
 *
 *   npx cdk synth                                             # new pool, ID tokens, no CORS
 *   npx cdk deploy -c userPoolId=us-east-1_AbCdEf123 -c allowedClientIds=1abc...,2def...
 *   npx cdk deploy -c tokenUse=access -c requiredScope=mfa-resync/self-service \
 *                  -c callbackUrls=https://portal.example.com/callback
 *   npx cdk deploy -c mappingClaim=email -c 'mappingPattern=^([^@]+)@example\.com$' \
 *                  -c iamUserPathPrefix=/mfa-self-service/ -c allowedOrigins=https://portal.example.com
 *   npx cdk deploy -c bindingTagKey=mfa-resync:sub -c bindingClaim=sub \
 *                  -c alarmTopicArn=arn:aws:sns:us-east-1:111122223333:ops -c reservedConcurrency=5
 *   npx cdk deploy -c scopedCredentials=false -c webAcl=false     # single role, no WAF (see docs/security.md)
 *
 * An unknown context key, or a value that fails the construct's validation, ends the synth with
 * `error: <message>` and the context key(s) to fix (exit code 1).
 *
 * The stack pins no account or region (environment-agnostic), so synth needs no credentials
 * and makes no lookups. cdk-nag's AwsSolutions pack runs on every synth: an unacknowledged
 * error-level finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkContextKeys, contextErrorHint, readAppSettings } from '../lib/app-context';
import { MfaResyncStack } from '../lib/mfa-resync-stack';

const app = new App();

// A bad -c value (or a typo in a key) is the CLI user's to fix: print what is wrong and which
// key sets it, not a stack trace (`cdk synth --debug` sets CDK_DEBUG and keeps the trace).
try {
  checkContextKeys(Object.keys(app.node.getAllContext()));
  const settings = readAppSettings((key) => app.node.tryGetContext(key));

  new MfaResyncStack(app, settings.stackName, {
    description: 'mfa-resync: self-service resynchronisation of drifted IAM MFA devices',
    api: settings.apiProps,
    ...(settings.userPoolId === undefined ? {} : { userPoolId: settings.userPoolId }),
    ...(settings.alarmTopicArn === undefined ? {} : { alarmTopicArn: settings.alarmTopicArn }),
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n${contextErrorHint(error)}\n`);
  if (process.env.CDK_DEBUG === 'true' && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
