// SPDX-License-Identifier: Apache-2.0
/**
 * The two things a caller can do: list their MFA devices, and resynchronise one of them.
 * Plain functions over the `MfaDirectoryProvider` port; no event, no middy, no SDK.
 */
import { openCallerAccess, singleRoleProvider, type AccessPolicy } from './access';
import { normaliseCodes } from './codes';
import { listAllDevices, selectDevice, type DeviceView } from './devices';
import { DomainError, type DomainErrorCode } from './errors';
import { mapCaller, type Claims, type IdentityPolicy } from './identity';
import type { CredentialMode, MfaDirectory, MfaDirectoryProvider } from './ports';

/** Either a provider, or (single-role shorthand, as in tests) one directory for everybody. */
export type UseCaseDependencies = {
  readonly identityPolicy: IdentityPolicy;
  /** Default: root path, no binding. */
  readonly accessPolicy?: AccessPolicy;
} & ({ readonly provider: MfaDirectoryProvider; readonly directory?: never } | { readonly directory: MfaDirectory; readonly provider?: never });

const DEFAULT_ACCESS_POLICY: AccessPolicy = { iamUserPathPrefix: '/' };

function providerOf(dependencies: UseCaseDependencies): MfaDirectoryProvider {
  return dependencies.provider ?? singleRoleProvider(dependencies.directory);
}

export interface DeviceListing {
  readonly userName: string;
  readonly devices: readonly DeviceView[];
}

export interface ResyncInput {
  readonly claims: Claims | null | undefined;
  /** The body after schema validation; the codes are normalised here. */
  readonly body: { readonly code1: unknown; readonly code2: unknown; readonly serialNumber?: string | undefined };
  /** Aborts the IAM calls when the request's budget runs out. */
  readonly signal?: AbortSignal;
  /** The API Gateway request id (names the STS session in scoped mode). */
  readonly requestId?: string;
}

export interface ResyncResult {
  readonly userName: string;
  readonly serialNumber: string;
}

/** One audit record per resync attempt. Holds no code and no token, by construction. */
export interface ResyncAttempt {
  /** `unsupported-media-type`: the HTTP layer refused the body before the use case ran. */
  readonly outcome: 'resynchronized' | DomainErrorCode | 'unsupported-media-type' | 'internal-error';
  readonly subject?: string;
  readonly cognitoUsername?: string;
  readonly clientId?: string;
  /** The stored case once IAM confirmed the user (scoped mode), else the mapped name. */
  readonly iamUserName?: string;
  /** Scoped mode: the canonical ARN and path the session was scoped to. */
  readonly iamUserArn?: string;
  readonly iamUserPath?: string;
  /** Where the IAM credentials came from. */
  readonly mode?: CredentialMode;
  /** The device resynchronised, or the one the caller named. */
  readonly serialNumber?: string;
}

export interface ResyncAuditTrail {
  record(attempt: ResyncAttempt): void;
}

export async function listMyDevices(
  dependencies: UseCaseDependencies,
  claims: Claims | null | undefined,
  signal?: AbortSignal,
  requestId?: string,
): Promise<DeviceListing> {
  const caller = mapCaller(claims, dependencies.identityPolicy);
  const { user, directory } = await openCallerAccess(
    providerOf(dependencies),
    dependencies.accessPolicy ?? DEFAULT_ACCESS_POLICY,
    caller,
    claims,
    { ...(signal === undefined ? {} : { signal }), ...(requestId === undefined ? {} : { requestId }) },
  );
  // The stored name (scoped mode), which IAM itself would show, not the claim's spelling.
  const devices = await listAllDevices(directory, user.userName, signal);
  return { userName: user.userName, devices };
}

/**
 * Checks in the contract's order, body before caller before IAM, so that a malformed request
 * never costs an IAM call and a stranger learns nothing about users or devices.
 */
export async function resyncMyDevice(
  dependencies: UseCaseDependencies & { readonly auditTrail: ResyncAuditTrail },
  input: ResyncInput,
): Promise<ResyncResult> {
  const provider = providerOf(dependencies);
  const attempt: { -readonly [K in keyof ResyncAttempt]: ResyncAttempt[K] } = {
    outcome: 'internal-error',
    mode: provider.mode,
    ...describeToken(input.claims),
    ...(input.body.serialNumber === undefined ? {} : { serialNumber: input.body.serialNumber }),
  };
  try {
    const codes = normaliseCodes(input.body);
    const caller = mapCaller(input.claims, dependencies.identityPolicy);
    attempt.iamUserName = caller.iamUserName;
    const { user, directory } = await openCallerAccess(
      provider,
      dependencies.accessPolicy ?? DEFAULT_ACCESS_POLICY,
      caller,
      input.claims,
      { ...(input.signal === undefined ? {} : { signal: input.signal }), ...(input.requestId === undefined ? {} : { requestId: input.requestId }) },
    );
    attempt.iamUserName = user.userName;
    if (user.confirmed !== undefined) {
      attempt.iamUserArn = user.confirmed.arn;
      attempt.iamUserPath = user.confirmed.path;
    }
    // The stored name from here on: the session policy names the stored-case ARN, and IAM's
    // use of the requested case in authorisation is undocumented (F-3.5.2).
    const devices = await listAllDevices(directory, user.userName, input.signal);
    const device = selectDevice(devices, input.body.serialNumber);
    attempt.serialNumber = device.serialNumber;
    await directory.resyncMfaDevice({ userName: user.userName, serialNumber: device.serialNumber, ...codes }, { signal: input.signal });
    attempt.outcome = 'resynchronized';
    return { userName: user.userName, serialNumber: device.serialNumber };
  } catch (error) {
    if (error instanceof DomainError) attempt.outcome = error.code;
    throw error;
  } finally {
    dependencies.auditTrail.record(attempt);
  }
}

/** The audit record of an attempt whose body was refused before the use case could run. */
export function refusedAttempt(claims: Claims | null | undefined, outcome: ResyncAttempt['outcome']): ResyncAttempt {
  return { outcome, ...describeToken(claims) };
}

/** Who presented the token, as far as the audit needs it, even when the token is then refused. */
function describeToken(claims: Claims | null | undefined): Pick<ResyncAttempt, 'subject' | 'cognitoUsername' | 'clientId'> {
  const pick = (name: string): string | undefined => {
    const value = claims?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const description: { subject?: string; cognitoUsername?: string; clientId?: string } = {};
  const subject = pick('sub');
  const cognitoUsername = pick('cognito:username') ?? pick('username');
  const clientId = pick('client_id') ?? pick('aud');
  if (subject !== undefined) description.subject = subject;
  if (cognitoUsername !== undefined) description.cognitoUsername = cognitoUsername;
  if (clientId !== undefined) description.clientId = clientId;
  return description;
}
