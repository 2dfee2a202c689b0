// SPDX-License-Identifier: Apache-2.0
import type { ActionHandler } from './context';
import { getUser } from './get-user';
import { listMfaDevices } from './list-mfa-devices';
import { resyncMfaDevice } from './resync-mfa-device';

/** The only actions the emulator implements; anything else is answered as an unknown operation. */
export const ACTIONS: ReadonlyMap<string, ActionHandler> = new Map([
  ['GetUser', getUser],
  ['ListMFADevices', listMfaDevices],
  ['ResyncMFADevice', resyncMfaDevice],
]);

export type { ActionContext, ActionHandler } from './context';
