// SPDX-License-Identifier: Apache-2.0
/**
 * Public types of the local IAM emulator: the seed it starts from, its options, and the handle
 * that the local stack and tests get back. Everything here is emulator-only; nothing is an AWS
 * shape (those live in `wire/`).
 */

import type { PolicyDocument } from './auth/policy';

export type { PolicyDocument, PolicyStatement } from './auth/policy';

export type DeviceKind = 'virtual' | 'hardware' | 'fido';

export interface SeedDevice {
  readonly kind: DeviceKind;
  /**
   * Virtual: the device name, which may carry a path (`team/alice-phone`); the serial becomes
   * `arn:<partition>:iam::<account>:mfa/<name>` (F-3.1.1). The name is not the user name.
   * FIDO: the key name; the serial becomes `arn:<partition>:iam::<account>:u2f/user/<UserName>/<name>-<random>`
   * (F-3.1.3). Default `fidosecuritykey1`. Ignored for hardware.
   */
  readonly name?: string;
  /**
   * Overrides the derived serial. Required for hardware tokens (a vendor serial such as
   * `GAKT12345678`, F-3.1.2); optional for virtual and FIDO devices.
   */
  readonly serialNumber?: string;
  /** Base32 TOTP seed (virtual and hardware). A random 160-bit seed is generated when absent. */
  readonly secret?: string;
  /**
   * How many 30 s steps the device's clock runs ahead of what IAM currently expects (negative:
   * behind). 0 (default) means in sync. Internally IAM's stored adjustment starts at
   * `-offsetSteps`, so an authenticator on a correct clock shows codes IAM does not accept until
   * a resync.
   */
  readonly offsetSteps?: number;
  /** ISO 8601; default: the emulator's start time. Reported as `EnableDate`. */
  readonly enabledAt?: string;
}

export interface SeedUser {
  /** Unique within the account regardless of case; stored with its case (F-3.5.2). */
  readonly userName: string;
  /** `/` (default) or `/a/b/` (F-1.5.1, F-3.5.3); part of the user ARN. */
  readonly path?: string;
  /** Default: derived from account and name, `AIDA` + 17 characters, stable across restarts. */
  readonly userId?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** ISO 8601; default: the emulator's start time. */
  readonly createDate?: string;
  /**
   * Access key ids that belong to this user. Used only when a request omits `UserName`, where
   * IAM falls back to the signing identity (F-1.4.1, F-1.5.1).
   */
  readonly accessKeyIds?: readonly string[];
  readonly devices: readonly SeedDevice[];
}

/**
 * An access key whose requests are authorised against identity policies: for example the
 * Lambda function role's credentials. `arn` is what trust policies name: a role ARN
 * (`arn:aws:iam::<acct>:role/<name>`; the key then acts as a session of that role, and its
 * AssumeRole calls are role chaining, F-4.4.3) or a user ARN.
 */
export interface SeedPrincipal {
  readonly accessKeyId: string;
  readonly arn: string;
  readonly policies: readonly PolicyDocument[];
}

/** A role that `sts:AssumeRole` can assume (same account). */
export interface SeedRole {
  readonly roleName: string;
  /** Default `/`. */
  readonly path?: string;
  /** Identity policies: a session's rights are these intersected with its session policy (F-4.4.1). */
  readonly policies: readonly PolicyDocument[];
  /** Who may assume it, and with what (`sts:AssumeRole`, `sts:SetSourceIdentity`, `sts:TagSession`). */
  readonly trustPolicy: PolicyDocument;
  /** Default 3600 (1 h). */
  readonly maxSessionDurationSeconds?: number;
}

export interface IamSeed {
  /** Twelve digits. */
  readonly accountId: string;
  /** Default `aws`. Used in every ARN the emulator builds. */
  readonly partition?: string;
  readonly users: readonly SeedUser[];
  readonly principals?: readonly SeedPrincipal[];
  readonly roles?: readonly SeedRole[];
  /**
   * Default false: a key that is neither seeded nor issued by AssumeRole acts as an unrestricted
   * principal (what the emulator did before it knew policies). True: such keys get
   * `InvalidClientTokenId`, as on AWS.
   */
  readonly strictAccessKeys?: boolean;
}

/**
 * The two TOTP windows, in 30 s steps. These are the emulator's choice: AWS documents neither
 * (F-3.4.2); F-3.4.3 (Low confidence) reports roughly -998..+1000 steps for enrolment and ±2 for STS.
 */
export interface TotpWindows {
  /** Simulated sign-in accepts a code within ±signInSteps of the device's adjusted step. Default 1. */
  readonly signInSteps: number;
  /** Resync searches ±resyncSteps around the device's current adjustment. Default 1000 (about ±8 h 20 min). */
  readonly resyncSteps: number;
}

export interface IamEmulatorOptions {
  /** 0 (default) picks an ephemeral port. The server binds 127.0.0.1 only. */
  readonly port?: number;
  readonly seed: IamSeed;
  /** Milliseconds since the epoch; tests pass a fixed clock. Default `Date.now`. */
  readonly clock?: () => number;
  readonly windows?: Partial<TotpWindows>;
}

/** A read-only view of one device, for the local stack (session file) and tests. */
export interface DeviceSnapshot {
  readonly userName: string;
  readonly serialNumber: string;
  readonly kind: DeviceKind;
  readonly enableDate: string;
  /** Base32; absent for FIDO keys. */
  readonly secret?: string;
  /** IAM's stored clock adjustment, in steps: IAM expects the code of step `floor(now/30 s) + adjustmentSteps`. */
  readonly adjustmentSteps?: number;
  /** The drift of a device on a correct clock relative to IAM: `-adjustmentSteps`. */
  readonly offsetSteps?: number;
}

/** One IAM request as the emulator saw it; the access key id is taken from the SigV4 credential. */
export interface CallRecord {
  readonly action: string;
  readonly accessKeyId: string;
  readonly status: number;
  readonly requestId: string;
  /** Error code when the call failed, e.g. `InvalidAuthenticationCode`. */
  readonly errorCode?: string;
  /** For seeded principals and sessions: the caller's ARN (`assumed-role/<role>/<session>` for sessions). */
  readonly principalArn?: string;
  /** For sessions with a SourceIdentity: the value CloudTrail would show (F-4.4.7). */
  readonly sourceIdentity?: string;
}

export interface IamEmulator {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` (SDK) or `--endpoint-url` (CLI). */
  readonly url: string;
  readonly port: number;
  readonly accountId: string;
  readonly partition: string;
  readonly windows: TotpWindows;
  close(): Promise<void>;
  /** Same as `POST /_emulator/reset`: seeded state back, counters and faults cleared. */
  reset(): void;
  device(serialNumber: string): DeviceSnapshot | undefined;
  devices(): DeviceSnapshot[];
  /** Calls per action, as `GET /_emulator/calls` reports them. */
  callCounts(): Record<string, number>;
  calls(): readonly CallRecord[];
}
