// SPDX-License-Identifier: Apache-2.0
/** Fault injection, call counters and reset under /_emulator, observed through the SDK. */
import {
  ConcurrentModificationException,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  ListMFADevicesCommand,
  ResyncMFADeviceCommand,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import type { IamEmulator } from '../../../local/iam';
import { ACCESS_KEY, ALICE_DRIFT, ALICE_PHONE, ALICE_SECRET, client, codeAt, failure, fixedClock, startWithClock } from './helpers';

let emulator: IamEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  ({ emulator, clock } = await startWithClock());
});
afterEach(async () => {
  await emulator.close();
});

async function emu(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const list = (c = client(emulator)) => c.send(new ListMFADevicesCommand({ UserName: 'Alice' }));
const resyncNow = () =>
  client(emulator).send(
    new ResyncMFADeviceCommand({
      UserName: 'Alice',
      SerialNumber: ALICE_PHONE,
      AuthenticationCode1: codeAt(ALICE_SECRET, clock.now() - 30_000),
      AuthenticationCode2: codeAt(ALICE_SECRET, clock.now()),
    }),
  );

describe('fault injection', () => {
  it.each([
    ['ConcurrentModification', ConcurrentModificationException, 409, 'client'],
    ['LimitExceeded', LimitExceededException, 409, 'client'],
    ['ServiceFailure', ServiceFailureException, 500, 'server'],
  ] as const)('%s raises the modeled exception class once, then the action runs normally', async (fault, cls, status, faultType) => {
    expect((await emu('POST', '/_emulator/faults', { action: 'ResyncMFADevice', fault, count: 1 })).status).toBe(201);
    const error = await failure(resyncNow());
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(IAMServiceException);
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(status);
    expect((error as unknown as IAMServiceException).$fault).toBe(faultType);
    // The fault replaced the answer: the device is still drifted, and the next call succeeds.
    expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(ALICE_DRIFT);
    await expect(resyncNow()).resolves.toBeDefined();
    expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(0);
  });

  it('Throttling surfaces as the base IAMServiceException named Throttling (400), not a modeled class', async () => {
    await emu('POST', '/_emulator/faults', { fault: 'Throttling', count: 1 });
    const error = await failure(list());
    expect(error).toBeInstanceOf(IAMServiceException);
    expect(error.constructor).toBe(IAMServiceException);
    expect(error.name).toBe('Throttling');
    expect(error.message).toBe('Rate exceeded');
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('AccessDenied surfaces as IAMServiceException named AccessDenied (403) with the caller and resource', async () => {
    await emu('POST', '/_emulator/faults', { action: 'GetUser', fault: 'AccessDenied' });
    const error = await failure(client(emulator).send(new GetUserCommand({ UserName: 'bob' })));
    expect(error.constructor).toBe(IAMServiceException);
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      'User: arn:aws:iam::111122223333:user/Alice is not authorized to perform: iam:GetUser on resource: arn:aws:iam::111122223333:user/bob',
    );
    expect((error as unknown as IAMServiceException).$metadata.httpStatusCode).toBe(403);
  });

  it('targets only the named action', async () => {
    await emu('POST', '/_emulator/faults', { action: 'GetUser', fault: 'ServiceFailure', count: 'always' });
    await expect(list()).resolves.toBeDefined();
    await expect(client(emulator).send(new GetUserCommand({ UserName: 'Alice' }))).rejects.toBeInstanceOf(ServiceFailureException);
  });

  it('keeps firing with count "always" until DELETE /_emulator/faults, and counts down otherwise', async () => {
    await emu('POST', '/_emulator/faults', { fault: 'ConcurrentModification', count: 'always' });
    for (let i = 0; i < 3; i += 1) await expect(list()).rejects.toBeInstanceOf(ConcurrentModificationException);
    expect((await emu('DELETE', '/_emulator/faults')).status).toBe(204);
    await expect(list()).resolves.toBeDefined();

    await emu('POST', '/_emulator/faults', { fault: 'ConcurrentModification', count: 2 });
    await expect(list()).rejects.toBeInstanceOf(ConcurrentModificationException);
    expect((await emu('GET', '/_emulator/faults')).json).toMatchObject({ faults: [{ fault: 'ConcurrentModification', remaining: 1 }] });
    await expect(list()).rejects.toBeInstanceOf(ConcurrentModificationException);
    await expect(list()).resolves.toBeDefined();
  });

  it('lets the SDK default retry recover from one ServiceFailure (500 is retried as transient)', async () => {
    await emu('POST', '/_emulator/faults', { action: 'ListMFADevices', fault: 'ServiceFailure', count: 1 });
    const retrying = new IAMClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'x' } });
    const out = await list(retrying);
    expect(out.$metadata.attempts).toBe(2);
    expect(emulator.callCounts()).toEqual({ ListMFADevices: 2 });
  });

  it('delays an answer by the injected latency and still answers it', async () => {
    await emu('POST', '/_emulator/faults', { action: 'ListMFADevices', fault: 'latency', latencyMs: 400 });
    const started = Date.now();
    const out = await list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(out.MFADevices).toHaveLength(3);
    const quick = Date.now();
    await list();
    expect(Date.now() - quick).toBeLessThan(300);
  });

  it('lets a client time out on injected latency', async () => {
    await emu('POST', '/_emulator/faults', { fault: 'latency', latencyMs: 1500 });
    const error = await failure(client(emulator).send(new ListMFADevicesCommand({ UserName: 'Alice' }), { abortSignal: AbortSignal.timeout(200) }));
    expect(error.name).toMatch(/Abort|Timeout/);
  });

  it('answers malformed XML with 200, which the SDK cannot parse', async () => {
    await emu('POST', '/_emulator/faults', { action: 'ListMFADevices', fault: 'malformed', status: 200 });
    const error = await failure(list());
    expect(error).not.toBeInstanceOf(IAMServiceException);
    expect(error.message).toContain('Deserialization error');
    await expect(list()).resolves.toBeDefined();
  });

  it('answers malformed XML with 500, which the SDK reports as a server fault without a code', async () => {
    await emu('POST', '/_emulator/faults', { action: 'ListMFADevices', fault: 'malformed', status: 500 });
    const error = await failure(list());
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(500);
    expect(error).not.toBeInstanceOf(ServiceFailureException);
    expect(error.message).toContain('XML parse error');
  });

  it.each([
    [{ fault: 'Nope' }],
    [{ fault: 'latency' }],
    [{ fault: 'Throttling', count: 0 }],
    [{ fault: 'malformed', status: 404 }],
    [{ fault: 'Throttling', extra: true }],
  ])('rejects an invalid fault %j with 400', async (spec) => {
    expect((await emu('POST', '/_emulator/faults', spec)).status).toBe(400);
    expect((await emu('GET', '/_emulator/faults')).json).toEqual({ faults: [] });
  });
});

describe('call counters', () => {
  it('counts calls per action, logs the access key id, and clears with DELETE or POST …/reset', async () => {
    await list();
    await list(client(emulator, 'AKIAOTHERKEY00000002'));
    await failure(client(emulator).send(new GetUserCommand({ UserName: 'zed' })));
    const { json } = await emu('GET', '/_emulator/calls');
    expect(json).toEqual({
      counts: { ListMFADevices: 2, GetUser: 1 },
      calls: [
        { action: 'ListMFADevices', accessKeyId: ACCESS_KEY, status: 200, requestId: expect.any(String) },
        { action: 'ListMFADevices', accessKeyId: 'AKIAOTHERKEY00000002', status: 200, requestId: expect.any(String) },
        { action: 'GetUser', accessKeyId: ACCESS_KEY, status: 404, requestId: expect.any(String), errorCode: 'NoSuchEntity' },
      ],
    });
    expect((await emu('DELETE', '/_emulator/calls')).status).toBe(204);
    expect((await emu('GET', '/_emulator/calls')).json).toEqual({ counts: {}, calls: [] });
    await list();
    expect((await emu('POST', '/_emulator/calls/reset')).status).toBe(204);
    expect(emulator.callCounts()).toEqual({});
  });
});

describe('POST /_emulator/reset', () => {
  it('restores the seeded device state and clears counters and faults', async () => {
    const serialsBefore = emulator.devices().map((d) => d.serialNumber);
    await resyncNow();
    expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(0);
    await emu('POST', '/_emulator/faults', { fault: 'ServiceFailure', count: 'always' });

    expect((await emu('POST', '/_emulator/reset')).status).toBe(204);
    expect(emulator.device(ALICE_PHONE)?.offsetSteps).toBe(ALICE_DRIFT);
    expect(emulator.callCounts()).toEqual({});
    expect((await emu('GET', '/_emulator/faults')).json).toEqual({ faults: [] });
    // Same serials (FIDO suffixes included) and the consumed pair is usable again.
    expect(emulator.devices().map((d) => d.serialNumber)).toEqual(serialsBefore);
    await expect(resyncNow()).resolves.toBeDefined();
  });

  it('answers unknown emulator routes and bad JSON with JSON errors', async () => {
    expect(await emu('GET', '/_emulator/nothing')).toMatchObject({ status: 404, json: { error: 'not-found' } });
    const res = await fetch(`${emulator.url}/_emulator/faults`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
  });
});
