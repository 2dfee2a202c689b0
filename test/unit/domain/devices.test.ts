// SPDX-License-Identifier: Apache-2.0
import { classifyDevice, listAllDevices, MAX_LISTING_PAGES, selectDevice, type DeviceView } from '../../../lambda/domain/devices';
import type { MfaDevicePage, MfaDirectory } from '../../../lambda/domain/ports';
import { InMemoryMfaDirectory } from '../../fixtures/in-memory-directory';
import { codeOf } from '../../fixtures/domain-errors';

const VIRTUAL = 'arn:aws:iam::111122223333:mfa/alice-phone';
const VIRTUAL_2 = 'arn:aws:iam::111122223333:mfa/alice-tablet';
const HARDWARE = 'GAKT12345678';
const FIDO = 'arn:aws:iam::111122223333:u2f/user/alice/fidosecuritykey1-7XNL7NFNLZ123456789EXAMPLE';

function view(serialNumber: string): DeviceView {
  return { serialNumber, ...classifyDevice(serialNumber), enabledAt: '2026-01-05T10:00:00.000Z' };
}


describe('classifying a serial number (F-3.1.1 to F-3.1.4)', () => {
  it.each([
    ['arn:aws:iam::111122223333:mfa/alice-phone', 'virtual', true],
    ['arn:aws:iam::111122223333:mfa/division/alice', 'virtual', true],
    ['arn:aws:iam::111122223333:mfa/root-account-mfa-device', 'virtual', true],
    ['arn:aws-cn:iam::111122223333:mfa/alice', 'virtual', true],
    ['arn:aws-us-gov:iam::111122223333:mfa/alice', 'virtual', true],
    ['arn:aws-iso:iam::111122223333:mfa/alice', 'virtual', true],
    ['arn:aws-iso-b:iam::111122223333:mfa/alice', 'virtual', true],
    ['arn:aws-eusc:iam::111122223333:mfa/alice', 'virtual', true],
    [FIDO, 'fido', false],
    ['arn:aws-us-gov:iam::111122223333:u2f/user/alice/default', 'fido', false],
    ['GAKT12345678', 'hardware', true],
    ['ABCD12345678', 'hardware', true],
    // Not TOTP as far as we can know: listed, never resynced.
    ['arn:aws:iam::111122223333:sms-mfa/alice', 'hardware', false],
    ['arn:aws:iam::111122223333:user/alice', 'hardware', false],
    ['arn:aws:sts::111122223333:mfa/alice', 'hardware', false],
    ['arn:aws:iam:us-east-1:111122223333:mfa/alice', 'hardware', false],
  ])('classifies %s as %s (resyncable: %s)', (serialNumber, type, resyncable) => {
    // Act
    const kind = classifyDevice(serialNumber);

    // Assess
    expect(kind).toEqual({ type, resyncable });
  });
});

describe('listing every device of a user', () => {
  it('follows nextMarker across pages and keeps the order', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory(2).withUser('alice', [VIRTUAL, HARDWARE, FIDO, VIRTUAL_2, 'GAHT87654321']);

    // Act
    const devices = await listAllDevices(directory, 'alice');

    // Assess
    expect(devices.map((device) => device.serialNumber)).toEqual([VIRTUAL, HARDWARE, FIDO, VIRTUAL_2, 'GAHT87654321']);
    expect(directory.calls.map((call) => call.marker)).toEqual([undefined, 'page-2', 'page-4']);
  });

  it('shows each device as in the contract listing', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('alice', [VIRTUAL]);

    // Act
    const devices = await listAllDevices(directory, 'alice');

    // Assess
    expect(devices).toEqual([{ serialNumber: VIRTUAL, type: 'virtual', enabledAt: '2026-01-05T10:00:00.000Z', resyncable: true }]);
  });

  it('stops with upstream-unavailable when IAM hands back a marker it already gave', async () => {
    // Prepare
    const looping: MfaDirectory = {
      listMfaDevices: async (): Promise<MfaDevicePage> => ({ devices: [], nextMarker: 'same' }),
      resyncMfaDevice: async () => undefined,
    };

    // Act
    const outcome = listAllDevices(looping, 'alice');

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'upstream-unavailable', reason: 'listing-marker-loop' });
  });

  it('stops with upstream-unavailable after an absurd number of pages', async () => {
    // Prepare
    let calls = 0;
    const endless: MfaDirectory = {
      listMfaDevices: async (): Promise<MfaDevicePage> => ({ devices: [], nextMarker: `m${++calls}` }),
      resyncMfaDevice: async () => undefined,
    };

    // Act
    const outcome = listAllDevices(endless, 'alice');

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'upstream-unavailable', reason: 'listing-too-many-pages' });
    expect(calls).toBe(MAX_LISTING_PAGES);
  });
});

describe('selecting the device to resync', () => {
  it('takes the only resyncable device when no serial number is given', () => {
    // Act
    const device = selectDevice([view(FIDO), view(HARDWARE)]);

    // Assess
    expect(device.serialNumber).toBe(HARDWARE);
  });

  it('asks for a selection among the resyncable devices only', () => {
    // Prepare
    let devices: readonly DeviceView[] = [];

    // Act
    try {
      selectDevice([view(VIRTUAL), view(FIDO), view(HARDWARE)]);
    } catch (error) {
      devices = (error as { devices: readonly DeviceView[] }).devices;
    }

    // Assess
    expect(devices.map((device) => device.serialNumber)).toEqual([VIRTUAL, HARDWARE]);
  });

  it('reports device-selection-required for several resyncable devices', () => {
    // Act
    const code = codeOf(() => selectDevice([view(VIRTUAL), view(VIRTUAL_2)]));

    // Assess
    expect(code).toBe('device-selection-required');
  });

  it('takes the named device among several', () => {
    // Act
    const device = selectDevice([view(VIRTUAL), view(VIRTUAL_2)], VIRTUAL_2);

    // Assess
    expect(device.serialNumber).toBe(VIRTUAL_2);
  });

  it.each([
    ['only a FIDO key', [view(FIDO)]],
    ['no device at all', []],
    ['only an SMS device', [view('arn:aws:iam::111122223333:sms-mfa/alice')]],
  ])('reports no-resyncable-device for %s', (_label, devices) => {
    // Act
    const code = codeOf(() => selectDevice(devices));

    // Assess
    expect(code).toBe('no-resyncable-device');
  });

  it('reports device-not-found for a serial that is not one of the caller\'s devices', () => {
    // Act
    const code = codeOf(() => selectDevice([view(VIRTUAL)], 'arn:aws:iam::111122223333:mfa/bob-phone'));

    // Assess
    expect(code).toBe('device-not-found');
  });

  it('reports device-not-resyncable for the caller\'s own FIDO key', () => {
    // Act
    const code = codeOf(() => selectDevice([view(VIRTUAL), view(FIDO)], FIDO));

    // Assess
    expect(code).toBe('device-not-resyncable');
  });

  it('reports device-not-resyncable with its own detail for a non-TOTP ARN', () => {
    // Prepare
    const sms = 'arn:aws:iam::111122223333:sms-mfa/alice';
    let detail: string | undefined;

    // Act
    try {
      selectDevice([view(sms)], sms);
    } catch (error) {
      detail = (error as { detail?: string }).detail;
    }

    // Assess
    expect(detail).toMatch(/not a TOTP device/);
  });
});
