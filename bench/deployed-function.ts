// SPDX-License-Identifier: Apache-2.0
/**
 * The function as the construct deploys it, read from the construct itself rather than restated:
 * its Lambda runtime (hence the Node major the bundle must run under) and its environment.
 * The construct is instantiated in a throwaway app with bundling skipped, which takes well
 * under a second; nothing is synthesized to disk.
 *
 * The bundle is the same in every configuration; the configuration decides which IAM (and STS)
 * calls a request makes. Benchmarks and the runtime test use single-role mode
 * (`scopedCredentials: false`; `npm start` with SCOPED_CREDENTIALS=false), whose request path is
 * ListMFADevices (+ ResyncMFADevice) only; scoped mode adds an AssumeRole per request.
 */
import { App, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { MfaResyncApi, type MfaResyncApiProps } from '../lib/mfa-resync-api';

export interface DeployedFunction {
  /** The Lambda runtime name, e.g. `nodejs24.x`. */
  readonly runtimeName: string;
  /** The Node.js major version of that runtime, e.g. 24. */
  readonly nodeMajor: number;
  /** The function's environment variables as the construct sets them (default props). */
  readonly environment: Readonly<Record<string, string>>;
}

export function readDeployedFunction(props: Omit<MfaResyncApiProps, 'userPool'> = { scopedCredentials: false }): DeployedFunction {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'RuntimeProbe', { env: { account: '111122223333', region: 'us-east-1' } });
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_Probe');
  const construct = new MfaResyncApi(stack, 'MfaResync', { createApiGatewayCloudWatchRole: false, ...props, userPool });
  const runtimeName = construct.handler.runtime.name;
  const match = /^nodejs(\d+)\.x$/.exec(runtimeName);
  if (match?.[1] === undefined) throw new Error(`the function's runtime ${runtimeName} is not a versioned Node.js runtime`);
  const environment = { ...construct.handlerEnvironment } as Record<string, string>;
  // A value only known at deploy time (an ARN of another resource) cannot be run locally.
  const deployTime = Object.keys(environment).filter((name) => Token.isUnresolved(environment[name]));
  if (deployTime.length > 0) throw new Error(`the function's environment has deploy-time values: ${deployTime.join(', ')}`);
  return { runtimeName, nodeMajor: Number(match[1]), environment };
}
