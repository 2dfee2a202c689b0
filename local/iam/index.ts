// SPDX-License-Identifier: Apache-2.0
/** Local IAM emulator: the IAM Query API for ListMFADevices, GetUser and ResyncMFADevice, and STS AssumeRole. See README.md. */
export { startIamEmulator, DEFAULT_WINDOWS } from './server';
export type {
  CallRecord,
  DeviceKind,
  DeviceSnapshot,
  IamEmulator,
  IamEmulatorOptions,
  IamSeed,
  PolicyDocument,
  PolicyStatement,
  SeedDevice,
  SeedPrincipal,
  SeedRole,
  SeedUser,
  TotpWindows,
} from './types';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './emulator/faults';
