// SPDX-License-Identifier: Apache-2.0
/**
 * The two things a caller can do: list their MFA devices, and resynchronise one of them.
 * Plain functions over the `MfaDirectory` port; no event, no middy, no SDK.
 */
import { normaliseCodes } from './codes';
import { listAllDevices, selectDevice, type DeviceView } from './devices';
import { DomainError, type DomainErrorCode } from './errors';
import { mapCaller, type Claims, type IdentityPolicy } from './identity';
import type { MfaDirectory } from './ports';

export interface UseCaseDependencies {
  readonly directory: MfaDirectory;
  readonly identityPolicy: IdentityPolicy;
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
}

export interface ResyncResult {
  readonly userName: string;
  readonly serialNumber: string;
}

/** One audit record per resync attempt. Holds no code and no token, by construction. */
export interface ResyncAttempt {
  readonly outcome: 'resynchronized' | DomainErrorCode | 'internal-error';
  readonly subject?: string;
  readonly cognitoUsername?: string;
  readonly clientId?: string;
  readonly iamUserName?: string;
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
): Promise<DeviceListing> {
  const caller = mapCaller(claims, dependencies.identityPolicy);
  const devices = await listAllDevices(dependencies.directory, caller.iamUserName, signal);
  return { userName: caller.iamUserName, devices };
}

/**
 * Checks in the contract's order, body before caller before IAM, so that a malformed request
 * never costs an IAM call and a stranger learns nothing about users or devices.
 */
export async function resyncMyDevice(
  dependencies: UseCaseDependencies & { readonly auditTrail: ResyncAuditTrail },
  input: ResyncInput,
): Promise<ResyncResult> {
  const attempt: { -readonly [K in keyof ResyncAttempt]: ResyncAttempt[K] } = {
    outcome: 'internal-error',
    ...describeToken(input.claims),
    ...(input.body.serialNumber === undefined ? {} : { serialNumber: input.body.serialNumber }),
  };
  try {
    const codes = normaliseCodes(input.body);
    const caller = mapCaller(input.claims, dependencies.identityPolicy);
    attempt.iamUserName = caller.iamUserName;
    const devices = await listAllDevices(dependencies.directory, caller.iamUserName, input.signal);
    const device = selectDevice(devices, input.body.serialNumber);
    attempt.serialNumber = device.serialNumber;
    await dependencies.directory.resyncMfaDevice(
      { userName: caller.iamUserName, serialNumber: device.serialNumber, ...codes },
      { signal: input.signal },
    );
    attempt.outcome = 'resynchronized';
    return { userName: caller.iamUserName, serialNumber: device.serialNumber };
  } catch (error) {
    if (error instanceof DomainError) attempt.outcome = error.code;
    throw error;
  } finally {
    dependencies.auditTrail.record(attempt);
  }
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
