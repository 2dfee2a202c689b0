// SPDX-License-Identifier: Apache-2.0
/** Shared fixtures for the IAM emulator tests: a seed, a controllable clock, SDK clients and TOTP codes. */
import { IAMClient } from '@aws-sdk/client-iam';
import { Secret, TOTP } from 'otpauth';
import { startIamEmulator, type IamEmulator, type IamSeed } from '../../../local/iam';

export const ACCOUNT = '111122223333';
export const ALICE_PHONE = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;
export const ALICE_TOKEN = 'GAKT12345678';
export const BOB_PHONE = `arn:aws:iam::${ACCOUNT}:mfa/team/bob-phone`;
export const ALICE_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
export const TOKEN_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
export const BOB_SECRET = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
/** Alice's phone runs 20 steps (10 min) ahead of what IAM expects: a drifted device. */
export const ALICE_DRIFT = 20;
export const ACCESS_KEY = 'AKIALOCALTEST0000001';

export const SEED: IamSeed = {
  accountId: ACCOUNT,
  users: [
    {
      userName: 'Alice',
      tags: { team: 'platform', 'cost-center': 'R&D <1>' },
      createDate: '2025-11-01T09:30:00Z',
      accessKeyIds: [ACCESS_KEY],
      devices: [
        { kind: 'virtual', name: 'alice-phone', secret: ALICE_SECRET, offsetSteps: ALICE_DRIFT, enabledAt: '2026-01-05T10:00:00Z' },
        { kind: 'hardware', serialNumber: ALICE_TOKEN, secret: TOKEN_SECRET, enabledAt: '2026-01-06T10:00:00Z' },
        { kind: 'fido', name: 'yubikey', enabledAt: '2026-01-07T10:00:00Z' },
      ],
    },
    {
      userName: 'bob',
      path: '/division_abc/subdivision_xyz/',
      devices: [{ kind: 'virtual', name: 'team/bob-phone', secret: BOB_SECRET }],
    },
    { userName: 'carol', devices: [] },
  ],
};

/** A clock the test moves by hand, starting 15 s into a 30 s step so neighbouring steps are unambiguous. */
export function fixedClock(start = Date.UTC(2026, 0, 5, 10, 0, 15)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The code a device whose clock reads `deviceMs` shows: computed independently with otpauth. */
export function codeAt(secret: string, deviceMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: deviceMs });
}

export function client(emulator: IamEmulator, accessKeyId = ACCESS_KEY): IAMClient {
  // maxAttempts 1: retries would hide what the emulator answered (and Resync must never be retried).
  return new IAMClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local-secret-not-checked' },
    maxAttempts: 1,
  });
}

export async function startWithClock(clock = fixedClock()) {
  const emulator = await startIamEmulator({ port: 0, seed: SEED, clock: clock.now });
  return { emulator, clock };
}

export async function signIn(emulator: IamEmulator, serialNumber: string, code: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emulator.url}/_emulator/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serialNumber, code }),
  });
  return { status: res.status, body: await res.json() };
}

/** Catches the rejection of `promise` so tests can assert on the error object itself. */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
