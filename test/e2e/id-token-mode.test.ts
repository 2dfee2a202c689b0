// SPDX-License-Identifier: Apache-2.0
/**
 * The whole contract over HTTP against `npm start` in its default mode (ID tokens, one allowed
 * origin): every route, every error code that can arise locally, the authorizer's refusals,
 * CORS, and a real resync with RFC 6238 codes. IAM is the emulator; its call counter shows that
 * refused input never reaches IAM.
 */
import { Readable } from 'node:stream';
import { call, postJson, type Answer } from './support/http';
import { deviceCode, iamCallCounts, injectFault, resetIam, signIn } from './support/iam';
import { expectProblem, Secrets } from './support/problems';
import { seededUser, startLocalStack, type LocalStack, type Session, type SessionUser } from './support/stack';
import { decodePayload, signedWithForeignKey, tampered, unsigned } from './support/tokens';

jest.setTimeout(60_000);

const ORIGIN = 'http://localhost:5173';
const LIST = '/v1/me/mfa-devices';
const RESYNC = '/v1/me/mfa-devices/resync';
const TEN_MB = 10 * 1024 * 1024;

let stack: LocalStack;
let session: Session;
const secrets = new Secrets();

beforeAll(async () => {
  stack = await startLocalStack();
  session = stack.session;
  for (const user of session.users) secrets.add(user.idToken);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(async () => {
  await resetIam(session.iamEndpoint);
});

const user = (name: string): SessionUser => seededUser(session, name);

function serial(name: string, type: 'virtual' | 'hardware' | 'fido'): string {
  const device = user(name).devices.find((candidate) => candidate.type === type);
  if (device === undefined) throw new Error(`${name} has no ${type} device`);
  return device.serialNumber;
}

function secretOf(serialNumber: string): string {
  const device = session.users.flatMap((candidate) => candidate.devices).find((candidate) => candidate.serialNumber === serialNumber);
  if (device?.secret === undefined) throw new Error(`no secret for ${serialNumber}`);
  return device.secret;
}

/** The code the device shows `steps` from now, remembered for the leak check. */
function code(serialNumber: string, steps = 0): string {
  return secrets.add(deviceCode(secretOf(serialNumber), steps));
}

async function token(claims: Record<string, unknown>): Promise<string> {
  const answer = await postJson(session.tokenEndpoint, claims);
  expect(answer.status).toBe(200);
  return secrets.add(answer.json?.idToken as string);
}

const get = (path: string, authorization?: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(`${session.apiUrl}${path}`, { headers: { ...(authorization === undefined ? {} : { Authorization: authorization }), ...headers } });

const resync = (authorization: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  postJson(`${session.apiUrl}${RESYNC}`, body, { ...(authorization === undefined ? {} : { Authorization: authorization }), ...headers });

async function expectNoIamCall(): Promise<void> {
  expect(await iamCallCounts(session.iamEndpoint)).toEqual({});
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('session file and token issuer', () => {
  it('writes the contract session shape with every seeded user, erin without devices', () => {
    expect(session).toMatchObject({
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      iamEndpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      jwksUri: `${session.issuer}/.well-known/jwks.json`,
      tokenEndpoint: `${session.issuer}/token`,
    });
    expect(session.users.map((candidate) => candidate.username)).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'dave', 'erin']));
    expect(user('alice').devices).toEqual([{ serialNumber: 'arn:aws:iam::111122223333:mfa/alice-phone', type: 'virtual', secret: expect.stringMatching(/^[A-Z2-7]+$/) }]);
    expect(user('erin').devices).toEqual([]);
    expect(user('carol').devices).toEqual([{ serialNumber: expect.stringContaining(':u2f/user/carol/'), type: 'fido' }]);
  });

  it('fills the standard claims as Cognito does and keeps the ones given, even an expired exp', async () => {
    const expired = nowSeconds() - 60;
    const answer = await postJson(session.tokenEndpoint, { 'cognito:username': 'zoe', exp: expired });
    expect(Object.keys(answer.json ?? {})).toEqual(['idToken']);
    const claims = decodePayload(secrets.add(answer.json?.idToken as string));
    expect(claims).toMatchObject({ iss: session.issuer, token_use: 'id', 'cognito:username': 'zoe', exp: expired });
    expect(typeof claims.aud).toBe('string');
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    for (const name of ['iat', 'auth_time']) expect(typeof claims[name]).toBe('number');
  });

  it('publishes two RS256 keys, one for ID and one for access tokens', async () => {
    const jwks = (await call(session.jwksUri)).json as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(2);
    for (const key of jwks.keys) expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
  });
});

describe('GET /v1/me/mfa-devices', () => {
  it("lists the caller's devices with the raw token", async () => {
    const answer = await get(LIST, user('alice').idToken);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json).toEqual({
      userName: 'alice',
      devices: [{ serialNumber: serial('alice', 'virtual'), type: 'virtual', enabledAt: expect.any(String), resyncable: true }],
    });
    expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the Bearer form of the token', async () => {
    expect((await get(LIST, `Bearer ${user('bob').idToken}`)).status).toBe(200);
  });

  it('lists every kind of device, FIDO keys as not resyncable', async () => {
    const bob = await get(LIST, user('bob').idToken);
    expect((bob.json?.devices as unknown[]).map((device) => (device as { type: string }).type).sort()).toEqual(['hardware', 'virtual']);
    const carol = await get(LIST, user('carol').idToken);
    expect(carol.json?.devices).toEqual([expect.objectContaining({ type: 'fido', resyncable: false })]);
  });

  it('answers user-not-found for a mapping that names no IAM user', async () => {
    expectProblem(await get(LIST, user('erin').idToken), 404, 'user-not-found');
  });
});

describe('routes', () => {
  it.each([
    ['GET', '/v1/nope'],
    ['GET', '/'],
    ['DELETE', LIST],
    ['POST', LIST],
    ['GET', RESYNC],
    ['PUT', RESYNC],
    ['GET', `${LIST}/`],
  ])('answers %s %s with 404 route-not-found, before authentication', async (method, path) => {
    const answer = await call(`${session.apiUrl}${path}`, { method });
    expectProblem(answer, 404, 'route-not-found');
    await expectNoIamCall();
  });
});

describe('authorizer', () => {
  const refusals: Array<[string, () => Promise<string | undefined>]> = [
    ['no Authorization header', async () => undefined],
    ['an empty Authorization header', async () => ''],
    ['a bare "Bearer "', async () => 'Bearer '],
    ['a token that is not a JWT', async () => 'not-a-jwt'],
    ['an expired token', () => token({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })],
    ['a token for another app client (aud)', () => token({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', aud: 'someotherclientid000000000' })],
    ['a token from another issuer', () => token({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })],
    ['an access token where ID tokens are expected', () => token({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', token_use: 'access' })],
    ['a token signed with another key', async () => secrets.add(signedWithForeignKey(user('alice').idToken))],
    ['an alg:none token', async () => secrets.add(unsigned(user('alice').idToken))],
    ['a tampered payload', async () => secrets.add(tampered(user('alice').idToken, { 'custom:iam_username': 'bob' }))],
  ];

  it.each(refusals)('refuses %s with 401 unauthenticated and no IAM call', async (_name, makeToken) => {
    const authorization = await makeToken();
    expectProblem(await get(LIST, authorization), 401, 'unauthenticated');
    expectProblem(await resync(authorization, { code1: '123456', code2: '654321' }), 401, 'unauthenticated');
    await expectNoIamCall();
  });

  it('authenticates before it validates the body (401 over 400)', async () => {
    expectProblem(await resync(undefined, { code1: 123456 }), 401, 'unauthenticated');
  });
});

describe('request body', () => {
  const alice = (): string => user('alice').idToken;

  it.each([
    ['codes as JSON numbers', { code1: 123456, code2: 654321 }],
    ['a missing code2', { code1: '123456' }],
    ['an unknown field', { code1: '123456', code2: '654321', userName: 'bob' }],
    ['seven digits', { code1: '1234567', code2: '654321' }],
    ['letters', { code1: '12345a', code2: '654321' }],
    ['an array', [{ code1: '123456', code2: '654321' }]],
    ['a serial number with a space', { code1: '123456', code2: '654321', serialNumber: 'arn:aws:iam::1 mfa/x' }],
  ])('refuses %s with 400 invalid-request at the gateway, without calling IAM', async (_name, body) => {
    expectProblem(await resync(alice(), body), 400, 'invalid-request');
    await expectNoIamCall();
  });

  it.each([
    ['a body that is not JSON', '{"code1":'],
    ['an empty body', ''],
  ])('refuses %s sent as application/json with 400 invalid-request', async (_name, body) => {
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'POST', headers: { Authorization: alice(), 'Content-Type': 'application/json' }, body });
    expectProblem(answer, 400, 'invalid-request');
    await expectNoIamCall();
  });

  it('refuses a large body that breaks the schema with 400, not 413', async () => {
    const body = JSON.stringify({ code1: ' '.repeat(1024 * 1024), code2: '654321' });
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'POST', headers: { Authorization: alice(), 'Content-Type': 'application/json' }, body });
    expectProblem(answer, 400, 'invalid-request');
  });

  it('refuses identical codes with 400 identical-codes, without calling IAM', async () => {
    expectProblem(await resync(alice(), { code1: '123456', code2: '123 456' }), 400, 'identical-codes');
    await expectNoIamCall();
  });

  it.each([
    ['a form body (curl -d)', 'application/x-www-form-urlencoded', 'code1=123456&code2=654321'],
    ['a text body', 'text/plain', '{"code1":"123456","code2":"654321"}'],
    ['a body without Content-Type', undefined, '{"code1":"123456","code2":"654321"}'],
  ])('refuses %s with 415 unsupported-media-type, without calling IAM', async (_name, contentType, body) => {
    const headers: Record<string, string> = { Authorization: alice(), ...(contentType === undefined ? {} : { 'Content-Type': contentType }) };
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'POST', headers, body });
    expectProblem(answer, 415, 'unsupported-media-type');
    expect(answer.json?.detail).toContain('application/json');
    await expectNoIamCall();
  });

  it('accepts a charset parameter on the JSON content type', async () => {
    const serialNumber = serial('alice', 'virtual');
    const answer = await resync(alice(), { code1: code(serialNumber, -1), code2: code(serialNumber) }, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(answer.status).toBe(200);
  });
});

describe('payload size', () => {
  it('answers a declared body over 10 MB with 413 payload-too-large, before authentication', async () => {
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(TEN_MB + 1, 0x20) });
    expectProblem(answer, 413, 'payload-too-large');
    await expectNoIamCall();
  });

  it('counts a chunked body without Content-Length as it streams', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const body = Readable.from((function* () {
      for (let i = 0; i < 11; i += 1) yield chunk;
    })());
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'POST', headers: { Authorization: user('alice').idToken, 'Content-Type': 'application/json' }, body });
    expectProblem(answer, 413, 'payload-too-large');
    await expectNoIamCall();
  });
});

describe('caller', () => {
  it('answers caller-not-mapped when the mapping claim is not an IAM user name, without calling IAM', async () => {
    const authorization = await token({ 'cognito:username': 'mallory', 'custom:iam_username': 'not an iam user!' });
    expectProblem(await get(LIST, authorization), 403, 'caller-not-mapped');
    expectProblem(await resync(authorization, { code1: '123456', code2: '654321' }), 403, 'caller-not-mapped');
    await expectNoIamCall();
  });

  it('answers caller-not-mapped when the mapping claim is missing', async () => {
    expectProblem(await get(LIST, await token({ 'cognito:username': 'mallory' })), 403, 'caller-not-mapped');
  });

  it('answers forbidden for a machine token without cognito:username, whatever it maps to', async () => {
    const authorization = await token({ 'custom:iam_username': 'alice', client_id: 'machine-client' });
    expectProblem(await get(LIST, authorization), 403, 'forbidden');
    expectProblem(await resync(authorization, { code1: '123456', code2: '654321' }), 403, 'forbidden');
    await expectNoIamCall();
  });

  it('validates the body before it looks at the caller (400 over 403)', async () => {
    expectProblem(await resync(await token({ 'cognito:username': 'mallory' }), { code1: 1 }), 400, 'invalid-request');
  });
});

describe('POST /v1/me/mfa-devices/resync', () => {
  it('resyncs a drifted device with two consecutive codes, after which sign-in works', async () => {
    const serialNumber = serial('alice', 'virtual');
    expect(await signIn(session.iamEndpoint, serialNumber, code(serialNumber))).toBe(false);

    // The code the phone showed 30 s ago and the one it shows now: two consecutive codes.
    const answer = await resync(user('alice').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber) });

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ status: 'resynchronized', userName: 'alice', serialNumber, requestId: answer.headers['x-amzn-requestid'] });
    expect(await iamCallCounts(session.iamEndpoint)).toMatchObject({ ResyncMFADevice: 1 });
    // Both codes are used up; the next one the phone shows is accepted.
    expect(await signIn(session.iamEndpoint, serialNumber, code(serialNumber, 1))).toBe(true);
  });

  it('resyncs a hardware token named by serialNumber', async () => {
    const serialNumber = serial('bob', 'hardware');
    const answer = await resync(user('bob').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber), serialNumber });
    expect(answer.status).toBe(200);
    expect(answer.json?.serialNumber).toBe(serialNumber);
  });

  it('resyncs the device of a user under a non-root IAM path', async () => {
    const serialNumber = serial('frank', 'virtual');
    expect((await resync(user('frank').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber) })).status).toBe(200);
  });

  it('answers invalid-codes when IAM refuses the codes', async () => {
    const serialNumber = serial('alice', 'virtual');
    // Two real codes, in the wrong order: not consecutive.
    const answer = await resync(user('alice').idToken, { code1: code(serialNumber), code2: code(serialNumber, -1) });
    expectProblem(answer, 422, 'invalid-codes');
    expect(answer.text).not.toContain(code(serialNumber));
  });

  it('answers device-selection-required with the resyncable devices when bob names none', async () => {
    const answer = await resync(user('bob').idToken, { code1: '123456', code2: '654321' });
    expectProblem(answer, 409, 'device-selection-required');
    const devices = answer.json?.devices as Array<Record<string, unknown>>;
    expect(devices.map((device) => device.serialNumber).sort()).toEqual([serial('bob', 'hardware'), serial('bob', 'virtual')].sort());
    for (const device of devices) expect(device).toMatchObject({ resyncable: true, type: expect.stringMatching(/^(virtual|hardware)$/) });
    expect(await iamCallCounts(session.iamEndpoint)).not.toHaveProperty('ResyncMFADevice');
  });

  it("answers device-not-found for another user's serial", async () => {
    const answer = await resync(user('alice').idToken, { code1: '123456', code2: '654321', serialNumber: serial('bob', 'virtual') });
    expectProblem(answer, 404, 'device-not-found');
    expect(answer.text).not.toContain('bob');
  });

  it("answers device-not-resyncable for carol's FIDO key", async () => {
    expectProblem(await resync(user('carol').idToken, { code1: '123456', code2: '654321', serialNumber: serial('carol', 'fido') }), 422, 'device-not-resyncable');
  });

  it.each(['carol', 'dave'])('answers no-resyncable-device for %s', async (name) => {
    expectProblem(await resync(user(name).idToken, { code1: '123456', code2: '654321' }), 404, 'no-resyncable-device');
  });

  it('answers user-not-found for erin', async () => {
    expectProblem(await resync(user('erin').idToken, { code1: '123456', code2: '654321' }), 404, 'user-not-found');
  });

  it('answers conflict when IAM reports a concurrent modification', async () => {
    await injectFault(session.iamEndpoint, { action: 'ResyncMFADevice', fault: 'ConcurrentModification', count: 'always' });
    const serialNumber = serial('alice', 'virtual');
    expectProblem(await resync(user('alice').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber) }), 409, 'conflict');
  });

  it('answers rate-limited with Retry-After when IAM throttles', async () => {
    await injectFault(session.iamEndpoint, { action: 'ResyncMFADevice', fault: 'Throttling', count: 'always' });
    const serialNumber = serial('alice', 'virtual');
    const answer = await resync(user('alice').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber) });
    expectProblem(answer, 429, 'rate-limited');
    expect(answer.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });

  it('answers upstream-unavailable when IAM keeps failing', async () => {
    await injectFault(session.iamEndpoint, { action: '*', fault: 'ServiceFailure', count: 'always' });
    expectProblem(await get(LIST, user('alice').idToken), 503, 'upstream-unavailable');
    const serialNumber = serial('bob', 'virtual');
    expectProblem(await resync(user('bob').idToken, { code1: code(serialNumber, -1), code2: code(serialNumber), serialNumber }), 503, 'upstream-unavailable');
  });
});

describe('CORS', () => {
  it('answers the preflight without a token, with the configured methods, headers and max-age', async () => {
    const answer = await call(`${session.apiUrl}${RESYNC}`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-methods': 'POST,OPTIONS',
      'access-control-allow-headers': 'Authorization,Content-Type',
      'access-control-max-age': '600',
    });
    expect((await call(`${session.apiUrl}${LIST}`, { method: 'OPTIONS', headers: { Origin: ORIGIN } })).headers['access-control-allow-methods']).toBe('GET,OPTIONS');
    await expectNoIamCall();
  });

  it('never allows another origin in the preflight', async () => {
    const answer = await call(`${session.apiUrl}${RESYNC}`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(answer.headers['access-control-allow-origin']).not.toBe('https://evil.example');
  });

  it('puts CORS headers on errors the gateway generates', async () => {
    for (const answer of [await get(LIST, undefined, { Origin: ORIGIN }), await get('/v1/nope', undefined, { Origin: ORIGIN })]) {
      expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(answer.headers['access-control-expose-headers']).toContain('Retry-After');
    }
  });

  it("puts CORS headers on the function's answers, errors included", async () => {
    expect((await get(LIST, user('alice').idToken, { Origin: ORIGIN })).headers['access-control-allow-origin']).toBe(ORIGIN);
    expect((await get(LIST, user('erin').idToken, { Origin: ORIGIN })).headers['access-control-allow-origin']).toBe(ORIGIN);
  });
});

describe('stack process', () => {
  it('prefixes the Lambda logs, never prints a code or a token, and stops cleanly on SIGTERM', async () => {
    expect(secrets.size).toBeGreaterThan(20);
    const exitCode = await stack.stop();
    const output = stack.output();
    expect(output).toMatch(/^\[lambda\] \{/m);
    expect(output).toMatch(/^\[gateway\] POST \/v1\/me\/mfa-devices\/resync -> 200/m);
    expect(secrets.foundIn(output)).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
