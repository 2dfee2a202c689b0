// SPDX-License-Identifier: Apache-2.0
/**
 * The contract's error catalogue (../shared/CONTRACT.md, "Errors"), in one place.
 *
 * The handler, the CDK gateway responses and the local gateway all build their
 * problem documents from this table, so a status, title or detail cannot drift
 * between what the Lambda says and what API Gateway says on its behalf.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export type ProblemCode =
  | 'invalid-request'
  | 'identical-codes'
  | 'unauthenticated'
  | 'caller-not-mapped'
  | 'forbidden'
  | 'user-not-found'
  | 'no-resyncable-device'
  | 'device-not-found'
  | 'route-not-found'
  | 'device-selection-required'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'device-not-resyncable'
  | 'invalid-codes'
  | 'rate-limited'
  | 'internal-error'
  | 'upstream-unavailable';

export interface ProblemDefinition {
  readonly status: number;
  readonly title: string;
  /** What the person should do next; a handler may replace it with a more specific one. */
  readonly detail: string;
}

export const PROBLEMS: Readonly<Record<ProblemCode, ProblemDefinition>> = {
  'invalid-request': {
    status: 400,
    title: 'Invalid request',
    detail:
      'Send a JSON object with code1 and code2, each a string of six digits, and optionally serialNumber; no other fields.',
  },
  'identical-codes': {
    status: 400,
    title: 'Identical codes',
    detail: 'code1 and code2 must be two consecutive, different codes: wait for the next code and send both.',
  },
  unauthenticated: {
    status: 401,
    title: 'Unauthenticated',
    detail: 'Send a valid, unexpired token from the configured user pool in the Authorization header.',
  },
  'caller-not-mapped': {
    status: 403,
    title: 'Caller not mapped',
    detail: 'Your sign-in is not linked to an IAM user this service may manage. Ask an administrator to set your mapping.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    detail: 'This token may not use this route: a person must sign in, with the required scope or group.',
  },
  'user-not-found': {
    status: 404,
    title: 'IAM user not found',
    detail: 'The IAM user your sign-in is linked to does not exist. Ask an administrator to correct your mapping.',
  },
  'no-resyncable-device': {
    status: 404,
    title: 'No resyncable device',
    detail: 'Your IAM user has no virtual or hardware TOTP device to resynchronise.',
  },
  'device-not-found': {
    status: 404,
    title: 'Device not found',
    detail: 'serialNumber is not one of your MFA devices. List your devices with GET /v1/me/mfa-devices.',
  },
  'route-not-found': {
    status: 404,
    title: 'Route not found',
    detail: 'No such route or method. The routes are GET /v1/me/mfa-devices and POST /v1/me/mfa-devices/resync.',
  },
  'device-selection-required': {
    status: 409,
    title: 'Device selection required',
    detail: 'You have more than one resyncable device: send serialNumber with one of the listed devices.',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    detail: 'IAM reported a concurrent change to your user. Wait a moment, then retry with two fresh codes.',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    detail: 'The request body is over the size limit. Send only code1, code2 and optionally serialNumber.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    detail: 'Send the body as JSON with the header Content-Type: application/json.',
  },
  'device-not-resyncable': {
    status: 422,
    title: 'Device not resyncable',
    detail: 'This device is a FIDO security key, which never drifts and cannot be resynchronised.',
  },
  'invalid-codes': {
    status: 422,
    title: 'Invalid codes',
    detail: 'IAM did not accept the codes. Wait for a fresh code, then send two consecutive codes right away.',
  },
  'rate-limited': {
    status: 429,
    title: 'Rate limited',
    detail: 'Too many requests. Wait for the time in the Retry-After header, then try again; a resync needs two fresh codes.',
  },
  'internal-error': {
    status: 500,
    title: 'Internal error',
    detail: 'Something unexpected went wrong. Try again later; if it persists, give the requestId to your administrator.',
  },
  'upstream-unavailable': {
    status: 503,
    title: 'IAM unavailable',
    detail: 'IAM failed or did not answer in time. Wait a minute, then try again; a resync needs two fresh codes.',
  },
};

/** A stable, absolute URI per code (RFC 9457 §3.1.1); it names the problem, it is not fetched. */
export function problemType(code: ProblemCode): string {
  return `urn:mfa-resync:problem:${code}`;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ProblemCode;
  readonly detail: string;
  readonly requestId: string;
  readonly [extension: string]: unknown;
}

export function problemDocument(
  code: ProblemCode,
  requestId: string,
  overrides: { detail?: string; extensions?: Record<string, unknown> } = {},
): ProblemDocument {
  const definition = PROBLEMS[code];
  return {
    ...overrides.extensions,
    type: problemType(code),
    title: definition.title,
    status: definition.status,
    code,
    detail: overrides.detail ?? definition.detail,
    requestId,
  };
}
