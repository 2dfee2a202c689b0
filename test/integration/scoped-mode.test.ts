// SPDX-License-Identifier: Apache-2.0
/**
 * Scoped mode against the local IAM/STS emulator with the real adapters and SDK clients; the
 * policies come from lib/iam-policies.ts, as in the CDK stack. Fact IDs: F-4.3.x (ARN
 * wildcards), F-4.4.1 (session policy intersection), F-4.4.6 (SourceIdentity in both places).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createIamClientFactory, createIamClients, IamMfaDirectory, type SessionCredentials } from '../../lambda/adapters/iam-directory';
import { ScopedDirectoryProvider } from '../../lambda/adapters/scoped-directory';
import { createStsClient, StsSessionIssuer } from '../../lambda/adapters/sts-sessions';
import { loadConfig } from '../../lambda/config';
import { singleRoleProvider } from '../../lambda/domain/access';
import { CallerNotMappedError, ExecutorMisconfiguredError } from '../../lambda/domain/errors';
import type { CallerIdentity, MfaDirectoryProvider } from '../../lambda/domain/ports';
import { createHandler } from '../../lambda/handler';
import {
  executorRolePolicy,
  executorTrustPolicy,
  scopedFunctionPolicy,
  singleRoleFunctionPolicy,
  type UserScope,
} from '../../lib/iam-policies';
import { startIamEmulator, type IamEmulator, type IamSeed } from '../../local/iam';
import { apiEvent, idTokenClaims, resyncEvent } from '../fixtures/api-gateway-event';
import { lambdaContext } from '../fixtures/lambda-context';
import { codeAt, failure, fixedClock } from '../local/iam/helpers';

const ACCOUNT = '111122223333';
const SCOPE: UserScope = { partition: 'aws', account: ACCOUNT, pathPrefix: '/' };
const FUNCTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/mfa-resync-function`;
const EXECUTOR_ROLE = `arn:aws:iam::${ACCOUNT}:role/mfa-resync-executor`;
/** Trusts the function role for sts:AssumeRole only, without sts:SetSourceIdentity. */
const NO_SSI_TRUST_ROLE = `arn:aws:iam::${ACCOUNT}:role/executor-without-source-identity`;
const FUNCTION_KEY = 'AKIAFUNCTIONROLE0001';
const OTHER_KEY = 'AKIAOTHERROLE0000001';
const NO_SSI_KEY = 'AKIAFUNCTIONNOSSI001';
const SINGLE_KEY = 'AKIASINGLEROLE000001';
const ALICE_SUB = '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const ODD_PATH = '/odd*?$/{x}/';

const ALICE_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const BOB_SECRET = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
const PAT_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const ALICE_PHONE = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;
const BOB_PHONE = `arn:aws:iam::${ACCOUNT}:mfa/bob-phone`;
const PAT_PHONE = `arn:aws:iam::${ACCOUNT}:mfa/pat-phone`;

const SEED: IamSeed = {
  accountId: ACCOUNT,
  strictAccessKeys: true,
  users: [
    { userName: 'alice', tags: { 'Mfa-Resync:Cognito-Sub': ALICE_SUB }, devices: [{ kind: 'virtual', name: 'alice-phone', secret: ALICE_SECRET, offsetSteps: 20 }] },
    { userName: 'malice', devices: [{ kind: 'virtual', name: 'malice-phone' }] },
    { userName: 'bob', devices: [{ kind: 'virtual', name: 'bob-phone', secret: BOB_SECRET }] },
    { userName: 'pat', path: ODD_PATH, devices: [{ kind: 'virtual', name: 'pat-phone', secret: PAT_SECRET }] },
  ],
  principals: [
    { accessKeyId: FUNCTION_KEY, arn: FUNCTION_ROLE, policies: [scopedFunctionPolicy(EXECUTOR_ROLE), scopedFunctionPolicy(NO_SSI_TRUST_ROLE)] },
    // Same rights, but the executor role does not trust this role.
    { accessKeyId: OTHER_KEY, arn: `arn:aws:iam::${ACCOUNT}:role/some-other-function`, policies: [scopedFunctionPolicy(EXECUTOR_ROLE)] },
    // The function role, but its policy forgot sts:SetSourceIdentity.
    {
      accessKeyId: NO_SSI_KEY,
      arn: FUNCTION_ROLE,
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [EXECUTOR_ROLE] }] }],
    },
    { accessKeyId: SINGLE_KEY, arn: `arn:aws:iam::${ACCOUNT}:role/mfa-resync-single`, policies: [singleRoleFunctionPolicy(SCOPE)] },
  ],
  roles: [
    { roleName: 'mfa-resync-executor', policies: [executorRolePolicy(SCOPE)], trustPolicy: executorTrustPolicy(FUNCTION_ROLE) },
    {
      roleName: 'executor-without-source-identity',
      policies: [executorRolePolicy(SCOPE)],
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [FUNCTION_ROLE] }, Action: ['sts:AssumeRole'] }] },
    },
  ],
};

const ALICE: CallerIdentity = { iamUserName: 'alice', cognitoUsername: 'alice', subject: ALICE_SUB };
const clock = fixedClock();
let emulator: IamEmulator;

beforeAll(async () => {
  emulator = await startIamEmulator({ port: 0, seed: SEED, clock: clock.now });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const credentialsOf = (accessKeyId: string) => ({ accessKeyId, secretAccessKey: 'local-secret-not-checked' });

function scopedProvider(accessKeyId = FUNCTION_KEY, roleArn = EXECUTOR_ROLE): ScopedDirectoryProvider {
  const sts = createStsClient({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf(accessKeyId), maxAttempts: 1 } });
  return new ScopedDirectoryProvider({
    sessions: new StsSessionIssuer(sts, roleArn),
    clientsFor: createIamClientFactory({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000 }),
    scope: SCOPE,
  });
}

/** Codes a correct-clock authenticator shows now and 30 s later (the emulator's clock). */
function consecutiveCodes(secret: string): { code1: string; code2: string } {
  return { code1: codeAt(secret, clock.now() - 30_000), code2: codeAt(secret, clock.now()) };
}

describe('scoped mode: one executor session per request, scoped to one user (F-4.4.1)', () => {
  it('resolves the canonical user with two AssumeRole calls that carry the caller as SourceIdentity (F-4.4.6, F-4.4.7)', async () => {
    // Prepare
    const provider = scopedProvider();

    // Act
    const user = await provider.resolveUser(ALICE, { requestId: 'req-1' });
    const directory = await provider.openDirectory(user, ALICE, { requestId: 'req-1' });
    const page = await directory.listMfaDevices(user.userName);

    // Assess
    expect(user.confirmed).toEqual({ userName: 'alice', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, tags: { 'Mfa-Resync:Cognito-Sub': ALICE_SUB } });
    expect(page.devices.map((device) => device.serialNumber)).toEqual([ALICE_PHONE]);
    expect(emulator.calls().map(({ action, status, principalArn, sourceIdentity }) => ({ action, status, principalArn, sourceIdentity }))).toEqual([
      { action: 'AssumeRole', status: 200, principalArn: expect.stringContaining('assumed-role/mfa-resync-function/'), sourceIdentity: undefined },
      { action: 'GetUser', status: 200, principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-resync-executor/mfa-resync-req-1`, sourceIdentity: 'alice' },
      { action: 'AssumeRole', status: 200, principalArn: expect.stringContaining('assumed-role/mfa-resync-function/'), sourceIdentity: undefined },
      { action: 'ListMFADevices', status: 200, principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/mfa-resync-executor/mfa-resync-req-1`, sourceIdentity: 'alice' },
    ]);
  });

  it('credentials issued for alice\'s request get AccessDenied on bob\'s device even when the adapter is called with bob\'s name', async () => {
    // Prepare
    const provider = scopedProvider();
    const alice = await provider.resolveUser(ALICE);
    const aliceDirectory = await provider.openDirectory(alice, ALICE);
    const bobBefore = emulator.device(BOB_PHONE)?.adjustmentSteps;

    // Act
    const listing = await failure(aliceDirectory.listMfaDevices('bob'));
    const resync = await failure(aliceDirectory.resyncMfaDevice({ userName: 'bob', serialNumber: BOB_PHONE, ...consecutiveCodes(BOB_SECRET) }));

    // Assess: denied on the wire; a denial in a user session is reported as a deployment problem
    // (the use cases only ever name the confirmed user there).
    expect(listing).toMatchObject({ name: 'ExecutorMisconfiguredError', service: 'iam', errorCode: 'AccessDenied' });
    expect(resync).toMatchObject({ name: 'ExecutorMisconfiguredError', service: 'iam', errorCode: 'AccessDenied' });
    expect(emulator.calls().slice(-2)).toEqual([
      expect.objectContaining({ action: 'ListMFADevices', status: 403, errorCode: 'AccessDenied', sourceIdentity: 'alice' }),
      expect.objectContaining({ action: 'ResyncMFADevice', status: 403, errorCode: 'AccessDenied', sourceIdentity: 'alice' }),
    ]);
    expect(emulator.device(BOB_PHONE)?.adjustmentSteps).toBe(bobBefore);
  });

  it('an exact ARN, not user/*alice: alice\'s session is denied on malice (F-4.3.2), with IAM\'s session-policy message', async () => {
    // Prepare
    const sessions = new StsSessionIssuer(
      createStsClient({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf(FUNCTION_KEY) } }),
      EXECUTOR_ROLE,
    );
    const provider = scopedProvider();
    const alice = await provider.resolveUser(ALICE);
    let captured: SessionCredentials | undefined;
    const capturing = new ScopedDirectoryProvider({
      sessions: { assume: async (request) => (captured = await sessions.assume(request)) },
      clientsFor: createIamClientFactory({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000 }),
      scope: SCOPE,
    });
    await capturing.openDirectory(alice, ALICE);
    const raw = new IAMClient({ region: 'us-east-1', endpoint: emulator.url, credentials: captured, maxAttempts: 1 });

    // Act
    const error = await failure(raw.send(new ListMFADevicesCommand({ UserName: 'malice' })));

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/mfa-resync-executor/mfa-resync-unknown is not authorized to perform: iam:ListMFADevices on resource: arn:aws:iam::${ACCOUNT}:user/malice because no session policy allows the iam:ListMFADevices action`,
    );
  });

  it('sends the stored case: a claim naming ALICE is scoped to user/alice and lists her devices (F-3.5.2)', async () => {
    // Prepare
    const provider = scopedProvider();
    const caller = { ...ALICE, iamUserName: 'ALICE' };

    // Act
    const user = await provider.resolveUser(caller);
    const page = await (await provider.openDirectory(user, caller)).listMfaDevices(user.userName);

    // Assess
    expect(user.userName).toBe('alice');
    expect(page.devices).toHaveLength(1);
    expect(emulator.calls().at(-1)).toEqual(expect.objectContaining({ action: 'ListMFADevices', status: 200 }));
  });

  it('a user whose path holds *, ?, $, { and } resolves, is scoped with ${*} ${?} ${$} escapes, and resyncs (F-1.5.3)', async () => {
    // Prepare
    const provider = scopedProvider();
    const pat: CallerIdentity = { iamUserName: 'pat', cognitoUsername: 'pat', subject: 'b0b0b0b0-0000-4000-8000-000000000001' };

    // Act
    const user = await provider.resolveUser(pat);
    const directory = await provider.openDirectory(user, pat);
    const page = await directory.listMfaDevices(user.userName);
    await directory.resyncMfaDevice({ userName: user.userName, serialNumber: PAT_PHONE, ...consecutiveCodes(PAT_SECRET) });
    const aliceDenied = await failure(directory.listMfaDevices('alice'));

    // Assess
    expect(user.confirmed?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user${ODD_PATH}pat`);
    expect(page.devices.map((device) => device.serialNumber)).toEqual([PAT_PHONE]);
    expect(aliceDenied).toBeInstanceOf(ExecutorMisconfiguredError);
  });

  it('a user who does not exist is user-not-found, as the lookup session may GetUser anywhere under the prefix', async () => {
    // Act
    const error = await failure(scopedProvider().resolveUser({ ...ALICE, iamUserName: 'erin' }));

    // Assess
    expect(error).toMatchObject({ code: 'user-not-found' });
  });

  it('a lookup session cannot list or resync: it only allows iam:GetUser', async () => {
    // Prepare
    let lookup: SessionCredentials | undefined;
    const sessions = new StsSessionIssuer(
      createStsClient({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf(FUNCTION_KEY) } }),
      EXECUTOR_ROLE,
    );
    await new ScopedDirectoryProvider({
      sessions: { assume: async (request) => (lookup = await sessions.assume(request)) },
      clientsFor: createIamClientFactory({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000 }),
      scope: SCOPE,
    }).resolveUser(ALICE);

    // Act
    const error = await failure(new IamMfaDirectory(createIamClients({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: lookup } })).listMfaDevices('alice'));

    // Assess
    expect(error).toBeInstanceOf(CallerNotMappedError);
  });

  it('session credentials expire with the session (DurationSeconds 900)', async () => {
    // Prepare
    const provider = scopedProvider();
    const directory = await provider.openDirectory(await provider.resolveUser(ALICE), ALICE);
    clock.advance(901_000);

    // Act
    const error = await failure(directory.listMfaDevices('alice'));

    // Assess
    expect(error.message).toMatch(/ExpiredToken/);
    expect(emulator.calls().at(-1)).toEqual(expect.objectContaining({ action: 'ListMFADevices', status: 403, errorCode: 'ExpiredToken' }));
  });
});

describe('who may assume the executor role (F-4.4.6)', () => {
  it('refuses a key other than the function role\'s: the trust policy names the function role only', async () => {
    // Act
    const error = await failure(scopedProvider(OTHER_KEY).resolveUser(ALICE));

    // Assess
    expect(error).toBeInstanceOf(ExecutorMisconfiguredError);
    expect(error).toMatchObject({ errorCode: 'AccessDenied', service: 'sts' });
  });

  it('fails without sts:SetSourceIdentity in the function role\'s policy', async () => {
    // Act
    const error = await failure(scopedProvider(NO_SSI_KEY).resolveUser(ALICE));

    // Assess
    expect(error).toMatchObject({ errorCode: 'AccessDenied', service: 'sts' });
    expect(emulator.calls().at(-1)).toEqual(expect.objectContaining({ action: 'AssumeRole', status: 403, errorCode: 'AccessDenied' }));
  });

  it('fails without sts:SetSourceIdentity in the executor role\'s trust policy', async () => {
    // Act
    const error = await failure(scopedProvider(FUNCTION_KEY, NO_SSI_TRUST_ROLE).resolveUser(ALICE));

    // Assess
    expect(error).toMatchObject({ errorCode: 'AccessDenied', service: 'sts' });
  });

  it('the function role itself has no IAM rights in scoped mode', async () => {
    // Act
    const error = await failure(new IamMfaDirectory(createIamClients({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf(FUNCTION_KEY) } })).listMfaDevices('alice'));

    // Assess
    expect(error).toBeInstanceOf(CallerNotMappedError);
  });

  it('strict keys: an unknown access key is InvalidClientTokenId', async () => {
    // Act
    const error = await failure(createStsClient({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf('AKIAUNKNOWN000000001') } }).send(new GetCallerIdentityCommand({})));

    // Assess
    expect(error.name).toBe('InvalidClientTokenId');
  });
});

describe('the handler end to end in both modes', () => {
  const logger = new Logger({ serviceName: 'mfa-resync-test' });
  const env = { AWS_REGION: 'us-east-1', IAM_ENDPOINT: 'http://127.0.0.1:1', EXECUTOR_ROLE_ARN: EXECUTOR_ROLE };

  function invoke(provider: MfaDirectoryProvider, extraEnv: Record<string, string> = {}) {
    const handler = createHandler({ provider, config: loadConfig({ ...env, ...extraEnv }), logger });
    return (event: Parameters<typeof handler>[0]) => handler(event, lambdaContext());
  }

  it('scoped: resynchronises alice\'s drifted phone with real consecutive codes', async () => {
    // Prepare
    const codes = { code1: codeAt(ALICE_SECRET, clock.now() - 30_000), code2: codeAt(ALICE_SECRET, clock.now()) };

    // Act
    const response = await invoke(scopedProvider())(resyncEvent(codes, { claims: idTokenClaims({ 'custom:iam_username': 'alice' }) }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(emulator.device(ALICE_PHONE)?.adjustmentSteps).toBe(0);
    expect(emulator.callCounts()).toEqual({ AssumeRole: 2, GetUser: 1, ListMFADevices: 1, ResyncMFADevice: 1 });
  });

  it('scoped with binding: the tag matches the sub for alice; bob, untagged, is caller-not-mapped', async () => {
    // Prepare
    const call = invoke(scopedProvider(), { BINDING_TAG_KEY: 'mfa-resync:cognito-sub', BINDING_CLAIM: 'sub' });

    // Act
    const alice = await call(apiEvent({ claims: idTokenClaims() }));
    const bob = await call(apiEvent({ claims: idTokenClaims({ 'cognito:username': 'bob', 'custom:iam_username': 'bob', sub: 'b0b0' }) }));
    // A caller who rewrote their mapping attribute to alice, but is somebody else.
    const impostor = await call(apiEvent({ claims: idTokenClaims({ 'cognito:username': 'mallory', sub: 'ffffffff-0000-4000-8000-000000000000' }) }));

    // Assess
    expect(alice.statusCode).toBe(200);
    expect(JSON.parse(bob.body)).toMatchObject({ status: 403, code: 'caller-not-mapped' });
    expect(JSON.parse(impostor.body)).toMatchObject({ status: 403, code: 'caller-not-mapped' });
    expect(emulator.callCounts()['ListMFADevices']).toBe(1);
  });

  it('single-role: the function role lists and resyncs with its own policy, and no STS call', async () => {
    // Prepare
    const provider = singleRoleProvider(new IamMfaDirectory(createIamClients({ region: 'us-east-1', endpoint: emulator.url, budgetMs: 4000, clientConfig: { credentials: credentialsOf(SINGLE_KEY) } })));

    // Act
    const response = await invoke(provider, { EXECUTOR_ROLE_ARN: '' })(apiEvent({ claims: idTokenClaims({ 'custom:iam_username': 'bob' }) }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ userName: 'bob', devices: [expect.objectContaining({ serialNumber: BOB_PHONE })] });
    expect(emulator.callCounts()).toEqual({ ListMFADevices: 1 });
  });
});
