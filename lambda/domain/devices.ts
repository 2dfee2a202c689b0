// SPDX-License-Identifier: Apache-2.0
/**
 * MFA devices: what kind a serial number names, how a device is shown, how a user's devices are
 * listed across pages, and which one a resync targets.
 */
import {
  DeviceNotFoundError,
  DeviceNotResyncableError,
  DeviceSelectionRequiredError,
  NoResyncableDeviceError,
  UpstreamUnavailableError,
} from './errors';
import type { MfaDevice, MfaDirectory } from './ports';

/** The `type` of the contract's listing. */
export type DeviceType = 'virtual' | 'fido' | 'hardware';

export interface DeviceClass {
  readonly type: DeviceType;
  readonly resyncable: boolean;
}

export interface DeviceView {
  readonly serialNumber: string;
  readonly type: DeviceType;
  /** ISO 8601, UTC. */
  readonly enabledAt: string;
  readonly resyncable: boolean;
}

/**
 * `arn:<partition>:iam::<account>:<resource>`, in any partition (aws, aws-cn, aws-us-gov,
 * aws-iso, aws-iso-b, …). IAM ARNs have an empty region and a 12-digit account.
 */
const IAM_ARN = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:(.+)$/;

/**
 * Classifies a serial number (F-3.1.1 to F-3.1.4):
 * - `…:mfa/…` is a virtual TOTP device;
 * - `…:u2f/…` is a FIDO security key, which never drifts (F-3.2.2);
 * - a serial that is not an ARN at all is a hardware TOTP token's vendor serial (F-3.1.2).
 *
 * Anything else that starts with `arn:` (an old `sms-mfa/` device, or a shape IAM may add later)
 * is shown as the contract's catch-all `hardware` type but never offered for resync: we cannot
 * know that it holds a TOTP secret, and the undocumented answer IAM would give (§8) is not worth
 * spending a user's codes on.
 */
export function classifyDevice(serialNumber: string): DeviceClass {
  if (!serialNumber.startsWith('arn:')) return { type: 'hardware', resyncable: true };
  const resource = IAM_ARN.exec(serialNumber)?.[1];
  if (resource?.startsWith('mfa/')) return { type: 'virtual', resyncable: true };
  if (resource?.startsWith('u2f/')) return { type: 'fido', resyncable: false };
  return { type: 'hardware', resyncable: false };
}

export function viewDevice(device: MfaDevice): DeviceView {
  return { serialNumber: device.serialNumber, ...classifyDevice(device.serialNumber), enabledAt: device.enabledAt.toISOString() };
}

/**
 * A user has at most 8 devices (F-3.2.1) and IAM pages by 100, so more than a handful of pages
 * means IAM (or an emulator) is misbehaving; stop rather than spin until the function times out.
 */
export const MAX_LISTING_PAGES = 10;

/** Every device of the user, following `nextMarker` across pages (F-1.4.3). */
export async function listAllDevices(
  directory: MfaDirectory,
  userName: string,
  signal?: AbortSignal,
): Promise<DeviceView[]> {
  const devices: DeviceView[] = [];
  const seenMarkers = new Set<string>();
  let marker: string | undefined;
  for (let page = 0; page < MAX_LISTING_PAGES; page++) {
    const result = await directory.listMfaDevices(userName, marker, { signal });
    devices.push(...result.devices.map(viewDevice));
    marker = result.nextMarker;
    if (marker === undefined) return devices;
    if (seenMarkers.has(marker)) throw new UpstreamUnavailableError('listing-marker-loop');
    seenMarkers.add(marker);
  }
  throw new UpstreamUnavailableError('listing-too-many-pages');
}

/**
 * The device a resync targets. With a `serialNumber`, it must be one of the caller's own devices
 * (never trust a serial from the body with another user's device); without one, it must be the
 * only resyncable device.
 */
export function selectDevice(devices: readonly DeviceView[], serialNumber?: string): DeviceView {
  if (serialNumber !== undefined) {
    const named = devices.find((device) => device.serialNumber === serialNumber);
    if (named === undefined) throw new DeviceNotFoundError();
    if (!named.resyncable) {
      throw new DeviceNotResyncableError(
        named.type === 'fido' ? undefined : 'This device is not a TOTP device and cannot be resynchronised.',
      );
    }
    return named;
  }
  const resyncable = devices.filter((device) => device.resyncable);
  const [only, ...others] = resyncable;
  if (only === undefined) throw new NoResyncableDeviceError();
  if (others.length > 0) throw new DeviceSelectionRequiredError(resyncable);
  return only;
}
