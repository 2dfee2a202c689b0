// SPDX-License-Identifier: Apache-2.0
/**
 * The domain's errors. Each one names the contract code (CONTRACT.md, "Errors") it stands for,
 * so the HTTP layer maps them with a table lookup and never inspects messages.
 *
 * Messages are fixed strings written here: they never include a submitted code, a token or an
 * upstream message, so an error can be logged as a whole.
 */
import type { ProblemCode } from '../http/problems';
import type { DeviceView } from './devices';

/** The contract codes the domain can produce (the others come from the gateway or the HTTP layer). */
export type DomainErrorCode = Exclude<
  ProblemCode,
  'unauthenticated' | 'route-not-found' | 'payload-too-large' | 'unsupported-media-type' | 'internal-error'
>;

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** Replaces the catalogue's `detail` when set; written for the caller, so it must stay safe to show. */
  readonly detail?: string;

  protected constructor(message: string, detail?: string) {
    super(message);
    this.name = new.target.name;
    if (detail !== undefined) this.detail = detail;
  }
}

export class InvalidRequestError extends DomainError {
  readonly code = 'invalid-request';
  constructor(detail: string) {
    super(`Invalid request: ${detail}`, detail);
  }
}

export class IdenticalCodesError extends DomainError {
  readonly code = 'identical-codes';
  constructor() {
    super('code1 equals code2 after normalisation');
  }
}

export type ForbiddenReason = 'wrong-token-use' | 'machine-token' | 'missing-scope' | 'missing-group';

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  constructor(readonly reason: ForbiddenReason) {
    super(`Caller forbidden: ${reason}`);
  }
}

export type NotMappedReason =
  | 'missing-claim'
  | 'email-not-verified'
  | 'pattern-mismatch'
  | 'invalid-user-name'
  /** IAM denied the call: the user is outside IAM_USER_PATH_PREFIX, or the role is misconfigured. */
  | 'iam-access-denied'
  /** GetUser (scoped mode) returned a path outside IAM_USER_PATH_PREFIX. */
  | 'outside-path-prefix'
  /** Two-party binding: the user has no binding tag, the caller no binding claim, or they differ. */
  | 'binding-tag-missing'
  | 'binding-claim-missing'
  | 'binding-mismatch'
  /** The user's ARN cannot be put into a session policy within STS's 2048 characters (F-4.4.2). */
  | 'unscopable-user'
  /** Neither the user name nor the `sub` of the caller is a valid SourceIdentity (F-4.4.6). */
  | 'no-source-identity';

export class CallerNotMappedError extends DomainError {
  readonly code = 'caller-not-mapped';
  constructor(readonly reason: NotMappedReason) {
    super(`Caller not mapped: ${reason}`);
  }
}

export class UserNotFoundError extends DomainError {
  readonly code = 'user-not-found';
  constructor() {
    super('The mapped IAM user does not exist');
  }
}

export class NoResyncableDeviceError extends DomainError {
  readonly code = 'no-resyncable-device';
  constructor() {
    super('The IAM user has no virtual or hardware TOTP device');
  }
}

export class DeviceNotFoundError extends DomainError {
  readonly code = 'device-not-found';
  constructor() {
    super('The serial number is not one of the caller\'s devices');
  }
}

export class DeviceSelectionRequiredError extends DomainError {
  readonly code = 'device-selection-required';
  constructor(readonly devices: readonly DeviceView[]) {
    super('Several resyncable devices and no serialNumber');
  }
}

export class DeviceNotResyncableError extends DomainError {
  readonly code = 'device-not-resyncable';
  constructor(detail?: string) {
    super('The selected device cannot be resynchronised', detail);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  constructor() {
    super('IAM reported a concurrent modification');
  }
}

export class InvalidCodesError extends DomainError {
  readonly code = 'invalid-codes';
  constructor() {
    super('IAM rejected the authentication codes');
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'rate-limited';
  /** Whole seconds, for the `Retry-After` header. */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('IAM throttled the request');
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export class UpstreamUnavailableError extends DomainError {
  readonly code = 'upstream-unavailable';
  /** What went wrong, for operators: a short fixed token such as `timeout` or `malformed-response`. */
  constructor(readonly reason: string) {
    super(`IAM unavailable: ${reason}`);
  }
}

/**
 * A refusal that only a deployment can fix. From STS (`service: 'sts'`): the function role may
 * not assume the executor role (or not set SourceIdentity), the trust policy does not name the
 * function role, STS is disabled in the region, or a session policy was refused. From IAM
 * (`service: 'iam'`): an `AccessDenied` on ListMFADevices/ResyncMFADevice in a scoped user
 * session, after GetUser confirmed the user under the prefix, so an SCP, a permissions boundary
 * or the executor role's policy is in the way.
 * Not a `DomainError`: the caller gets a plain 500 `internal-error`, operators get a warning
 * naming `errorCode` (the wire code only, never the message, which quotes ARNs and policies).
 */
export class ExecutorMisconfiguredError extends Error {
  constructor(
    readonly errorCode: string,
    readonly service: 'sts' | 'iam' = 'sts',
  ) {
    super(service === 'sts' ? `STS refused the executor session: ${errorCode}` : `IAM refused the executor session's call: ${errorCode}`);
    this.name = 'ExecutorMisconfiguredError';
  }
}
