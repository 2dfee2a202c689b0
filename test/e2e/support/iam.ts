// SPDX-License-Identifier: Apache-2.0
/** The IAM emulator's test routes (local/iam/README.md), and real TOTP codes for seeded devices. */
import { TOTP } from 'otpauth';
import { call, postJson } from './http';

const STEP_MS = 30_000;

export async function resetIam(iamEndpoint: string): Promise<void> {
  const answer = await call(`${iamEndpoint}/_emulator/reset`, { method: 'POST' });
  if (answer.status !== 204) throw new Error(`emulator reset answered ${answer.status}`);
}

/** Authenticated IAM calls since the last reset, per action. */
export async function iamCallCounts(iamEndpoint: string): Promise<Record<string, number>> {
  return ((await call(`${iamEndpoint}/_emulator/calls`)).json?.counts ?? {}) as Record<string, number>;
}

export async function injectFault(iamEndpoint: string, fault: Record<string, unknown>): Promise<void> {
  const answer = await postJson(`${iamEndpoint}/_emulator/faults`, fault);
  if (answer.status !== 201) throw new Error(`fault injection answered ${answer.status}: ${answer.text}`);
}

export async function signIn(iamEndpoint: string, serialNumber: string, code: string): Promise<boolean> {
  return (await postJson(`${iamEndpoint}/_emulator/sign-in`, { serialNumber, code })).json?.accepted === true;
}

/** The code an authenticator app on a correct clock shows `stepsFromNow` steps from now. */
export function deviceCode(secret: string, stepsFromNow = 0): string {
  return new TOTP({ secret }).generate({ timestamp: Date.now() + stepsFromNow * STEP_MS });
}
