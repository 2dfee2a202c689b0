// SPDX-License-Identifier: Apache-2.0
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { loadConfig, type Config } from '../../lambda/config';
import {
  CallerNotMappedError,
  ConflictError,
  InvalidCodesError,
  RateLimitedError,
  UpstreamUnavailableError,
} from '../../lambda/domain/errors';
import type { MfaDirectory } from '../../lambda/domain/ports';
import { createHandler } from '../../lambda/handler';
import { apiEvent, idTokenClaims, machineTokenClaims, resyncEvent, TEST_REQUEST_ID } from '../fixtures/api-gateway-event';
import { InMemoryMfaDirectory } from '../fixtures/in-memory-directory';
import { lambdaContext } from '../fixtures/lambda-context';

const PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const TABLET = 'arn:aws:iam::111122223333:mfa/alice-tablet';
const FIDO = 'arn:aws:iam::111122223333:u2f/user/alice/fidosecuritykey1-7XNL7NFNLZ123456789EXAMPLE';
const PORTAL = 'https://portal.example.com';
const CODES = { code1: '123456', code2: '654321' };

function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ AWS_REGION: 'us-east-1', ALLOWED_ORIGINS: PORTAL, ...env });
}

function setup(directory: MfaDirectory = new InMemoryMfaDirectory().withUser('alice', [PHONE]), config = testConfig()) {
  const handler = createHandler({ directory, config, logger: new Logger({ serviceName: 'mfa-resync-test' }) });
  return (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => handler(event, lambdaContext());
}

function bodyOf(response: APIGatewayProxyResult): Record<string, unknown> {
  return JSON.parse(response.body) as Record<string, unknown>;
}

/** Asserts the RFC 9457 shape the contract requires, and returns the document. */
function expectProblem(response: APIGatewayProxyResult, status: number, code: string): Record<string, unknown> {
  const document = bodyOf(response);
  expect(response.statusCode).toBe(status);
  expect(response.headers?.['Content-Type']).toBe('application/problem+json');
  expect(document).toMatchObject({ type: `urn:mfa-resync:problem:${code}`, status, code, requestId: TEST_REQUEST_ID });
  expect(typeof document['title']).toBe('string');
  expect(typeof document['detail']).toBe('string');
  return document;
}

describe('GET /v1/me/mfa-devices', () => {
  it('lists every device of the mapped user across pages', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory(1).withUser('alice', [PHONE, FIDO, 'GAKT12345678']));

    // Act
    const response = await invoke(apiEvent());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('application/json');
    expect(bodyOf(response)).toEqual({
      userName: 'alice',
      devices: [
        { serialNumber: PHONE, type: 'virtual', enabledAt: '2026-01-05T10:00:00.000Z', resyncable: true },
        { serialNumber: FIDO, type: 'fido', enabledAt: '2026-01-06T10:00:00.000Z', resyncable: false },
        { serialNumber: 'GAKT12345678', type: 'hardware', enabledAt: '2026-01-07T10:00:00.000Z', resyncable: true },
      ],
    });
  });

  it('answers 404 user-not-found when the mapped IAM user does not exist', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory());

    // Act
    const response = await invoke(apiEvent());

    // Assess
    expectProblem(response, 404, 'user-not-found');
  });

  it('ignores a body on the listing route', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ body: 'a=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }));

    // Assess
    expect(response.statusCode).toBe(200);
  });
});

describe('POST /v1/me/mfa-devices/resync', () => {
  it('resynchronises the only device and echoes the API Gateway request id', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('alice', [PHONE, FIDO]);
    const invoke = setup(directory);

    // Act
    const response = await invoke(resyncEvent({ code1: '123 456', code2: '654-321' }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ status: 'resynchronized', userName: 'alice', serialNumber: PHONE, requestId: TEST_REQUEST_ID });
    expect(directory.resyncCalls).toEqual([{ userName: 'alice', serialNumber: PHONE, code1: '123456', code2: '654321' }]);
  });

  it('accepts a JSON content type with a charset parameter and in any case', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent(CODES, { headers: { 'content-type': 'Application/JSON; charset=UTF-8' } }));

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('accepts a base64-encoded body', async () => {
    // Prepare
    const invoke = setup();
    const event = { ...resyncEvent(CODES), body: Buffer.from(JSON.stringify(CODES)).toString('base64'), isBase64Encoded: true };

    // Act
    const response = await invoke(event);

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a body that is not JSON', '{"code1": "123456",'],
    ['a JSON array', '["123456", "654321"]'],
    ['a JSON string', '"123456"'],
    ['JSON null', 'null'],
    ['a missing code2', '{"code1": "123456"}'],
    ['an unknown field', '{"code1": "123456", "code2": "654321", "userName": "bob"}'],
    ['a __proto__ key', '{"code1": "123456", "code2": "654321", "__proto__": {"isAdmin": true}}'],
    ['a constructor key', '{"code1": "123456", "code2": "654321", "constructor": {"prototype": {"isAdmin": true}}}'],
    ['a code sent as a JSON number', '{"code1": 123456, "code2": "654321"}'],
    ['a code of five digits', '{"code1": "12345", "code2": "654321"}'],
    ['full-width digits', '{"code1": "１２３４５６", "code2": "654321"}'],
    ['a malformed serialNumber', '{"code1": "123456", "code2": "654321", "serialNumber": "short"}'],
    ['white space only', '   '],
  ])('answers 400 invalid-request for %s without calling IAM', async (_label, body) => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('alice', [PHONE]);
    const invoke = setup(directory);

    // Act
    const response = await invoke(resyncEvent(body));

    // Assess
    expectProblem(response, 400, 'invalid-request');
    expect(directory.calls).toEqual([]);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('answers 400 invalid-request for an empty body with a JSON content type', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ method: 'POST', resource: '/v1/me/mfa-devices/resync', headers: { 'Content-Type': 'application/json' } }));

    // Assess
    expectProblem(response, 400, 'invalid-request');
  });

  it('names the failing code field in the detail without echoing the value', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent({ code1: '123456', code2: '65432x' }));

    // Assess
    const document = expectProblem(response, 400, 'invalid-request');
    expect(document['detail']).toMatch(/^code2 must be a string of six digits/);
    expect(response.body).not.toContain('65432x');
  });

  it('answers 400 identical-codes when both codes are the same once normalised', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent({ code1: '123-456', code2: ' 123456' }));

    // Assess
    expectProblem(response, 400, 'identical-codes');
  });

  it.each([
    ['a form body (curl -d)', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['a text body', { 'Content-Type': 'text/plain' }],
    ['a body without content type', {}],
  ])('answers 415 unsupported-media-type for %s, telling the caller to send JSON', async (_label, headers) => {
    // Prepare
    const invoke = setup();
    const event = apiEvent({ method: 'POST', resource: '/v1/me/mfa-devices/resync', headers, body: 'code1=123456&code2=654321' });

    // Act
    const response = await invoke(event);

    // Assess
    const document = expectProblem(response, 415, 'unsupported-media-type');
    expect(document['detail']).toContain('application/json');
  });

  it('checks the body before the caller: a machine token with a form body gets 415', async () => {
    // Prepare
    const invoke = setup();
    const event = apiEvent({
      method: 'POST',
      resource: '/v1/me/mfa-devices/resync',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'code1=123456',
      claims: machineTokenClaims(),
    });

    // Act
    const response = await invoke(event);

    // Assess
    expectProblem(response, 415, 'unsupported-media-type');
  });

  it('checks the body before the caller: a machine token with bad JSON gets 400', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent('{', { claims: machineTokenClaims() }));

    // Assess
    expectProblem(response, 400, 'invalid-request');
  });

  it('answers 403 forbidden to a machine token', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('alice', [PHONE]);
    const invoke = setup(directory);

    // Act
    const response = await invoke(resyncEvent(CODES, { claims: machineTokenClaims({ token_use: 'id' }) }));

    // Assess
    expectProblem(response, 403, 'forbidden');
    expect(directory.calls).toEqual([]);
  });

  it('answers 403 forbidden to a caller outside REQUIRED_GROUP', async () => {
    // Prepare
    const invoke = setup(undefined, testConfig({ REQUIRED_GROUP: 'mfa-self-service' }));

    // Act
    const response = await invoke(resyncEvent(CODES, { claims: idTokenClaims({ 'cognito:groups': '[admins ops]' }) }));

    // Assess
    expectProblem(response, 403, 'forbidden');
  });

  it('answers 403 caller-not-mapped when the mapping claim is missing', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent(CODES, { claims: idTokenClaims({ 'custom:iam_username': '' }) }));

    // Assess
    expectProblem(response, 403, 'caller-not-mapped');
  });

  it('answers 403 caller-not-mapped when IAM denies access to a user outside the path prefix', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().failListingWith(new CallerNotMappedError('iam-access-denied')));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, 403, 'caller-not-mapped');
  });

  it('answers 404 no-resyncable-device when the user only has a FIDO key', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [FIDO]));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, 404, 'no-resyncable-device');
  });

  it('answers 404 device-not-found for a serial number that is not the caller\'s', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(resyncEvent({ ...CODES, serialNumber: 'arn:aws:iam::111122223333:mfa/bob-phone' }));

    // Assess
    expectProblem(response, 404, 'device-not-found');
  });

  it('answers 409 device-selection-required listing the resyncable devices as the listing does', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE, FIDO, TABLET]));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    const document = expectProblem(response, 409, 'device-selection-required');
    expect(document['devices']).toEqual([
      { serialNumber: PHONE, type: 'virtual', enabledAt: '2026-01-05T10:00:00.000Z', resyncable: true },
      { serialNumber: TABLET, type: 'virtual', enabledAt: '2026-01-07T10:00:00.000Z', resyncable: true },
    ]);
  });

  it('resyncs the named device among several', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('alice', [PHONE, TABLET]);
    const invoke = setup(directory);

    // Act
    const response = await invoke(resyncEvent({ ...CODES, serialNumber: TABLET }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(directory.resyncCalls.map((call) => call.serialNumber)).toEqual([TABLET]);
  });

  it('answers 422 device-not-resyncable for the caller\'s own FIDO key', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE, FIDO]));

    // Act
    const response = await invoke(resyncEvent({ ...CODES, serialNumber: FIDO }));

    // Assess
    expectProblem(response, 422, 'device-not-resyncable');
  });

  it.each([
    [409, 'conflict', new ConflictError()],
    [422, 'invalid-codes', new InvalidCodesError()],
    [503, 'upstream-unavailable', new UpstreamUnavailableError('service-failure')],
  ])('answers %i %s when IAM reports it', async (status, code, error) => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(error));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, status, code);
  });

  it('answers 429 rate-limited with a Retry-After header in seconds', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new RateLimitedError(60)));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, 429, 'rate-limited');
    expect(response.headers?.['Retry-After']).toBe('60');
  });

  it('answers 500 internal-error without internals for anything unexpected', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new TypeError('secret internals at db.example')));

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, 500, 'internal-error');
    expect(response.body).not.toMatch(/secret internals|TypeError|at /);
  });

  it('answers 503 when IAM does not answer within IAM_BUDGET_MS', async () => {
    // Prepare
    const hangingDirectory: MfaDirectory = {
      listMfaDevices: (_userName, _marker, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => reject(new UpstreamUnavailableError('budget-exhausted')));
        }),
      resyncMfaDevice: async () => undefined,
    };
    const invoke = setup(hangingDirectory, testConfig({ IAM_BUDGET_MS: '150' }));
    const started = Date.now();

    // Act
    const response = await invoke(resyncEvent(CODES));

    // Assess
    expectProblem(response, 503, 'upstream-unavailable');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('routing', () => {
  it.each([
    ['an unknown resource', 'GET', '/v1/me/other'],
    ['a wrong method on the listing', 'DELETE', '/v1/me/mfa-devices'],
    ['GET on the resync route', 'GET', '/v1/me/mfa-devices/resync'],
  ])('answers 404 route-not-found for %s', async (_label, method, resource) => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ method, resource }));

    // Assess
    expectProblem(response, 404, 'route-not-found');
  });

  it('answers 404 route-not-found before looking at the body', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ method: 'POST', resource: '/v1/other', headers: { 'Content-Type': 'text/plain' }, body: 'x' }));

    // Assess
    expectProblem(response, 404, 'route-not-found');
  });
});

describe('response headers', () => {
  it('adds CORS headers for an allowed origin on success', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ headers: { Origin: PORTAL } }));

    // Assess
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': PORTAL, Vary: 'Origin', 'Cache-Control': 'no-store' });
  });

  it('adds the same CORS headers to an error, with Retry-After readable by the browser', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new RateLimitedError(5)));

    // Act
    const response = await invoke(resyncEvent(CODES, { headers: { origin: PORTAL } }));

    // Assess
    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({
      'Access-Control-Allow-Origin': PORTAL,
      'Access-Control-Expose-Headers': 'Retry-After',
      Vary: 'Origin',
      'Cache-Control': 'no-store',
      'Retry-After': '5',
    });
  });

  it('adds CORS headers to a 404 route-not-found too', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ resource: '/nope', headers: { Origin: PORTAL } }));

    // Assess
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe(PORTAL);
  });

  it('sends no Allow-Origin to an origin that is not allowed', async () => {
    // Prepare
    const invoke = setup();

    // Act
    const response = await invoke(apiEvent({ headers: { Origin: 'https://evil.example.com' } }));

    // Assess
    expect(response.headers?.['Access-Control-Allow-Origin']).toBeUndefined();
    expect(response.headers?.['Cache-Control']).toBe('no-store');
  });

  it('answers every origin with * when ALLOWED_ORIGINS is *', async () => {
    // Prepare
    const invoke = setup(undefined, testConfig({ ALLOWED_ORIGINS: '*' }));

    // Act
    const response = await invoke(apiEvent({ headers: { Origin: 'https://anything.example.net' } }));

    // Assess
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('sends no CORS headers at all when ALLOWED_ORIGINS is empty', async () => {
    // Prepare
    const invoke = setup(undefined, testConfig({ ALLOWED_ORIGINS: '' }));

    // Act
    const response = await invoke(apiEvent({ headers: { Origin: PORTAL } }));

    // Assess
    expect(Object.keys(response.headers ?? {}).filter((name) => name.startsWith('Access-Control') || name === 'Vary')).toEqual([]);
  });
});

describe('logging', () => {
  const TOKEN = 'eyJraWQiOiJsb2cifQ.eyJzdWIiOiJsb2cifQ.c2VjcmV0LXNpZ25hdHVyZQ';
  let lines: string[];
  let spies: jest.SpyInstance[];
  const savedEnv = { ...process.env };

  beforeEach(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    // Even when an operator turns event logging on, the event (token, codes) must not be logged.
    process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
    lines = [];
    spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      }),
    );
  });

  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
    process.env = { ...savedEnv };
  });

  function records(): Record<string, unknown>[] {
    return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('never logs the codes or the token, on success or on any failure', async () => {
    // Prepare
    const failures = [new InvalidCodesError(), new TypeError('code 123456 in a message'), new RateLimitedError(5)];
    const invocations = [
      { directory: new InMemoryMfaDirectory().withUser('alice', [PHONE]), body: { code1: '123 456', code2: '654-321' } },
      ...failures.map((error) => ({ directory: new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(error), body: CODES })),
      { directory: new InMemoryMfaDirectory().withUser('alice', [PHONE]), body: '{"code1": "123456", "code2": "654321",' },
      { directory: new InMemoryMfaDirectory().withUser('alice', [PHONE]), body: { ...CODES, extra: '123456' } },
    ];

    // Act
    for (const { directory, body } of invocations) {
      await setup(directory)(resyncEvent(body, { headers: { Authorization: TOKEN } }));
    }

    // Assess
    expect(lines.length).toBeGreaterThanOrEqual(invocations.length);
    const output = lines.join('\n');
    expect(output).not.toMatch(/123456|654321|123 456|654-321/);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain('eyJ');
  });

  it('writes one audit line per resync attempt with caller, IAM user, device, outcome and request id', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new InvalidCodesError()));

    // Act
    await invoke(resyncEvent(CODES));

    // Assess
    const audits = records().filter((record) => record['message'] === 'Resync attempt');
    expect(audits).toEqual([
      expect.objectContaining({
        correlation_id: TEST_REQUEST_ID,
        audit: expect.objectContaining({
          outcome: 'invalid-codes',
          subject: '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
          cognitoUsername: 'alice',
          iamUserName: 'alice',
          serialNumber: PHONE,
          requestId: TEST_REQUEST_ID,
        }),
      }),
    ]);
  });

  it('warns when IAM denies access, since it may be a misconfigured path prefix or role', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().failListingWith(new CallerNotMappedError('iam-access-denied')));

    // Act
    await invoke(apiEvent());

    // Assess
    expect(records()).toContainEqual(
      expect.objectContaining({ level: 'WARN', code: 'caller-not-mapped', reason: 'iam-access-denied', message: expect.stringContaining('IAM_USER_PATH_PREFIX') }),
    );
  });

  it('uses each request\'s own API Gateway request id as correlation id', async () => {
    // Prepare
    const invoke = setup();

    // Act
    await invoke(apiEvent({ requestId: 'first-request', resource: '/nope' }));
    await invoke(apiEvent({ requestId: 'second-request', resource: '/nope' }));

    // Assess
    expect(records().map((record) => record['correlation_id'])).toEqual(['first-request', 'second-request']);
  });

  it('logs an unexpected error by name and stack frames, not by its message', async () => {
    // Prepare
    const invoke = setup(new InMemoryMfaDirectory().withUser('alice', [PHONE]).failResyncWith(new TypeError('leaky message')));

    // Act
    await invoke(resyncEvent(CODES));

    // Assess
    expect(records()).toContainEqual(expect.objectContaining({ level: 'ERROR', errorName: 'TypeError' }));
    expect(lines.join('\n')).not.toContain('leaky message');
  });
});
