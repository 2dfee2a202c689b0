// SPDX-License-Identifier: Apache-2.0
/**
 * The one IAM adapter: `MfaDirectory` over `@aws-sdk/client-iam`.
 *
 * It throws domain errors only. SDK errors are recognised by `name`, because IAM's unmodelled
 * errors (`AccessDenied`, `Throttling`) arrive as the base `IAMServiceException` with the wire code
 * as their name, so `instanceof` cannot tell them apart (F-2.3.2).
 */
import {
  GetUserCommand,
  IAMClient,
  ListMFADevicesCommand,
  ResyncMFADeviceCommand,
  type GetUserCommandOutput,
  type IAMClientConfig,
  type ListMFADevicesCommandOutput,
} from '@aws-sdk/client-iam';
import {
  CallerNotMappedError,
  ConflictError,
  DeviceNotFoundError,
  DomainError,
  InvalidCodesError,
  RateLimitedError,
  UpstreamUnavailableError,
  UserNotFoundError,
} from '../domain/errors';
import type { DirectoryCallOptions, IamUser, MfaDevice, MfaDevicePage, MfaDirectory, ResyncCommand } from '../domain/ports';

/**
 * Two clients because the two calls need opposite retry policies:
 * - `listing` is read-only and may be retried;
 * - `resync` consumes the codes and must be sent at most once. The SDK would otherwise retry
 *   `LimitExceededException` as throttling and `ServiceFailureException` as transient
 *   (F-2.4.3), resending codes that IAM then refuses as reused (F-2.4.5).
 */
export interface IamClients {
  readonly listing: IAMClient;
  readonly resync: IAMClient;
}

export interface IamClientsOptions {
  readonly region: string;
  /** Another IAM endpoint, such as the local stack's emulator. */
  readonly endpoint?: string;
  /** The per-request IAM budget (`IAM_BUDGET_MS`); attempts are sized to fit inside it. */
  readonly budgetMs: number;
  /** Extra client settings (credentials, a custom request handler), applied to both clients. */
  readonly clientConfig?: IAMClientConfig;
}

/** Attempts of the listing call: the SDK default (F-2.4.4), now an explicit bound. */
export const LISTING_MAX_ATTEMPTS = 3;
const CONNECTION_TIMEOUT_MS = 1000;

export function createIamClients(options: IamClientsOptions): IamClients {
  const common: IAMClientConfig = {
    ...options.clientConfig,
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
  // Each listing attempt gets a third of the budget, so one hung attempt leaves room to retry.
  // Current Node handlers only warn when requestTimeout passes unless told to throw.
  const attemptTimeout = (share: number): IAMClientConfig['requestHandler'] =>
    common.requestHandler ?? {
      requestTimeout: Math.max(1, Math.floor(options.budgetMs / share)),
      throwOnRequestTimeout: true,
      connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, options.budgetMs),
    };
  return {
    listing: new IAMClient({ ...common, maxAttempts: LISTING_MAX_ATTEMPTS, requestHandler: attemptTimeout(LISTING_MAX_ATTEMPTS) }),
    resync: new IAMClient({ ...common, maxAttempts: 1, requestHandler: attemptTimeout(1) }),
  };
}

/** Temporary credentials of an executor session (scoped mode). */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/**
 * Clients per set of credentials, cheaply: the two template clients are built once per
 * container, and each per-request pair reuses their request handlers (and so their keep-alive
 * agents and per-attempt timeouts). A new client is then only configuration and a middleware
 * stack; no new sockets, no TLS handshake.
 */
export function createIamClientFactory(options: IamClientsOptions): (credentials: SessionCredentials) => IamClients {
  const templates = createIamClients(options);
  const common: IAMClientConfig = {
    ...options.clientConfig,
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  };
  return (credentials) => ({
    listing: new IAMClient({ ...common, credentials, maxAttempts: LISTING_MAX_ATTEMPTS, requestHandler: templates.listing.config.requestHandler }),
    resync: new IAMClient({ ...common, credentials, maxAttempts: 1, requestHandler: templates.resync.config.requestHandler }),
  });
}

/** `Retry-After` for IAM's `Throttling` ("Rate exceeded", F-1.3.2). */
export const THROTTLING_RETRY_AFTER_SECONDS = 5;
/**
 * `Retry-After` for `LimitExceeded`, whose meaning on resync is undocumented (F-1.2.3): reported
 * causes are replication backlogs and per-device verification budgets over minutes, so back off
 * for a whole minute rather than a few seconds.
 */
export const LIMIT_EXCEEDED_RETRY_AFTER_SECONDS = 60;

type Operation = 'list' | 'resync' | 'get-user';

export class IamMfaDirectory implements MfaDirectory {
  constructor(private readonly clients: IamClients) {}

  async listMfaDevices(userName: string, marker?: string, options?: DirectoryCallOptions): Promise<MfaDevicePage> {
    try {
      const output = await this.clients.listing.send(
        new ListMFADevicesCommand({ UserName: userName, ...(marker === undefined ? {} : { Marker: marker }) }),
        { abortSignal: options?.signal },
      );
      return toPage(output);
    } catch (error) {
      throw toDomainError(error, 'list');
    }
  }

  /** GetUser (F-1.5.1), on the retryable listing client: read-only. */
  async getUser(userName: string, options?: DirectoryCallOptions): Promise<IamUser> {
    try {
      const output = await this.clients.listing.send(new GetUserCommand({ UserName: userName }), { abortSignal: options?.signal });
      return toUser(output);
    } catch (error) {
      throw toDomainError(error, 'get-user');
    }
  }

  async resyncMfaDevice(command: ResyncCommand, options?: DirectoryCallOptions): Promise<void> {
    try {
      await this.clients.resync.send(
        new ResyncMFADeviceCommand({
          UserName: command.userName,
          SerialNumber: command.serialNumber,
          AuthenticationCode1: command.code1,
          AuthenticationCode2: command.code2,
        }),
        { abortSignal: options?.signal },
      );
    } catch (error) {
      throw toDomainError(error, 'resync');
    }
  }
}

/**
 * The SDK does not validate responses against the model (F-1.1.6): an empty or odd 200 body
 * deserialises to an output without `MFADevices`. Treat anything off-model as IAM failing.
 */
function toPage(output: ListMFADevicesCommandOutput): MfaDevicePage {
  if (!Array.isArray(output.MFADevices)) throw new UpstreamUnavailableError('malformed-response');
  const devices = output.MFADevices.map((device): MfaDevice => {
    const { SerialNumber: serialNumber, EnableDate: enabledAt } = device;
    if (typeof serialNumber !== 'string' || serialNumber === '' || !(enabledAt instanceof Date) || Number.isNaN(enabledAt.getTime())) {
      throw new UpstreamUnavailableError('malformed-response');
    }
    return { serialNumber, enabledAt };
  });
  if (output.IsTruncated !== true) return { devices };
  if (typeof output.Marker !== 'string' || output.Marker === '') throw new UpstreamUnavailableError('malformed-response');
  return { devices, nextMarker: output.Marker };
}

/** The user, or `malformed-response` when a required member (F-1.5.1) is missing. */
function toUser(output: GetUserCommandOutput): IamUser {
  const user = output.User;
  const { UserName: userName, Path: path, Arn: arn } = user ?? {};
  if (typeof userName !== 'string' || userName === '' || typeof path !== 'string' || !path.startsWith('/') || typeof arn !== 'string' || arn === '') {
    throw new UpstreamUnavailableError('malformed-response');
  }
  const tags: Record<string, string> = {};
  for (const tag of user?.Tags ?? []) {
    if (typeof tag.Key === 'string' && typeof tag.Value === 'string') tags[tag.Key] = tag.Value;
  }
  return { userName, path, arn, tags };
}

/** Node network error codes the SDK itself classifies as transient (F-2.4.1). */
const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly requestId?: unknown };
}

/** Maps one failure of an IAM call to a domain error, or to `UnexpectedIamError` (a 500). */
export function toDomainError(error: unknown, operation: Operation): Error {
  if (error instanceof DomainError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  switch (shape.name) {
    case 'InvalidAuthenticationCodeException':
      return new InvalidCodesError();
    case 'NoSuchEntityException':
      // On the listing and GetUser, the only entity named is the user (F-1.4.4, F-1.5.1). On resync the device was
      // just listed for this user, so NoSuchEntity means it (or, rarely, the user) went away in
      // between; `device-not-found` tells the caller to list again, which shows which.
      return operation === 'resync' ? new DeviceNotFoundError() : new UserNotFoundError();
    case 'LimitExceededException':
      return new RateLimitedError(LIMIT_EXCEEDED_RETRY_AFTER_SECONDS);
    case 'Throttling':
    case 'ThrottlingException':
      return new RateLimitedError(THROTTLING_RETRY_AFTER_SECONDS);
    case 'ConcurrentModificationException':
      return new ConflictError();
    case 'AccessDenied':
    case 'AccessDeniedException':
      // The role may only act on users under IAM_USER_PATH_PREFIX, so IAM denies users outside it.
      return new CallerNotMappedError('iam-access-denied');
    case 'ServiceFailureException':
      return new UpstreamUnavailableError('service-failure');
    case 'AbortError':
      return new UpstreamUnavailableError('budget-exhausted');
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'RequestTimeoutException':
      return new UpstreamUnavailableError('timeout');
  }
  if (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) return new UpstreamUnavailableError('network');
  const status = shape.$metadata?.httpStatusCode;
  if (shape.$fault === 'server' || (typeof status === 'number' && status >= 500)) {
    return new UpstreamUnavailableError('server-error');
  }
  // An error that carries response metadata but no `$fault` was raised while deserialising the
  // response (malformed XML, a bad timestamp), not by IAM: IAM failed to answer properly.
  if (shape.$metadata !== undefined && shape.$fault === undefined) return new UpstreamUnavailableError('malformed-response');
  return new UnexpectedIamError(operation, shape);
}

/**
 * Anything else (an unmodelled client fault such as `ValidationError`, expired credentials):
 * our fault, so a 500. Its message keeps only the error name and status, never IAM's message,
 * which for validation errors may echo the submitted values.
 */
export class UnexpectedIamError extends Error {
  constructor(operation: Operation, shape: SdkErrorShape) {
    const name = typeof shape.name === 'string' ? shape.name : 'unknown';
    const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : 'none';
    super(`IAM ${operation} failed unexpectedly: ${name} (HTTP ${status})`);
    this.name = 'UnexpectedIamError';
  }
}
