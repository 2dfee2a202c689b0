// SPDX-License-Identifier: Apache-2.0
/**
 * The adapter's mapping, with `aws-sdk-client-mock` and the SDK's real exception classes.
 * (The mock replaces `send`, so it cannot show retries: iam-directory.wire.test.ts does that
 * against a local HTTP server.)
 */
import {
  ConcurrentModificationException,
  IAMClient,
  IAMServiceException,
  InvalidAuthenticationCodeException,
  LimitExceededException,
  ListMFADevicesCommand,
  NoSuchEntityException,
  ResyncMFADeviceCommand,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import {
  IamMfaDirectory,
  LIMIT_EXCEEDED_RETRY_AFTER_SECONDS,
  THROTTLING_RETRY_AFTER_SECONDS,
} from '../../../lambda/adapters/iam-directory';
import { DomainError } from '../../../lambda/domain/errors';
import { PROBLEMS } from '../../../lambda/http/problems';

const PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const RESYNC = { userName: 'alice', serialNumber: PHONE, code1: '123456', code2: '654321' };

const listingClient = new IAMClient({ region: 'us-east-1' });
const resyncClient = new IAMClient({ region: 'us-east-1' });
const listingMock = mockClient(listingClient);
const resyncMock = mockClient(resyncClient);
const directory = new IamMfaDirectory({ listing: listingClient, resync: resyncClient });

beforeEach(() => {
  listingMock.reset();
  resyncMock.reset();
});

const metadata = { $metadata: {} };
/** IAM's unmodelled errors arrive as the base class named after the wire code (F-2.3.2). */
function unmodelled(name: string, $fault: 'client' | 'server' = 'client', httpStatusCode?: number): IAMServiceException {
  return new IAMServiceException({ name, $fault, $metadata: httpStatusCode === undefined ? {} : { httpStatusCode }, message: 'm' });
}

async function failureOf(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('listing MFA devices through IAM', () => {
  it('returns the devices and the marker of a truncated page', async () => {
    // Prepare
    const enabledAt = new Date('2026-01-05T10:00:00Z');
    listingMock.on(ListMFADevicesCommand).resolves({
      MFADevices: [{ UserName: 'alice', SerialNumber: PHONE, EnableDate: enabledAt }],
      IsTruncated: true,
      Marker: 'next-page',
    });

    // Act
    const page = await directory.listMfaDevices('alice', 'this-page');

    // Assess
    expect(page).toEqual({ devices: [{ serialNumber: PHONE, enabledAt }], nextMarker: 'next-page' });
    expect(listingMock.commandCalls(ListMFADevicesCommand)[0]?.args[0].input).toEqual({ UserName: 'alice', Marker: 'this-page' });
  });

  it('returns no marker for the last page', async () => {
    // Prepare
    listingMock.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: false });

    // Act
    const page = await directory.listMfaDevices('alice');

    // Assess
    expect(page).toEqual({ devices: [] });
    expect(listingMock.commandCalls(ListMFADevicesCommand)[0]?.args[0].input).toEqual({ UserName: 'alice' });
  });

  it.each([
    ['no MFADevices list', { IsTruncated: false }],
    ['a device without serial number', { MFADevices: [{ UserName: 'alice', SerialNumber: '', EnableDate: new Date() }] }],
    ['a device with an invalid date', { MFADevices: [{ UserName: 'alice', SerialNumber: PHONE, EnableDate: new Date('x') }] }],
    ['a truncated page without marker', { MFADevices: [], IsTruncated: true }],
  ])('reports upstream-unavailable for a response with %s', async (_label, output) => {
    // Prepare
    listingMock.on(ListMFADevicesCommand).resolves(output);

    // Act
    const error = await failureOf(directory.listMfaDevices('alice'));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable', reason: 'malformed-response' });
  });

  it.each([
    ['NoSuchEntityException (the user, F-1.4.4)', new NoSuchEntityException({ message: 'm', ...metadata }), 'user-not-found'],
    ['AccessDenied (a user outside the path prefix)', unmodelled('AccessDenied', 'client', 403), 'caller-not-mapped'],
    ['Throttling', unmodelled('Throttling', 'client', 400), 'rate-limited'],
    ['ServiceFailureException', new ServiceFailureException({ message: 'm', ...metadata }), 'upstream-unavailable'],
    ['an unmodelled 503', unmodelled('ServiceUnavailable', 'server', 503), 'upstream-unavailable'],
  ])('maps %s to %s', async (_label, sdkError, code) => {
    // Prepare
    listingMock.on(ListMFADevicesCommand).rejects(sdkError);

    // Act
    const error = await failureOf(directory.listMfaDevices('alice'));

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code });
  });
});

describe('resynchronising an MFA device through IAM', () => {
  it('sends the user, serial and both codes to ResyncMFADevice on the resync client only', async () => {
    // Prepare
    resyncMock.on(ResyncMFADeviceCommand).resolves({});

    // Act
    await directory.resyncMfaDevice(RESYNC);

    // Assess
    expect(resyncMock.commandCalls(ResyncMFADeviceCommand).map((call) => call.args[0].input)).toEqual([
      { UserName: 'alice', SerialNumber: PHONE, AuthenticationCode1: '123456', AuthenticationCode2: '654321' },
    ]);
    expect(listingMock.calls()).toHaveLength(0);
  });

  it.each([
    ['InvalidAuthenticationCodeException', new InvalidAuthenticationCodeException({ message: 'm', ...metadata }), 'invalid-codes', 422],
    ['NoSuchEntityException (the device went away since listing)', new NoSuchEntityException({ message: 'm', ...metadata }), 'device-not-found', 404],
    ['LimitExceededException', new LimitExceededException({ message: 'm', ...metadata }), 'rate-limited', 429],
    ['Throttling', unmodelled('Throttling', 'client', 400), 'rate-limited', 429],
    ['ConcurrentModificationException', new ConcurrentModificationException({ message: 'm', ...metadata }), 'conflict', 409],
    ['ServiceFailureException', new ServiceFailureException({ message: 'm', ...metadata }), 'upstream-unavailable', 503],
    ['AccessDenied', unmodelled('AccessDenied', 'client', 403), 'caller-not-mapped', 403],
  ])('maps %s to %s (HTTP %i)', async (_label, sdkError, code, status) => {
    // Prepare
    resyncMock.on(ResyncMFADeviceCommand).rejects(sdkError);

    // Act
    const error = await failureOf(directory.resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code });
    expect(PROBLEMS[(error as DomainError).code].status).toBe(status);
  });

  it.each([
    ['LimitExceededException', new LimitExceededException({ message: 'm', ...metadata }), LIMIT_EXCEEDED_RETRY_AFTER_SECONDS],
    ['Throttling', unmodelled('Throttling'), THROTTLING_RETRY_AFTER_SECONDS],
  ])('gives %s a Retry-After of its own', async (_label, sdkError, seconds) => {
    // Prepare
    resyncMock.on(ResyncMFADeviceCommand).rejects(sdkError);

    // Act
    const error = await failureOf(directory.resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toMatchObject({ retryAfterSeconds: seconds });
  });

  it.each([
    ['an abort (the budget ran out)', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'budget-exhausted'],
    ['a request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'timeout'],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network'],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'network'],
    ['a response that failed to deserialise', Object.assign(new Error('Deserialization error'), { $metadata: { httpStatusCode: 200 } }), 'malformed-response'],
  ])('maps %s to upstream-unavailable', async (_label, sdkError, reason) => {
    // Prepare
    resyncMock.on(ResyncMFADeviceCommand).rejects(sdkError);

    // Act
    const error = await failureOf(directory.resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable', reason });
  });

  it('passes an unmodelled client fault on as an unexpected error that does not repeat IAM\'s message', async () => {
    // Prepare
    resyncMock.on(ResyncMFADeviceCommand).rejects(
      new IAMServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: "Value '123456' is invalid" }),
    );

    // Act
    const error = await failureOf(directory.resyncMfaDevice(RESYNC));

    // Assess
    expect(error).not.toBeInstanceOf(DomainError);
    expect(error.message).toBe('IAM resync failed unexpectedly: ValidationError (HTTP 400)');
  });
});
