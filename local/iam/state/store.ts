// SPDX-License-Identifier: Apache-2.0
/**
 * In-memory IAM state: users and their MFA devices, with the TOTP bookkeeping that IAM keeps per
 * device (a clock adjustment and the newest step already consumed). No wire format here; the
 * actions translate between this and awsQuery.
 */
import type { Secret } from 'otpauth';
import type { DeviceSnapshot, TotpWindows } from '../types';
import type { ResolvedDevice, ResolvedSeed, ResolvedUser } from './seed';
import { findCode, findConsecutivePair, parseSecret, stepAt } from './totp';

export interface DeviceState {
  readonly seeded: ResolvedDevice;
  readonly secret?: Secret;
  /** IAM expects the code of step `stepAt(now) + adjustmentSteps`. */
  adjustmentSteps: number;
  /** Newest step consumed by a sign-in or a resync; codes at or before it are never accepted again. */
  lastUsedStep: number;
}

export interface UserState {
  readonly seeded: ResolvedUser;
  readonly devices: DeviceState[];
}

export type ResyncOutcome = 'resynced' | 'invalid-codes' | 'not-totp';

export class IamStore {
  private users: UserState[] = [];

  constructor(
    private readonly seed: ResolvedSeed,
    private readonly clock: () => number,
    readonly windows: TotpWindows,
  ) {
    this.reset();
  }

  reset(): void {
    this.users = this.seed.users.map((user) => ({
      seeded: user,
      devices: user.devices.map((device) => ({
        seeded: device,
        ...(device.secret === undefined ? {} : { secret: parseSecret(device.secret) }),
        adjustmentSteps: device.adjustmentSteps,
        lastUsedStep: Number.NEGATIVE_INFINITY,
      })),
    }));
  }

  /** Case-insensitive, as IAM matches names (F-3.5.2); names are ASCII by their pattern. */
  findUser(userName: string): UserState | undefined {
    const key = userName.toLowerCase();
    return this.users.find((u) => u.seeded.userName.toLowerCase() === key);
  }

  findUserByAccessKey(accessKeyId: string): UserState | undefined {
    return this.users.find((u) => u.seeded.accessKeyIds.includes(accessKeyId));
  }

  findDevice(serialNumber: string): { user: UserState; device: DeviceState } | undefined {
    for (const user of this.users) {
      const device = user.devices.find((d) => d.seeded.serialNumber === serialNumber);
      if (device !== undefined) return { user, device };
    }
    return undefined;
  }

  /**
   * ResyncMFADevice's core. Searches ±resyncSteps around the device's current adjustment for
   * code1 at step t and code2 at t + 1 (two consecutive codes, F-3.4.2), newer than anything
   * already consumed (F-3.4.3 reports that a pair cannot be reused; the emulator also refuses a
   * pair that overlaps the last consumed code). On success the second code's step becomes "now"
   * for the device: the user reads code1, waits for code2, and submits at once.
   */
  resync(device: DeviceState, code1: string, code2: string): ResyncOutcome {
    if (device.secret === undefined) return 'not-totp';
    const now = stepAt(this.clock());
    const t = findConsecutivePair(device.secret, code1, code2, now + device.adjustmentSteps, this.windows.resyncSteps, device.lastUsedStep);
    if (t === undefined) return 'invalid-codes';
    device.adjustmentSteps = t + 1 - now;
    device.lastUsedStep = t + 1;
    return 'resynced';
  }

  /**
   * Simulated console/STS sign-in: one code within ±signInSteps of the adjusted step, each step
   * accepted once. Emulator-only; IAM's sign-in window is undocumented (F-3.4.3 reports ±2 for STS).
   */
  signIn(device: DeviceState, code: string): boolean {
    if (device.secret === undefined) return false;
    const center = stepAt(this.clock()) + device.adjustmentSteps;
    const s = findCode(device.secret, code, center, this.windows.signInSteps, device.lastUsedStep);
    if (s === undefined) return false;
    device.lastUsedStep = s;
    return true;
  }

  snapshot(user: UserState, device: DeviceState): DeviceSnapshot {
    const { seeded } = device;
    return {
      userName: user.seeded.userName,
      serialNumber: seeded.serialNumber,
      kind: seeded.kind,
      enableDate: new Date(seeded.enableDateMs).toISOString(),
      ...(seeded.secret === undefined
        ? {}
        : { secret: seeded.secret, adjustmentSteps: device.adjustmentSteps, offsetSteps: 0 - device.adjustmentSteps }),
    };
  }

  allDevices(): DeviceSnapshot[] {
    return this.users.flatMap((user) => user.devices.map((device) => this.snapshot(user, device)));
  }
}
