// SPDX-License-Identifier: Apache-2.0
/** The emulator's TOTP windows at their edges, and the seed rules it enforces at start-up. */
import { ResyncMFADeviceCommand } from '@aws-sdk/client-iam';
import { DEFAULT_WINDOWS, startIamEmulator, type IamEmulator, type IamSeed, type TotpWindows } from '../../../local/iam';
import { ACCOUNT, client, codeAt, failure, fixedClock, signIn } from './helpers';

const SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
const PHONE = `arn:aws:iam::${ACCOUNT}:mfa/dana-phone`;

const seedWithDrift = (offsetSteps: number): IamSeed => ({
  accountId: ACCOUNT,
  users: [{ userName: 'dana', devices: [{ kind: 'virtual', name: 'dana-phone', secret: SECRET, offsetSteps }] }],
});

const running: IamEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function start(offsetSteps: number, windows?: Partial<TotpWindows>) {
  const clock = fixedClock();
  const emulator = await startIamEmulator({ seed: seedWithDrift(offsetSteps), clock: clock.now, ...(windows ? { windows } : {}) });
  running.push(emulator);
  const resync = () =>
    client(emulator).send(
      new ResyncMFADeviceCommand({
        UserName: 'dana',
        SerialNumber: PHONE,
        AuthenticationCode1: codeAt(SECRET, clock.now() - 30_000),
        AuthenticationCode2: codeAt(SECRET, clock.now()),
      }),
    );
  return { emulator, clock, resync };
}

describe('resync search window', () => {
  it('defaults to ±1000 steps and ±1 step for sign-in', () => {
    expect(DEFAULT_WINDOWS).toEqual({ resyncSteps: 1000, signInSteps: 1 });
  });

  // The pair (now - 1, now) sits offsetSteps - 1 steps from IAM's expected step.
  it.each([
    [1001, true],
    [1002, false],
    [-999, true],
    [-1000, false],
  ])('with the default window, a device %i steps off can be resynced: %s', async (offset, ok) => {
    const { resync, emulator } = await start(offset);
    if (ok) {
      await expect(resync()).resolves.toBeDefined();
      expect(emulator.device(PHONE)?.offsetSteps).toBe(0);
    } else {
      expect((await failure(resync())).name).toBe('InvalidAuthenticationCodeException');
      expect(emulator.device(PHONE)?.offsetSteps).toBe(offset);
    }
  });

  it('honours a configured window', async () => {
    await expect((await start(11, { resyncSteps: 10 })).resync()).resolves.toBeDefined();
    expect((await failure((await start(12, { resyncSteps: 10 })).resync())).name).toBe('InvalidAuthenticationCodeException');
  });

  it('searches around the stored adjustment, not around real time', async () => {
    // IAM believes the device runs 600 steps ahead; a ±100 window around that excludes real time.
    const { resync, clock, emulator } = await start(-600, { resyncSteps: 100 });
    expect((await failure(resync())).name).toBe('InvalidAuthenticationCodeException');
    const deviceMs = clock.now() + 630 * 30_000; // 30 steps beyond what IAM expects
    const out = client(emulator).send(
      new ResyncMFADeviceCommand({ UserName: 'dana', SerialNumber: PHONE, AuthenticationCode1: codeAt(SECRET, deviceMs - 30_000), AuthenticationCode2: codeAt(SECRET, deviceMs) }),
    );
    await expect(out).resolves.toBeDefined();
    expect(emulator.device(PHONE)).toMatchObject({ adjustmentSteps: 630, offsetSteps: -630 });
  });
});

describe('sign-in acceptance window', () => {
  it.each([
    [-1, true],
    [0, true],
    [1, true],
    [-2, false],
    [2, false],
  ])('accepts a code %i steps from the adjusted time: %s', async (steps, accepted) => {
    const { emulator, clock } = await start(0);
    expect((await signIn(emulator, PHONE, codeAt(SECRET, clock.now() + steps * 30_000))).body).toEqual({ accepted });
  });

  it('accepts each code once and never a code older than the last accepted one', async () => {
    const { emulator, clock } = await start(0);
    const now = codeAt(SECRET, clock.now());
    expect((await signIn(emulator, PHONE, now)).body).toEqual({ accepted: true });
    expect((await signIn(emulator, PHONE, now)).body).toEqual({ accepted: false });
    expect((await signIn(emulator, PHONE, codeAt(SECRET, clock.now() - 30_000))).body).toEqual({ accepted: false });
    expect((await signIn(emulator, PHONE, codeAt(SECRET, clock.now() + 30_000))).body).toEqual({ accepted: true });
  });

  it('answers 404 for an unknown serial and 400 for a malformed body', async () => {
    const { emulator } = await start(0);
    expect((await signIn(emulator, 'arn:aws:iam::111122223333:mfa/nope', '123456')).status).toBe(404);
    expect((await signIn(emulator, PHONE, '12345')).status).toBe(400);
  });
});

describe('seed rules', () => {
  const user = (userName: string, extra: object = {}) => ({ userName, devices: [], ...extra });
  it.each([
    ['user names equal regardless of case', { accountId: ACCOUNT, users: [user('Alice'), user('ALICE')] }, /unique regardless of case/],
    ['a hardware token without serial', { accountId: ACCOUNT, users: [user('a', { devices: [{ kind: 'hardware' }] })] }, /vendor serialNumber/],
    ['a path without trailing slash', { accountId: ACCOUNT, users: [user('a', { path: '/eng' })] }, /invalid path/],
    ['a short account id', { accountId: '1234', users: [] }, /12 digits/],
    ['more than eight devices', { accountId: ACCOUNT, users: [user('a', { devices: Array.from({ length: 9 }, (_, i) => ({ kind: 'virtual', name: `d${i}` })) })] }, /more than 8/],
    ['a FIDO key with a secret', { accountId: ACCOUNT, users: [user('a', { devices: [{ kind: 'fido', secret: SECRET }] })] }, /no TOTP secret/],
  ])('rejects %s', async (_case, seed, message) => {
    await expect(startIamEmulator({ seed: seed as IamSeed })).rejects.toThrow(message);
  });

  it('generates a secret for a virtual device without one and builds serials from the partition', async () => {
    const emulator = await startIamEmulator({
      seed: { accountId: ACCOUNT, partition: 'aws-us-gov', users: [user('a', { devices: [{ kind: 'virtual', name: 'p' }] })] },
    });
    running.push(emulator);
    const [device] = emulator.devices();
    expect(device?.serialNumber).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:mfa/p`);
    expect(device?.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(device?.offsetSteps).toBe(0);
  });
});
