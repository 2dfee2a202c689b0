// SPDX-License-Identifier: Apache-2.0
/** Local IAM emulator: the IAM Query API for ListMFADevices, GetUser and ResyncMFADevice. See README.md. */
export { startIamEmulator, DEFAULT_WINDOWS } from './server';
export type {
  CallRecord,
  DeviceKind,
  DeviceSnapshot,
  IamEmulator,
  IamEmulatorOptions,
  IamSeed,
  SeedDevice,
  SeedUser,
  TotpWindows,
} from './types';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './emulator/faults';
