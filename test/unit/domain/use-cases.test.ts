// SPDX-License-Identifier: Apache-2.0
import { InvalidCodesError } from '../../../lambda/domain/errors';
import type { IdentityPolicy } from '../../../lambda/domain/identity';
import { listMyDevices, resyncMyDevice, type ResyncAttempt } from '../../../lambda/domain/use-cases';
import { idTokenClaims, machineTokenClaims } from '../../fixtures/api-gateway-event';
import { InMemoryMfaDirectory } from '../../fixtures/in-memory-directory';

const PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const TABLET = 'arn:aws:iam::111122223333:mfa/alice-tablet';
const identityPolicy: IdentityPolicy = { mappingClaim: 'custom:iam_username', tokenUse: 'id' };

function setup(directory = new InMemoryMfaDirectory().withUser('alice', [PHONE])) {
  const attempts: ResyncAttempt[] = [];
  return { directory, attempts, dependencies: { directory, identityPolicy, auditTrail: { record: (a: ResyncAttempt) => attempts.push(a) } } };
}

describe('listing my devices', () => {
  it('lists the mapped user\'s devices under the mapped name', async () => {
    // Prepare
    const { dependencies } = setup();

    // Act
    const listing = await listMyDevices(dependencies, idTokenClaims());

    // Assess
    expect(listing).toEqual({
      userName: 'alice',
      devices: [{ serialNumber: PHONE, type: 'virtual', enabledAt: '2026-01-05T10:00:00.000Z', resyncable: true }],
    });
  });
});

describe('resynchronising my device', () => {
  it('sends the normalised codes for the only device of the mapped user', async () => {
    // Prepare
    const { dependencies, directory } = setup();

    // Act
    const result = await resyncMyDevice(dependencies, { claims: idTokenClaims(), body: { code1: ' 123 456', code2: '654-321\n' } });

    // Assess
    expect(result).toEqual({ userName: 'alice', serialNumber: PHONE });
    expect(directory.resyncCalls).toEqual([{ userName: 'alice', serialNumber: PHONE, code1: '123456', code2: '654321' }]);
  });

  it('passes the request\'s abort signal to every IAM call', async () => {
    // Prepare
    const { dependencies, directory } = setup();
    const signal = new AbortController().signal;

    // Act
    await resyncMyDevice(dependencies, { claims: idTokenClaims(), body: { code1: '123456', code2: '654321' }, signal });

    // Assess
    expect(directory.calls.map((call) => call.signal)).toEqual([signal, signal]);
  });

  it('checks the body before the caller: identical codes from a machine token are identical-codes', async () => {
    // Prepare
    const { dependencies, directory } = setup();

    // Act
    const outcome = resyncMyDevice(dependencies, { claims: machineTokenClaims(), body: { code1: '123456', code2: '123456' } });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'identical-codes' });
    expect(directory.calls).toEqual([]);
  });

  it('checks the caller before IAM', async () => {
    // Prepare
    const { dependencies, directory } = setup();

    // Act
    const outcome = resyncMyDevice(dependencies, { claims: idTokenClaims({ 'custom:iam_username': 'not valid' }), body: { code1: '123456', code2: '654321' } });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'caller-not-mapped' });
    expect(directory.calls).toEqual([]);
  });

  it('never resyncs a device of another user named in the body', async () => {
    // Prepare
    const { dependencies, directory } = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).withUser('bob', ['arn:aws:iam::111122223333:mfa/bob']));

    // Act
    const outcome = resyncMyDevice(dependencies, {
      claims: idTokenClaims(),
      body: { code1: '123456', code2: '654321', serialNumber: 'arn:aws:iam::111122223333:mfa/bob' },
    });

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'device-not-found' });
    expect(directory.resyncCalls).toEqual([]);
  });

  it('records one audit line with the outcome, caller, IAM user and device, and no code', async () => {
    // Prepare
    const { dependencies, attempts } = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE, TABLET]));

    // Act
    await resyncMyDevice(dependencies, { claims: idTokenClaims(), body: { code1: '123456', code2: '654321', serialNumber: TABLET } });

    // Assess
    expect(attempts).toEqual([
      {
        outcome: 'resynchronized',
        mode: 'single-role',
        subject: '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
        cognitoUsername: 'alice',
        clientId: '5example0clientid0abcdefgh',
        iamUserName: 'alice',
        serialNumber: TABLET,
      },
    ]);
    expect(JSON.stringify(attempts)).not.toMatch(/123456|654321/);
  });

  it('records the refusal code as the outcome when IAM rejects the codes', async () => {
    // Prepare
    const { dependencies, attempts } = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new InvalidCodesError()));

    // Act
    const outcome = resyncMyDevice(dependencies, { claims: idTokenClaims(), body: { code1: '123456', code2: '654321' } });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(InvalidCodesError);
    expect(attempts).toEqual([expect.objectContaining({ outcome: 'invalid-codes', iamUserName: 'alice', serialNumber: PHONE })]);
  });

  it('records internal-error when something unexpected breaks', async () => {
    // Prepare
    const { dependencies, attempts } = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new TypeError('boom')));

    // Act
    const outcome = resyncMyDevice(dependencies, { claims: idTokenClaims(), body: { code1: '123456', code2: '654321' } });

    // Assess
    await expect(outcome).rejects.toThrow('boom');
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['internal-error']);
  });
});
