// SPDX-License-Identifier: Apache-2.0
/**
 * The handler through both credential modes with fakes: the provider port, the checks between
 * resolving and scoping (path prefix, binding), STS failures as the caller sees them, the audit
 * line, and the EMF metrics the alarms are built on.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetUserCommand, IAMClient, IAMServiceException, ListMFADevicesCommand, ResyncMFADeviceCommand } from '@aws-sdk/client-iam';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { IamMfaDirectory } from '../../lambda/adapters/iam-directory';
import { ScopedDirectoryProvider } from '../../lambda/adapters/scoped-directory';
import { stsErrorToDomain, type SessionRequest } from '../../lambda/adapters/sts-sessions';
import { singleRoleProvider } from '../../lambda/domain/access';
import { loadConfig } from '../../lambda/config';
import { InvalidCodesError, UpstreamUnavailableError } from '../../lambda/domain/errors';
import type { CallerIdentity, IamUser, MfaDirectory, MfaDirectoryProvider, TargetUser } from '../../lambda/domain/ports';
import { createHandler } from '../../lambda/handler';
import { METRIC_NAMES } from '../../lambda/metrics';
import { apiEvent, idTokenClaims, resyncEvent, TEST_REQUEST_ID } from '../fixtures/api-gateway-event';
import { InMemoryMfaDirectory } from '../fixtures/in-memory-directory';
import { lambdaContext } from '../fixtures/lambda-context';

const PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const CODES = { code1: '123456', code2: '654321' };
const SUB = '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ENV = { AWS_REGION: 'us-east-1', EXECUTOR_ROLE_ARN: 'arn:aws:iam::111122223333:role/mfa-resync-executor' };

/** A scoped-mode provider over an in-memory directory: GetUser answers with `users`, in their stored case. */
class FakeScopedProvider implements MfaDirectoryProvider {
  readonly mode = 'scoped';
  readonly opened: TargetUser[] = [];
  constructor(
    private readonly users: readonly IamUser[],
    private readonly directory: MfaDirectory,
    private readonly failure?: Error,
  ) {}

  async resolveUser(caller: CallerIdentity): Promise<TargetUser> {
    if (this.failure !== undefined) throw this.failure;
    const user = this.users.find((candidate) => candidate.userName.toLowerCase() === caller.iamUserName.toLowerCase());
    if (user === undefined) throw new Error('fake: no such user');
    return { userName: user.userName, confirmed: user };
  }

  async openDirectory(user: TargetUser): Promise<MfaDirectory> {
    this.opened.push(user);
    return this.directory;
  }
}

const aliceUser = (overrides: Partial<IamUser> = {}): IamUser => ({
  userName: 'Alice',
  path: '/people/',
  arn: 'arn:aws:iam::111122223333:user/people/Alice',
  tags: { 'mfa-resync:cognito-sub': SUB },
  ...overrides,
});

function setup(provider: MfaDirectoryProvider, env: Record<string, string> = {}, metrics?: Metrics) {
  const handler = createHandler({
    provider,
    config: loadConfig({ ...ENV, IAM_USER_PATH_PREFIX: '/people/', ...env }),
    logger: new Logger({ serviceName: 'mfa-resync-test' }),
    ...(metrics === undefined ? {} : { metrics }),
  });
  return (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => handler(event, lambdaContext());
}

const bodyOf = (response: APIGatewayProxyResult) => JSON.parse(response.body) as Record<string, unknown>;

describe('scoped mode through the handler', () => {
  it('lists and resyncs under the stored-case name that GetUser returned', async () => {
    // Prepare
    const directory = new InMemoryMfaDirectory().withUser('Alice', [PHONE]);
    const provider = new FakeScopedProvider([aliceUser()], directory);

    // Act
    const listing = await setup(provider)(apiEvent({ claims: idTokenClaims({ 'custom:iam_username': 'alice' }) }));
    const resync = await setup(provider)(resyncEvent(CODES, { claims: idTokenClaims({ 'custom:iam_username': 'alice' }) }));

    // Assess
    expect(bodyOf(listing)).toMatchObject({ userName: 'Alice' });
    expect(bodyOf(resync)).toMatchObject({ status: 'resynchronized', userName: 'Alice' });
    expect(directory.resyncCalls).toEqual([{ userName: 'Alice', serialNumber: PHONE, ...CODES }]);
  });

  it('refuses a confirmed user outside IAM_USER_PATH_PREFIX before any credentials are scoped to it', async () => {
    // Prepare
    const provider = new FakeScopedProvider([aliceUser({ path: '/admins/', arn: 'arn:aws:iam::111122223333:user/admins/Alice' })], new InMemoryMfaDirectory());

    // Act
    const response = await setup(provider)(apiEvent());

    // Assess
    expect(bodyOf(response)).toMatchObject({ status: 403, code: 'caller-not-mapped' });
    expect(provider.opened).toEqual([]);
  });

  it.each([
    ['the tag equals the sub', aliceUser(), idTokenClaims(), 200],
    ['the tag names someone else', aliceUser({ tags: { 'mfa-resync:cognito-sub': 'other' } }), idTokenClaims(), 403],
    ['the user has no tag', aliceUser({ tags: {} }), idTokenClaims(), 403],
    ['the token has no sub', aliceUser(), { ...idTokenClaims(), sub: '' }, 403],
    ['the tag key differs only in case (F-3.5.4)', aliceUser({ tags: { 'MFA-RESYNC:COGNITO-SUB': SUB } }), idTokenClaims(), 200],
  ])('binding on: %s', async (_label, user, claims, status) => {
    // Prepare
    const provider = new FakeScopedProvider([user], new InMemoryMfaDirectory().withUser('Alice', [PHONE]));

    // Act
    const response = await setup(provider, { BINDING_TAG_KEY: 'mfa-resync:cognito-sub', BINDING_CLAIM: 'sub' })(apiEvent({ claims }));

    // Assess
    expect(response.statusCode).toBe(status);
    if (status === 403) {
      expect(bodyOf(response)).toMatchObject({ code: 'caller-not-mapped' });
      expect(provider.opened).toEqual([]);
    }
  });

  it.each([
    ['AccessDenied (the trust policy or the function policy is wrong)', { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }, 500, 'internal-error'],
    ['RegionDisabledException', { name: 'RegionDisabledException', $fault: 'client', $metadata: { httpStatusCode: 403 } }, 500, 'internal-error'],
    ['PackedPolicyTooLarge for the lookup session (the same for every caller)', { name: 'PackedPolicyTooLargeException', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 500, 'internal-error'],
    ['Throttling', { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } }, 429, 'rate-limited'],
    ['a 503', { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }, 503, 'upstream-unavailable'],
    ['a timeout', { name: 'TimeoutError' }, 503, 'upstream-unavailable'],
    ['a refused connection', { name: 'Error', code: 'ECONNREFUSED' }, 503, 'upstream-unavailable'],
  ])('maps an STS %s to %d', async (_label, stsError, status, code) => {
    // Prepare
    const provider = new FakeScopedProvider([], new InMemoryMfaDirectory(), stsErrorToDomain(stsError));

    // Act
    const response = await setup(provider)(resyncEvent(CODES));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response)).toMatchObject({ code });
    if (status === 429) expect(response.headers?.['Retry-After']).toBe('5');
  });

  it('extends the audit line with the mode, canonical ARN and path', async () => {
    // Prepare
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'info').mockImplementation((line: string) => void lines.push(line));
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    const provider = new FakeScopedProvider([aliceUser()], new InMemoryMfaDirectory().withUser('Alice', [PHONE]).failResyncWith(new InvalidCodesError()));

    // Act
    try {
      await setup(provider)(resyncEvent(CODES));
    } finally {
      spy.mockRestore();
      process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    }

    // Assess
    const audit = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((record) => record['message'] === 'Resync attempt');
    expect(audit?.['audit']).toEqual(
      expect.objectContaining({
        outcome: 'invalid-codes',
        mode: 'scoped',
        iamUserName: 'Alice',
        iamUserArn: 'arn:aws:iam::111122223333:user/people/Alice',
        iamUserPath: '/people/',
        requestId: TEST_REQUEST_ID,
      }),
    );
    expect(lines.join('\n')).not.toMatch(/123456|654321/);
  });
});

describe('EMF metrics', () => {
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  let emitted: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    // Tests run in Powertools dev mode, which turns metrics off unless told otherwise.
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    emitted = [];
    spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void emitted.push(line));
  });

  afterEach(() => {
    spy.mockRestore();
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  });

  function emf(): Record<string, unknown>[] {
    return emitted.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => '_aws' in record);
  }

  async function countsFor(event: APIGatewayProxyEvent, directory: MfaDirectory, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const metrics = new Metrics({ namespace: 'MfaResyncTest', serviceName: 'mfa-resync' });
    await setup(new FakeScopedProvider([aliceUser()], directory), env, metrics)(event);
    const [record, ...others] = emf();
    expect(others).toEqual([]);
    return record ?? {};
  }

  const alice = () => new InMemoryMfaDirectory().withUser('Alice', [PHONE]);

  it.each([
    ['a resync', () => resyncEvent(CODES), alice, { Resynchronized: 1, InvalidCodes: 0, RateLimited: 0, ServerErrors: 0 }],
    ['refused codes', () => resyncEvent(CODES), () => alice().failResyncWith(new InvalidCodesError()), { Resynchronized: 0, InvalidCodes: 1, RateLimited: 0, ServerErrors: 0 }],
    ['IAM unavailable', () => resyncEvent(CODES), () => alice().failResyncWith(new UpstreamUnavailableError('timeout')), { Resynchronized: 0, InvalidCodes: 0, RateLimited: 0, ServerErrors: 1 }],
    ['an unexpected error', () => resyncEvent(CODES), () => alice().failResyncWith(new TypeError('boom')), { Resynchronized: 0, InvalidCodes: 0, RateLimited: 0, ServerErrors: 1 }],
    ['a listing', () => apiEvent(), alice, { Resynchronized: 0, InvalidCodes: 0, RateLimited: 0, ServerErrors: 0 }],
  ])('counts %s, once per invocation, in the namespace with the service dimension', async (_label, event, directory, expected) => {
    // Act
    const record = await countsFor(event(), directory());

    // Assess
    expect(Object.fromEntries(Object.values(METRIC_NAMES).map((name) => [name, record[name]]))).toEqual(expected);
    expect(record['service']).toBe('mfa-resync');
    expect(record['_aws']).toMatchObject({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'MfaResyncTest', Dimensions: [['service']] })] });
  });

  it('counts a 429 as RateLimited', async () => {
    // Prepare
    const { RateLimitedError } = await import('../../lambda/domain/errors');

    // Act
    const record = await countsFor(resyncEvent(CODES), alice().failResyncWith(new RateLimitedError(5)));

    // Assess
    expect(record[METRIC_NAMES.rateLimited]).toBe(1);
  });

  it('writes no code, token or user name into the metrics', async () => {
    // Act
    await countsFor(resyncEvent(CODES), alice());

    // Assess
    const output = emitted.join('\n');
    expect(output).not.toMatch(/123456|654321|eyJ|alice|Alice/);
  });

  it('uses POWERTOOLS_METRICS_NAMESPACE, default MfaResync', () => {
    expect(loadConfig(ENV).metricsNamespace).toBe('MfaResync');
    expect(loadConfig({ ...ENV, POWERTOOLS_METRICS_NAMESPACE: 'Team/MfaResync' }).metricsNamespace).toBe('Team/MfaResync');
  });
});

/**
 * The real scoped provider and IAM adapter over mocked SDK clients: how IAM's `AccessDenied` and
 * STS's `PackedPolicyTooLarge` reach the caller, the log and the metrics in each session.
 */
describe('IAM and STS refusals through the real adapters', () => {
  const listing = new IAMClient({ region: 'us-east-1' });
  const resync = new IAMClient({ region: 'us-east-1' });
  const listingMock = mockClient(listing);
  const resyncMock = mockClient(resync);
  const accessDenied = () => new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'User: arn:aws:sts::111122223333:assumed-role/x is not authorized' });
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  let output: string[];
  let spies: jest.SpyInstance[];

  beforeEach(() => {
    listingMock.reset();
    resyncMock.reset();
    listingMock.on(GetUserCommand).resolves({ User: { UserName: 'Alice', Path: '/people/', Arn: 'arn:aws:iam::111122223333:user/people/Alice', UserId: 'AIDA', CreateDate: new Date() } });
    listingMock.on(ListMFADevicesCommand).resolves({ MFADevices: [{ UserName: 'Alice', SerialNumber: PHONE, EnableDate: new Date() }] });
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    output = [];
    spies = (['log', 'info', 'warn', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(String(args[0]))));
  });

  afterEach(() => {
    for (const spy of spies) spy.mockRestore();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    if (saved === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = saved;
  });

  const records = () => output.map((line) => JSON.parse(line) as Record<string, unknown>);
  const serverErrors = () => records().find((record) => '_aws' in record)?.[METRIC_NAMES.serverErrors];

  /** Fails the second AssumeRole (the user session) with `userSessionError` when given. */
  function scopedProvider(userSessionError?: Error): ScopedDirectoryProvider {
    let sessions = 0;
    return new ScopedDirectoryProvider({
      sessions: {
        assume: async (_request: SessionRequest) => {
          sessions += 1;
          if (sessions === 2 && userSessionError !== undefined) throw userSessionError;
          return { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token' };
        },
      },
      clientsFor: () => ({ listing, resync }),
      scope: { partition: 'aws', account: '111122223333', pathPrefix: '/people/' },
    });
  }

  it.each([
    ['ListMFADevices', () => listingMock.on(ListMFADevicesCommand).rejects(accessDenied())],
    ['ResyncMFADevice', () => resyncMock.on(ResyncMFADeviceCommand).rejects(accessDenied())],
  ])('scoped: AccessDenied on %s for a user GetUser confirmed is a deployment problem: 500, a warning, ServerErrors 1', async (_label, deny) => {
    // Prepare
    deny();
    const metrics = new Metrics({ namespace: 'MfaResyncTest', serviceName: 'mfa-resync' });

    // Act
    const response = await setup(scopedProvider(), {}, metrics)(resyncEvent(CODES));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toMatchObject({ code: 'internal-error' });
    expect(serverErrors()).toBe(1);
    const warning = records().find((record) => record['level'] === 'WARN');
    expect(warning).toMatchObject({ upstream: 'iam', errorCode: 'AccessDenied', message: expect.stringContaining('permissions boundary') });
    expect(output.join('\n')).not.toMatch(/not authorized|assumed-role/);
  });

  it('scoped: AccessDenied on the lookup GetUser (a user outside the prefix) stays 403 caller-not-mapped', async () => {
    // Prepare
    listingMock.on(GetUserCommand).rejects(accessDenied());
    const metrics = new Metrics({ namespace: 'MfaResyncTest', serviceName: 'mfa-resync' });

    // Act
    const response = await setup(scopedProvider(), {}, metrics)(resyncEvent(CODES));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toMatchObject({ code: 'caller-not-mapped' });
    expect(serverErrors()).toBe(0);
  });

  it('single-role: AccessDenied on ListMFADevices (IAM\'s path boundary) stays 403 caller-not-mapped', async () => {
    // Prepare
    listingMock.on(ListMFADevicesCommand).rejects(accessDenied());
    const handler = createHandler({
      provider: singleRoleProvider(new IamMfaDirectory({ listing, resync })),
      config: loadConfig({ AWS_REGION: 'us-east-1', IAM_USER_PATH_PREFIX: '/people/' }),
      logger: new Logger({ serviceName: 'mfa-resync-test' }),
    });

    // Act
    const response = await handler(resyncEvent(CODES), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(403);
    expect(bodyOf(response)).toMatchObject({ code: 'caller-not-mapped' });
  });

  it.each(['PackedPolicyTooLargeException', 'PackedPolicyTooLarge'])(
    'scoped: STS %s for the user session is this user\'s ARN, not the deployment: 403 caller-not-mapped and a specific warning',
    async (name) => {
      // Prepare
      const provider = scopedProvider(stsErrorToDomain({ name, $fault: 'client', $metadata: { httpStatusCode: 400 } }));
      const metrics = new Metrics({ namespace: 'MfaResyncTest', serviceName: 'mfa-resync' });

      // Act
      const response = await setup(provider, {}, metrics)(resyncEvent(CODES));

      // Assess
      expect(response.statusCode).toBe(403);
      expect(bodyOf(response)).toMatchObject({ code: 'caller-not-mapped' });
      expect(records().find((record) => record['level'] === 'WARN')).toMatchObject({
        reason: 'unscopable-user',
        message: expect.stringContaining('cannot be scoped'),
      });
      expect(serverErrors()).toBe(0);
    },
  );
});
