// SPDX-License-Identifier: Apache-2.0
/** The emulator through the unmodified @aws-sdk/client-iam, as the Lambda will use it. */
import {
  GetUserCommand,
  IAMServiceException,
  InvalidAuthenticationCodeException,
  ListMFADevicesCommand,
  NoSuchEntityException,
  ResyncMFADeviceCommand,
  paginateListMFADevices,
} from '@aws-sdk/client-iam';
import type { IamEmulator } from '../../../local/iam';
import {
  ACCOUNT,
  ALICE_DRIFT,
  ALICE_PHONE,
  ALICE_SECRET,
  ALICE_TOKEN,
  BOB_PHONE,
  TOKEN_SECRET,
  client,
  codeAt,
  failure,
  fixedClock,
  signIn,
  startWithClock,
} from './helpers';

let emulator: IamEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  ({ emulator, clock } = await startWithClock());
});
afterEach(async () => {
  await emulator.close();
});

const resync = (userName: string, serialNumber: string, code1: string, code2: string) =>
  client(emulator).send(new ResyncMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber, AuthenticationCode1: code1, AuthenticationCode2: code2 }));

/** Two consecutive codes as a device on a correct clock shows them: the previous step's and the current one. */
const currentPair = (secret: string) => [codeAt(secret, clock.now() - 30_000), codeAt(secret, clock.now())] as const;

describe('ListMFADevices', () => {
  it('lists every device of the user with the stored user name, serials and enable dates', async () => {
    const out = await client(emulator).send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(out.IsTruncated).toBe(false);
    expect(out.Marker).toBeUndefined();
    expect(out.MFADevices?.map((d) => [d.UserName, d.SerialNumber, d.EnableDate?.toISOString()])).toEqual([
      ['Alice', ALICE_PHONE, '2026-01-05T10:00:00.000Z'],
      ['Alice', ALICE_TOKEN, '2026-01-06T10:00:00.000Z'],
      ['Alice', expect.stringMatching(new RegExp(`^arn:aws:iam::${ACCOUNT}:u2f/user/Alice/yubikey-[A-Z2-7]{26}$`)), '2026-01-07T10:00:00.000Z'],
    ]);
  });

  it('pages one device at a time with the SDK paginator, following IsTruncated and Marker', async () => {
    const pages = [];
    for await (const page of paginateListMFADevices({ client: client(emulator), pageSize: 1 }, { UserName: 'Alice' })) pages.push(page);
    expect(pages.map((p) => p.MFADevices?.length)).toEqual([1, 1, 1]);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, true, false]);
    expect(pages[0]?.Marker).toEqual(expect.any(String));
    expect(pages[2]?.Marker).toBeUndefined();
    expect(pages.flatMap((p) => p.MFADevices?.map((d) => d.SerialNumber))).toEqual([ALICE_PHONE, ALICE_TOKEN, expect.stringContaining(':u2f/user/Alice/')]);
    expect(emulator.callCounts()).toEqual({ ListMFADevices: 3 });
  });

  it('answers an empty list for a user without devices', async () => {
    const out = await client(emulator).send(new ListMFADevicesCommand({ UserName: 'carol' }));
    expect(out.MFADevices).toEqual([]);
    expect(out.IsTruncated).toBe(false);
  });

  it.each([
    ['0', "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['1001', "Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"],
  ])('rejects MaxItems %s with a ValidationError', async (maxItems, text) => {
    const error = await failure(client(emulator).send(new ListMFADevicesCommand({ UserName: 'Alice', MaxItems: Number(maxItems) })));
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(`1 validation error detected: ${text}`);
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('refuses a marker issued for another user', async () => {
    const first = await client(emulator).send(new ListMFADevicesCommand({ UserName: 'Alice', MaxItems: 1 }));
    const error = await failure(client(emulator).send(new ListMFADevicesCommand({ UserName: 'bob', Marker: first.Marker })));
    expect(error.name).toBe('ValidationError');
  });

  it('falls back to the user behind the access key when UserName is omitted, and refuses non-user credentials', async () => {
    const mine = await client(emulator).send(new ListMFADevicesCommand({}));
    expect(mine.MFADevices?.[0]?.UserName).toBe('Alice');
    const error = await failure(client(emulator, 'ASIAROLESESSION00001').send(new ListMFADevicesCommand({})));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('Must specify userName when calling with non-User credentials');
  });
});

describe('GetUser', () => {
  it('returns the stored case, path, ARN with the path, id, creation date and tags for a differently cased name', async () => {
    const { User } = await client(emulator).send(new GetUserCommand({ UserName: 'aLiCe' }));
    expect(User).toEqual({
      Path: '/',
      UserName: 'Alice',
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      Arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
      CreateDate: new Date('2025-11-01T09:30:00Z'),
      Tags: [
        { Key: 'team', Value: 'platform' },
        { Key: 'cost-center', Value: 'R&D <1>' },
      ],
    });
  });

  it('puts the path into the ARN and leaves Tags out for an untagged user', async () => {
    const { User } = await client(emulator).send(new GetUserCommand({ UserName: 'BOB' }));
    expect(User?.Path).toBe('/division_abc/subdivision_xyz/');
    expect(User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/bob`);
    expect(User?.UserName).toBe('bob');
    expect(User?.Tags).toBeUndefined();
  });

  it('keeps the user id stable across emulators started from the same seed', async () => {
    const first = await client(emulator).send(new GetUserCommand({ UserName: 'Alice' }));
    const other = await startWithClock();
    try {
      const second = await client(other.emulator).send(new GetUserCommand({ UserName: 'Alice' }));
      expect(second.User?.UserId).toBe(first.User?.UserId);
    } finally {
      await other.emulator.close();
    }
  });
});

describe('NoSuchEntity', () => {
  it.each([
    ['GetUser', () => client(emulator).send(new GetUserCommand({ UserName: 'zed' }))],
    ['ListMFADevices', () => client(emulator).send(new ListMFADevicesCommand({ UserName: 'zed' }))],
    ['ResyncMFADevice', () => resync('zed', ALICE_PHONE, '123456', '654321')],
  ])('%s for an unknown user raises NoSuchEntityException (404) with IAM message', async (_action, call) => {
    const error = await failure(call());
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe('The user with name zed cannot be found.');
    expect((error as unknown as NoSuchEntityException).$metadata.httpStatusCode).toBe(404);
    expect((error as unknown as NoSuchEntityException).$fault).toBe('client');
  });

  it('refuses a serial that belongs to another user', async () => {
    const [c1, c2] = currentPair(ALICE_SECRET);
    const error = await failure(resync('Alice', BOB_PHONE, c1, c2));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.message).toContain(BOB_PHONE);
  });

  it('refuses to resync a FIDO security key', async () => {
    const fido = emulator.devices().find((d) => d.kind === 'fido');
    expect(fido?.secret).toBeUndefined();
    const error = await failure(resync('Alice', fido?.serialNumber ?? '', '123456', '654321'));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect((await signIn(emulator, fido?.serialNumber ?? '', '123456')).body).toEqual({ accepted: false });
  });
});

describe('ResyncMFADevice', () => {
  it('resynchronises a drifted virtual device so that sign-in works afterwards', async () => {
    expect(emulator.device(ALICE_PHONE)).toMatchObject({ offsetSteps: ALICE_DRIFT, adjustmentSteps: -ALICE_DRIFT });
    expect((await signIn(emulator, ALICE_PHONE, codeAt(ALICE_SECRET, clock.now()))).body).toEqual({ accepted: false });

    const [c1, c2] = currentPair(ALICE_SECRET);
    const out = await resync('Alice', ALICE_PHONE, c1, c2);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(Object.keys(out)).toEqual(['$metadata']);
    expect(emulator.device(ALICE_PHONE)).toMatchObject({ offsetSteps: 0, adjustmentSteps: 0 });

    // The code just used for the resync is consumed; the next one signs in, once.
    expect((await signIn(emulator, ALICE_PHONE, c2)).body).toEqual({ accepted: false });
    clock.advance(30_000);
    const next = codeAt(ALICE_SECRET, clock.now());
    expect((await signIn(emulator, ALICE_PHONE, next)).body).toEqual({ accepted: true });
    expect((await signIn(emulator, ALICE_PHONE, next)).body).toEqual({ accepted: false });
  });

  it('resyncs a hardware TOTP token and matches the user name regardless of case', async () => {
    const [c1, c2] = currentPair(TOKEN_SECRET);
    await expect(resync('ALICE', ALICE_TOKEN, c1, c2)).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
  });

  it.each([
    ['wrong codes', () => ['000000', '999999']],
    ['non-consecutive codes', () => [codeAt(ALICE_SECRET, clock.now() - 60_000), codeAt(ALICE_SECRET, clock.now())]],
    ['codes in reverse order', () => [codeAt(ALICE_SECRET, clock.now()), codeAt(ALICE_SECRET, clock.now() - 30_000)]],
    ['the same code twice', () => [codeAt(ALICE_SECRET, clock.now()), codeAt(ALICE_SECRET, clock.now())]],
    ['codes of another device', () => currentPair(TOKEN_SECRET)],
  ])('raises InvalidAuthenticationCodeException (403) for %s', async (_case, codes) => {
    const [c1, c2] = codes();
    const error = await failure(resync('Alice', ALICE_PHONE, c1 ?? '', c2 ?? ''));
    expect(error).toBeInstanceOf(InvalidAuthenticationCodeException);
    expect(error.name).toBe('InvalidAuthenticationCodeException');
    expect(error.message).toBe('Authentication code for device is not valid.');
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(403);
    expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(ALICE_DRIFT);
  });

  it('rejects a replayed pair and a pair older than the last accepted one', async () => {
    const [c1, c2] = currentPair(ALICE_SECRET);
    await resync('Alice', ALICE_PHONE, c1, c2);
    await expect(resync('Alice', ALICE_PHONE, c1, c2)).rejects.toBeInstanceOf(InvalidAuthenticationCodeException);
    const older = [codeAt(ALICE_SECRET, clock.now() - 90_000), codeAt(ALICE_SECRET, clock.now() - 60_000)] as const;
    await expect(resync('Alice', ALICE_PHONE, older[0], older[1])).rejects.toBeInstanceOf(InvalidAuthenticationCodeException);
    // A fresh pair a minute later is fine.
    clock.advance(60_000);
    const [n1, n2] = currentPair(ALICE_SECRET);
    await expect(resync('Alice', ALICE_PHONE, n1, n2)).resolves.toBeDefined();
  });

  it.each([
    [
      'a five-digit code',
      { AuthenticationCode1: '12345' },
      "1 validation error detected: Value '12345' at 'authenticationCode1' failed to satisfy constraint: Member must have length greater than or equal to 6",
    ],
    [
      'letters in a code',
      { AuthenticationCode2: '12a456' },
      "1 validation error detected: Value '12a456' at 'authenticationCode2' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]+",
    ],
    [
      'a short serial',
      { SerialNumber: 'GAKT1' },
      "1 validation error detected: Value 'GAKT1' at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9",
    ],
    [
      'a user name with a path',
      { UserName: 'division_abc/Alice' },
      'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
    ],
  ])('raises ValidationError (400) for %s', async (_case, override, message) => {
    const input = { UserName: 'Alice', SerialNumber: ALICE_PHONE, AuthenticationCode1: '123456', AuthenticationCode2: '654321', ...override };
    const error = await failure(client(emulator).send(new ResyncMFADeviceCommand(input)));
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error).not.toBeInstanceOf(InvalidAuthenticationCodeException);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(message);
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('lists every missing parameter in one ValidationError (the SDK does not check required members)', async () => {
    const error = await failure(client(emulator).send(new ResyncMFADeviceCommand({} as never)));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "4 validation errors detected: Value null at 'userName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'serialNumber' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'authenticationCode1' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'authenticationCode2' failed to satisfy constraint: Member must not be null",
    );
  });
});
