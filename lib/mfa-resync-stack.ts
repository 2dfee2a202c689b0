// SPDX-License-Identifier: Apache-2.0
/**
 * The deployable unit: one `MfaResyncApi` and the outputs a portal needs. Environment-agnostic
 * (no account or region, no lookups), so `cdk synth` works offline and without credentials.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { MfaResyncApi, type MfaResyncApiProps } from './mfa-resync-api';

export interface MfaResyncStackProps extends StackProps {
  /**
   * Passed to the construct unchanged.
   *
   * @default - the construct's defaults (new user pool, ID tokens, no CORS)
   */
  readonly api?: MfaResyncApiProps;

  /**
   * An existing user pool to accept tokens from, by ID (`us-east-1_AbCdEf123`). Imported
   * without a lookup, so synth stays offline.
   *
   * @default - the construct creates a pool (unless `api.userPool` is given)
   */
  readonly userPoolId?: string;

  /**
   * An existing SNS topic, by ARN, for every alarm to notify (imported without a lookup).
   *
   * @default - the construct's `api.alarmTopic`, if any
   */
  readonly alarmTopicArn?: string;
}

export class MfaResyncStack extends Stack {
  public readonly mfaResync: MfaResyncApi;

  constructor(scope: Construct, id: string, props: MfaResyncStackProps = {}) {
    super(scope, id, props);
    if (props.userPoolId !== undefined && props.api?.userPool !== undefined) {
      throw new Error('give either userPoolId or api.userPool, not both');
    }
    if (props.alarmTopicArn !== undefined && props.api?.alarmTopic !== undefined) {
      throw new Error('give either alarmTopicArn or api.alarmTopic, not both');
    }
    const userPool =
      props.userPoolId === undefined ? props.api?.userPool : cognito.UserPool.fromUserPoolId(this, 'ImportedUserPool', props.userPoolId);
    const alarmTopic =
      props.alarmTopicArn === undefined ? props.api?.alarmTopic : sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn);
    this.mfaResync = new MfaResyncApi(this, 'MfaResync', {
      ...props.api,
      ...(userPool ? { userPool } : {}),
      ...(alarmTopic ? { alarmTopic } : {}),
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Stage URL; the routes are <ApiUrl>v1/me/mfa-devices and <ApiUrl>v1/me/mfa-devices/resync',
      value: this.mfaResync.api.url,
    });
    new CfnOutput(this, 'UserPoolId', {
      description: 'The Cognito user pool whose tokens the API accepts',
      value: this.mfaResync.userPool.userPoolId,
    });
    if (this.mfaResync.userPoolClient) {
      new CfnOutput(this, 'UserPoolClientId', {
        description: 'The portal app client (public, no secret)',
        value: this.mfaResync.userPoolClient.userPoolClientId,
      });
    }
  }
}
