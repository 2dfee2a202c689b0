// SPDX-License-Identifier: Apache-2.0
/**
 * The local stack in access-token mode (TOKEN_USE=access): the authorizer's scope check
 * (F-5.1.1), the exposure to other clients granted the scope (F-5.1.2, F-6.3.3), machine tokens,
 * a required group read from the `[a b]` flattening (F-5.2.3), and CORS with several origins.
 */
import { call, postJson, type Answer } from './support/http';
import { deviceCode, resetIam, signIn } from './support/iam';
import { expectProblem, Secrets } from './support/problems';
import { seededUser, startLocalStack, type LocalStack, type Session, type SessionUser } from './support/stack';
import { decodePayload } from './support/tokens';

jest.setTimeout(60_000);

const SCOPE = 'mfa-resync/self-service';
const FIRST_ORIGIN = 'http://localhost:5173';
const SECOND_ORIGIN = 'https://portal.example.com';
const LIST = '/v1/me/mfa-devices';
const RESYNC = '/v1/me/mfa-devices/resync';

let stack: LocalStack;
let session: Session;
const secrets = new Secrets();

beforeAll(async () => {
  stack = await startLocalStack({
    TOKEN_USE: 'access',
    REQUIRED_SCOPE: SCOPE,
    REQUIRED_GROUP: 'mfa-self-service',
    GROUPS_CLAIM_FORMAT: 'brackets',
    ALLOWED_ORIGINS: `${FIRST_ORIGIN},${SECOND_ORIGIN}`,
  });
  session = stack.session;
  for (const user of session.users) {
    secrets.add(user.idToken);
    if (user.accessToken !== undefined) secrets.add(user.accessToken);
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(async () => {
  await resetIam(session.iamEndpoint);
});

const user = (name: string): SessionUser => seededUser(session, name);

function accessToken(name: string): string {
  const found = user(name).accessToken;
  if (found === undefined) throw new Error(`${name} has no access token`);
  return found;
}

async function tokens(claims: Record<string, unknown>): Promise<{ idToken: string; accessToken: string }> {
  const answer = await postJson(session.tokenEndpoint, claims);
  expect(answer.status).toBe(200);
  return { idToken: secrets.add(answer.json?.idToken as string), accessToken: secrets.add(answer.json?.accessToken as string) };
}

const get = (authorization: string | undefined, headers: Record<string, string> = {}): Promise<Answer> =>
  call(`${session.apiUrl}${LIST}`, { headers: { ...(authorization === undefined ? {} : { Authorization: authorization }), ...headers } });

describe('tokens', () => {
  it('gives every seeded user an access token with the scope and no aud', () => {
    expect(session.tokenUse).toBe('access');
    const claims = decodePayload(accessToken('alice'));
    expect(claims).toMatchObject({ token_use: 'access', username: 'alice', client_id: expect.any(String) });
    expect(String(claims.scope).split(' ')).toContain(SCOPE);
    expect(claims).not.toHaveProperty('aud');
  });

  it('answers the token endpoint with both tokens, the access token without a user name when none is given', async () => {
    const { idToken, accessToken: machine } = await tokens({ client_id: 'machineclient', scope: SCOPE });
    expect(decodePayload(idToken).token_use).toBe('id');
    expect(decodePayload(machine)).not.toHaveProperty('username');
  });
});

describe('authorizer in access mode', () => {
  it('accepts an access token carrying the scope, groups flattened as "[a b]"', async () => {
    const answer = await get(accessToken('alice'));
    expect(answer.status).toBe(200);
    expect(answer.json?.userName).toBe('alice');
  });

  it('refuses an ID token with 401', async () => {
    expectProblem(await get(user('alice').idToken), 401, 'unauthenticated');
  });

  it('refuses a token with none of the method scopes with 401 (a machine token with an unrelated custom scope)', async () => {
    const { accessToken: token } = await tokens({ client_id: 'machineclient', scope: 'reports/read', 'custom:iam_username': 'alice' });
    expectProblem(await get(token), 401, 'unauthenticated');
  });

  it('refuses an expired access token with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { accessToken: token } = await tokens({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', iat: now - 7200, exp: now - 3600 });
    expectProblem(await get(`Bearer ${token}`), 401, 'unauthenticated');
  });

  it('lets any app client granted the scope through, as API Gateway does (F-6.3.3)', async () => {
    const { accessToken: token } = await tokens({
      'cognito:username': 'alice',
      'custom:iam_username': 'alice',
      'cognito:groups': ['mfa-self-service'],
      client_id: 'anotherclient000000000000a',
    });
    expect((await get(token)).status).toBe(200);
  });
});

describe('caller in access mode', () => {
  it('answers forbidden for a client-credentials token that carries the scope', async () => {
    const { accessToken: token } = await tokens({ client_id: 'machineclient', scope: SCOPE, 'custom:iam_username': 'alice' });
    expectProblem(await get(token), 403, 'forbidden');
  });

  it('answers forbidden for a user access token without the required scope (the methods take any user token, the function checks the scope)', async () => {
    for (const scope of ['openid email', 'aws.cognito.signin.user.admin']) {
      const { accessToken: token } = await tokens({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', 'cognito:groups': ['mfa-self-service'], scope });
      expectProblem(await get(token), 403, 'forbidden');
    }
  });

  it('answers forbidden without the required group', async () => {
    const { accessToken: token } = await tokens({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', 'cognito:groups': ['developers', 'ops'] });
    expectProblem(await get(token), 403, 'forbidden');
  });

  it('resyncs with an access token and real consecutive codes', async () => {
    const device = user('alice').devices[0];
    if (device?.secret === undefined) throw new Error('alice has no virtual device');
    const code1 = secrets.add(deviceCode(device.secret, -1));
    const code2 = secrets.add(deviceCode(device.secret));
    const answer = await postJson(`${session.apiUrl}${RESYNC}`, { code1, code2 }, { Authorization: accessToken('alice') });
    expect(answer.status).toBe(200);
    expect(answer.json?.status).toBe('resynchronized');
    expect(await signIn(session.iamEndpoint, device.serialNumber, secrets.add(deviceCode(device.secret, 1)))).toBe(true);
  });
});

describe('CORS with several origins', () => {
  const preflight = (origin: string): Promise<Answer> => call(`${session.apiUrl}${RESYNC}`, { method: 'OPTIONS', headers: { Origin: origin } });

  it('echoes a listed origin in the preflight and varies on Origin', async () => {
    for (const origin of [FIRST_ORIGIN, SECOND_ORIGIN]) {
      const answer = await preflight(origin);
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(answer.headers.vary).toBe('Origin');
    }
  });

  it('does not allow an unlisted origin in the preflight', async () => {
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBe(FIRST_ORIGIN);
  });

  it("answers the function's responses for the caller's listed origin only", async () => {
    expect((await get(accessToken('alice'), { Origin: SECOND_ORIGIN })).headers['access-control-allow-origin']).toBe(SECOND_ORIGIN);
    expect((await get(accessToken('alice'), { Origin: 'https://evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('echoes the request origin on gateway errors, with Vary: Origin', async () => {
    const answer = await get(undefined, { Origin: SECOND_ORIGIN });
    expectProblem(answer, 401, 'unauthenticated');
    expect(answer.headers['access-control-allow-origin']).toBe(SECOND_ORIGIN);
    expect(answer.headers.vary).toBe('Origin');
  });
});

describe('stack process', () => {
  it('never prints a code or a token and stops cleanly on SIGTERM', async () => {
    const exitCode = await stack.stop();
    expect(secrets.foundIn(stack.output())).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
