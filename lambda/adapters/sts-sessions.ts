// SPDX-License-Identifier: Apache-2.0
/**
 * Executor sessions over `@aws-sdk/client-sts`: one AssumeRole per call, with an inline session
 * policy and a SourceIdentity. Throws domain errors, or `ExecutorMisconfiguredError` for refusals
 * that only a deployment can fix; never SDK errors.
 */
import { AssumeRoleCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { EXECUTOR_SESSION_SECONDS } from '../../lib/iam-policies';
import { DomainError, ExecutorMisconfiguredError, RateLimitedError, UpstreamUnavailableError } from '../domain/errors';
import { THROTTLING_RETRY_AFTER_SECONDS, type SessionCredentials } from './iam-directory';

export interface SessionRequest {
  /** Compact JSON, at most 2048 characters (F-4.4.2). */
  readonly policy: string;
  readonly sourceIdentity: string;
  readonly sessionName: string;
  readonly signal?: AbortSignal;
}

export interface SessionIssuer {
  assume(request: SessionRequest): Promise<SessionCredentials>;
}

export interface StsClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  /** The per-request budget (`IAM_BUDGET_MS`), shared with the IAM calls of the request. */
  readonly budgetMs: number;
  readonly clientConfig?: STSClientConfig;
}

/**
 * AssumeRole creates nothing lasting, so a retry is harmless; two attempts of a quarter of the
 * budget each leave the rest of the budget to GetUser, the second session and the IAM calls.
 */
export const STS_MAX_ATTEMPTS = 2;

export function createStsClient(options: StsClientOptions): STSClient {
  return new STSClient({
    ...options.clientConfig,
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: STS_MAX_ATTEMPTS,
    requestHandler: options.clientConfig?.requestHandler ?? {
      requestTimeout: Math.max(1, Math.floor(options.budgetMs / 4)),
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(1000, options.budgetMs),
    },
  });
}

export class StsSessionIssuer implements SessionIssuer {
  constructor(
    private readonly client: STSClient,
    private readonly roleArn: string,
  ) {}

  async assume(request: SessionRequest): Promise<SessionCredentials> {
    let credentials;
    try {
      const output = await this.client.send(
        new AssumeRoleCommand({
          RoleArn: this.roleArn,
          RoleSessionName: request.sessionName,
          // The minimum: the session serves one request (F-4.4.3 caps chained sessions at 1 h).
          DurationSeconds: EXECUTOR_SESSION_SECONDS,
          Policy: request.policy,
          SourceIdentity: request.sourceIdentity,
        }),
        { abortSignal: request.signal },
      );
      credentials = output.Credentials;
    } catch (error) {
      throw stsErrorToDomain(error);
    }
    const { AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: expiration } = credentials ?? {};
    if (!accessKeyId || !secretAccessKey || !sessionToken) throw new UpstreamUnavailableError('sts-malformed-response');
    return { accessKeyId, secretAccessKey, sessionToken, ...(expiration instanceof Date ? { expiration } : {}) };
  }
}

/**
 * STS refusals a deployment must fix (a 500 and a warning): the function role may not assume the
 * executor role or set SourceIdentity, the trust policy does not allow it (both `AccessDenied`,
 * F-4.4.6), STS is off in the region, or a session policy or parameter was refused. The lookup
 * session's policy is the same for every caller, so `PackedPolicyTooLarge` there is the
 * deployment's; for the user session `ScopedDirectoryProvider` turns it into `unscopable-user`
 * (that user's ARN cannot be scoped). Modelled
 * errors arrive as their class names, unmodelled ones as the wire code (F-2.3.2).
 */
const MISCONFIGURATION_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'RegionDisabledException',
  'MalformedPolicyDocumentException',
  'MalformedPolicyDocument',
  'PackedPolicyTooLargeException',
  'PackedPolicyTooLarge',
  'ValidationError',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidAction',
]);

const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function stsErrorToDomain(error: unknown): Error {
  if (error instanceof DomainError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'unknown';
  if (MISCONFIGURATION_CODES.has(name)) return new ExecutorMisconfiguredError(name);
  switch (name) {
    case 'Throttling':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return new RateLimitedError(THROTTLING_RETRY_AFTER_SECONDS);
    case 'AbortError':
      return new UpstreamUnavailableError('budget-exhausted');
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'RequestTimeoutException':
      return new UpstreamUnavailableError('sts-timeout');
  }
  if (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) return new UpstreamUnavailableError('sts-network');
  const status = shape.$metadata?.httpStatusCode;
  if (shape.$fault === 'server' || (typeof status === 'number' && status >= 500)) return new UpstreamUnavailableError('sts-server-error');
  if (shape.$metadata !== undefined && shape.$fault === undefined) return new UpstreamUnavailableError('sts-malformed-response');
  // Any other client fault of STS is ours to fix, like the codes above.
  return new ExecutorMisconfiguredError(name);
}
