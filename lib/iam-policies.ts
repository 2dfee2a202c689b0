// SPDX-License-Identifier: Apache-2.0
/**
 * The IAM policies of mfa-resync as plain JSON, in one place.
 *
 * No CDK import: the construct turns these statements into CDK objects
 * (`PolicyStatement.fromJson`), the local stack's IAM emulator seeds its principals from the
 * same functions, and tests compare both against them. Every string parameter may be a CDK
 * token (`Aws.PARTITION`, a role's `roleArn`): the functions only concatenate.
 *
 * Two modes:
 *
 * - **scoped** (default): the function role may only assume the executor role (with
 *   `sts:SetSourceIdentity`, required in both places for role chaining, F-4.4.6). The executor
 *   role holds the IAM actions on `user<prefix>*`, and trusts only the function role. Per request
 *   the function assumes it twice with an inline session policy (F-4.4.1: the effective
 *   permissions are the intersection): a lookup session allowed only `iam:GetUser` on the
 *   prefix pattern, then a session allowed only List+Resync on the exact canonical user ARN
 *   (`lookupSessionPolicy`, `userSessionPolicy` below). No session tags, so no `sts:TagSession`.
 * - **single-role** (opt-out): the function role itself holds List+Resync on `user<prefix>*`.
 */

/** A policy statement as IAM's JSON grammar spells it (arrays only, for stable comparisons). */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: { readonly AWS: string[] };
  readonly Action: string[];
  readonly Resource?: string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;
}

export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatementJson[];
}

/** The two MFA actions the service performs (F-4.1.1: both are authorised against the user ARN). */
export const MFA_ACTIONS: readonly string[] = ['iam:ListMFADevices', 'iam:ResyncMFADevice'];
/** The lookup that turns a user name into its canonical ARN with path (F-4.3.2). */
export const LOOKUP_ACTIONS: readonly string[] = ['iam:GetUser'];
/** Everything the executor role may ever do; each session narrows it further. */
export const EXECUTOR_ACTIONS: readonly string[] = [...LOOKUP_ACTIONS, ...MFA_ACTIONS];
/** What the function role may do with the executor role (F-4.4.6); no `sts:TagSession`. */
export const ASSUME_EXECUTOR_ACTIONS: readonly string[] = ['sts:AssumeRole', 'sts:SetSourceIdentity'];

/** Session length the function asks for: STS's minimum, well inside role chaining's 1 h cap (F-4.4.3). */
export const EXECUTOR_SESSION_SECONDS = 900;
/** The executor role's MaxSessionDuration: role chaining caps sessions at 1 h anyway (F-4.4.3). */
export const EXECUTOR_MAX_SESSION_SECONDS = 3600;

export const POLICY_VERSION = '2012-10-17' as const;

export interface UserScope {
  /** `aws`, `aws-cn`, ... or a token such as `Aws.PARTITION`. */
  readonly partition: string;
  /** 12 digits or a token such as `Aws.ACCOUNT_ID`. */
  readonly account: string;
  /**
   * The IAM path prefix, starting and ending with `/`, without `*`, `?` or `$` (the construct
   * validates this; it is used literally in an ARN pattern).
   */
  readonly pathPrefix: string;
}

/**
 * `arn:<partition>:iam::<account>:user<prefix>*`: every user at or below the path (`*` matches
 * `/` too, F-4.3.1). The coarse boundary, never a per-user pattern (F-4.3.2).
 */
export function iamUserArnPattern(scope: UserScope): string {
  return `arn:${scope.partition}:iam::${scope.account}:user${scope.pathPrefix}*`;
}

/**
 * Escapes a literal ARN for a policy's `Resource`: IAM reads `*` and `?` as wildcards and `${`
 * as the start of a policy variable (F-1.5.3, F-4.3.1); `${*}`, `${?}` and `${$}` are IAM's
 * escapes for the literal characters. IAM user paths may contain all three (printable ASCII),
 * so an exact user ARN must be escaped before it goes into a session policy.
 */
export function escapeArnForPolicy(arn: string): string {
  return arn.replace(/[*?$]/g, (character) => '${' + character + '}');
}

/** Scoped mode: the function role may assume the executor role and set SourceIdentity; nothing else. */
export function scopedFunctionPolicy(executorRoleArn: string): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'AssumeExecutorRoleWithSourceIdentity',
        Effect: 'Allow',
        Action: [...ASSUME_EXECUTOR_ACTIONS],
        Resource: [executorRoleArn],
      },
    ],
  };
}

/** Single-role mode: the function role itself may list and resync devices of users under the path. */
export function singleRoleFunctionPolicy(scope: UserScope): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'ListAndResyncMfaDevicesOfUsersUnderPath',
        Effect: 'Allow',
        Action: [...MFA_ACTIONS],
        Resource: [iamUserArnPattern(scope)],
      },
    ],
  };
}

/** The executor role's identity policy: the union of what its sessions may be narrowed to. */
export function executorRolePolicy(scope: UserScope): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'LookUpListAndResyncUsersUnderPath',
        Effect: 'Allow',
        Action: [...EXECUTOR_ACTIONS],
        Resource: [iamUserArnPattern(scope)],
      },
    ],
  };
}

/**
 * The executor role's trust policy: only the function role, only AssumeRole with a
 * SourceIdentity (F-4.4.6: `sts:SetSourceIdentity` must be allowed here as well for role
 * chaining). The `Null` condition makes SourceIdentity mandatory: an AssumeRole without it, e.g.
 * from a bug that skips the caller's identity, is refused, so every executor session in
 * CloudTrail names the person it acted for (F-4.4.7). No `sts:TagSession`: no session tags.
 */
export function executorTrustPolicy(functionRoleArn: string): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [
      {
        Sid: 'OnlyTheFunctionRoleWithSourceIdentity',
        Effect: 'Allow',
        Principal: { AWS: [functionRoleArn] },
        Action: [...ASSUME_EXECUTOR_ACTIONS],
        Condition: { Null: { 'sts:SourceIdentity': 'false' } },
      },
    ],
  };
}

/**
 * First session of a request: only `iam:GetUser` on the path pattern, to learn the mapped
 * user's canonical ARN (with its path) before anything is allowed on one exact user.
 */
export function lookupSessionPolicy(scope: UserScope): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [{ Effect: 'Allow', Action: [...LOOKUP_ACTIONS], Resource: [iamUserArnPattern(scope)] }],
  };
}

/**
 * Second session of a request: List+Resync on the one canonical user ARN that GetUser returned,
 * escaped (`escapeArnForPolicy`), never a pattern such as `user/*alice` (F-4.3.2).
 */
export function userSessionPolicy(canonicalUserArn: string): PolicyDocumentJson {
  return {
    Version: POLICY_VERSION,
    Statement: [{ Effect: 'Allow', Action: [...MFA_ACTIONS], Resource: [escapeArnForPolicy(canonicalUserArn)] }],
  };
}
