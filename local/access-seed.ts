// SPDX-License-Identifier: Apache-2.0
/**
 * Who may do what at the local IAM/STS emulator, from the same policy builders as the CDK stack
 * (`lib/iam-policies.ts`): the Lambda's access key stands for the function role, and in scoped
 * mode the executor role trusts only that role. So the local stack enforces what AWS would: the
 * function can only assume the executor role (with SourceIdentity), and each executor session
 * only reaches the one user its session policy names.
 */
import {
  executorRolePolicy,
  executorTrustPolicy,
  scopedFunctionPolicy,
  singleRoleFunctionPolicy,
  type PolicyDocumentJson,
} from '../lib/iam-policies';
import { LOCAL_EXECUTOR_ROLE } from './gateway/api-definition';
import type { IamSeed, PolicyDocument } from './iam';

export const LOCAL_FUNCTION_ROLE = 'mfa-resync-local-function';

export interface LocalAccessOptions {
  readonly accountId: string;
  readonly scoped: boolean;
  readonly pathPrefix: string;
  /** The key the Lambda signs with. */
  readonly functionAccessKeyId: string;
}

export function localAccessSeed(options: LocalAccessOptions): Pick<IamSeed, 'principals' | 'roles'> {
  const scope = { partition: 'aws', account: options.accountId, pathPrefix: options.pathPrefix };
  const functionRoleArn = `arn:aws:iam::${options.accountId}:role/${LOCAL_FUNCTION_ROLE}`;
  const executorRoleArn = `arn:aws:iam::${options.accountId}:role/${LOCAL_EXECUTOR_ROLE}`;
  const asDocument = (policy: PolicyDocumentJson): PolicyDocument => policy as unknown as PolicyDocument;
  return {
    principals: [
      {
        accessKeyId: options.functionAccessKeyId,
        arn: functionRoleArn,
        policies: [asDocument(options.scoped ? scopedFunctionPolicy(executorRoleArn) : singleRoleFunctionPolicy(scope))],
      },
    ],
    roles: options.scoped
      ? [{ roleName: LOCAL_EXECUTOR_ROLE, policies: [asDocument(executorRolePolicy(scope))], trustPolicy: asDocument(executorTrustPolicy(functionRoleArn)) }]
      : [],
  };
}
