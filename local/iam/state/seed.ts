// SPDX-License-Identifier: Apache-2.0
/**
 * Turns an `IamSeed` into a fully resolved seed (every serial, secret, id and date fixed) and
 * rejects seeds that IAM itself could never hold. Resolution happens once per emulator, so
 * `reset()` restores exactly the same serials and secrets that the local stack already published.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Secret } from 'otpauth';
import type { DeviceKind, IamSeed } from '../types';
import { parseSecret } from './totp';

export interface ResolvedDevice {
  readonly kind: DeviceKind;
  readonly serialNumber: string;
  readonly enableDateMs: number;
  readonly secret?: string;
  readonly adjustmentSteps: number;
}

export interface ResolvedUser {
  readonly userName: string;
  readonly path: string;
  readonly userId: string;
  readonly arn: string;
  readonly createDateMs: number;
  readonly tags: readonly (readonly [string, string])[];
  readonly accessKeyIds: readonly string[];
  readonly devices: readonly ResolvedDevice[];
}

export interface ResolvedSeed {
  readonly accountId: string;
  readonly partition: string;
  readonly users: readonly ResolvedUser[];
}

const USER_NAME = /^[\w+=,.@-]{1,64}$/; // userNameType, F-3.5.1
const PATH = /^(?:\/|\/[\u0021-\u007E]+\/)$/; // pathType, F-1.5.1
const SERIAL = /^[\w+=/:,.@-]{9,256}$/; // serialNumberType, F-1.1.3
const MAX_DEVICES = 8; // F-3.2.1

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Chars(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += BASE32[(bytes[i % bytes.length] ?? 0) % 32];
  return out;
}

function parseDate(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`IAM seed: ${what} is not a date: ${value}`);
  // IAM reports whole seconds; drop fractions so listings and snapshots agree.
  return Math.floor(ms / 1000) * 1000;
}

export function resolveSeed(seed: IamSeed, nowMs: number): ResolvedSeed {
  if (!/^\d{12}$/.test(seed.accountId)) throw new Error(`IAM seed: accountId must be 12 digits: ${seed.accountId}`);
  const partition = seed.partition ?? 'aws';
  const startMs = Math.floor(nowMs / 1000) * 1000;
  const names = new Set<string>();
  const serials = new Set<string>();

  const users = seed.users.map((user): ResolvedUser => {
    if (!USER_NAME.test(user.userName)) throw new Error(`IAM seed: invalid user name: ${user.userName}`);
    // Unique regardless of case (F-3.5.2).
    const key = user.userName.toLowerCase();
    if (names.has(key)) throw new Error(`IAM seed: user names must be unique regardless of case: ${user.userName}`);
    names.add(key);
    const path = user.path ?? '/';
    if (!PATH.test(path) || path.length > 512) throw new Error(`IAM seed: invalid path for ${user.userName}: ${path}`);
    if (user.devices.length > MAX_DEVICES) throw new Error(`IAM seed: ${user.userName} has more than ${MAX_DEVICES} MFA devices`);
    const digest = createHash('sha256').update(`${seed.accountId}:${user.userName}`).digest();
    const userId = user.userId ?? `AIDA${base32Chars(digest, 17)}`;
    if (!/^\w{16,128}$/.test(userId)) throw new Error(`IAM seed: invalid userId: ${userId}`);

    const devices = user.devices.map((device): ResolvedDevice => {
      let serialNumber: string;
      if (device.kind === 'virtual') {
        if (device.serialNumber === undefined && device.name === undefined) {
          throw new Error(`IAM seed: a virtual device of ${user.userName} needs a name or a serialNumber`);
        }
        serialNumber = device.serialNumber ?? `arn:${partition}:iam::${seed.accountId}:mfa/${device.name ?? ''}`;
      } else if (device.kind === 'hardware') {
        if (device.serialNumber === undefined) throw new Error(`IAM seed: a hardware device of ${user.userName} needs its vendor serialNumber`);
        serialNumber = device.serialNumber;
      } else {
        const suffix = base32Chars(randomBytes(26), 26);
        serialNumber =
          device.serialNumber ??
          `arn:${partition}:iam::${seed.accountId}:u2f/user/${user.userName}/${device.name ?? 'fidosecuritykey1'}-${suffix}`;
      }
      if (!SERIAL.test(serialNumber)) throw new Error(`IAM seed: invalid serial number: ${serialNumber}`);
      if (serials.has(serialNumber)) throw new Error(`IAM seed: duplicate serial number: ${serialNumber}`);
      serials.add(serialNumber);

      const offsetSteps = device.offsetSteps ?? 0;
      if (!Number.isInteger(offsetSteps)) throw new Error(`IAM seed: offsetSteps must be an integer: ${offsetSteps}`);
      let secret: string | undefined;
      if (device.kind !== 'fido') {
        secret = device.secret === undefined ? new Secret({ size: 20 }).base32 : parseSecret(device.secret).base32;
      } else if (device.secret !== undefined) {
        throw new Error(`IAM seed: FIDO keys have no TOTP secret (${serialNumber})`);
      }
      return {
        kind: device.kind,
        serialNumber,
        enableDateMs: parseDate(device.enabledAt, startMs, `enabledAt of ${serialNumber}`),
        ...(secret === undefined ? {} : { secret }),
        // `0 - x` rather than `-x` so that an in-sync device stores 0, not -0.
        adjustmentSteps: 0 - offsetSteps,
      };
    });

    return {
      userName: user.userName,
      path,
      userId,
      // The ARN includes the path (F-1.5.2, F-3.5.3).
      arn: `arn:${partition}:iam::${seed.accountId}:user${path}${user.userName}`,
      createDateMs: parseDate(user.createDate, startMs, `createDate of ${user.userName}`),
      tags: Object.entries(user.tags ?? {}),
      accessKeyIds: [...(user.accessKeyIds ?? [])],
      devices,
    };
  });
  return { accountId: seed.accountId, partition, users };
}
