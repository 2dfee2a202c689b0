// SPDX-License-Identifier: Apache-2.0
/** The emulator's STS AssumeRole and policy evaluation: wire form, validation and authorisation (F-4.4.x). */
import { GetUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { evaluate, resourceMatches } from '../../../local/iam/auth/policy';
import { startIamEmulator, type IamEmulator } from '../../../local/iam';
import { client, failure } from './helpers';

const ACCOUNT = '111122223333';
const CALLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/caller`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/target`;
const KEY = 'AKIACALLERROLE000001';
const allow = (Action: string[], Resource: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action, Resource }] });

let emulator: IamEmulator;
beforeAll(async () => {
  emulator = await startIamEmulator({
    port: 0,
    seed: {
      accountId: ACCOUNT,
      users: [{ userName: 'Alice', devices: [] }],
      principals: [{ accessKeyId: KEY, arn: CALLER_ROLE, policies: [allow(['sts:AssumeRole', 'sts:SetSourceIdentity'], [TARGET])] }],
      roles: [
        {
          roleName: 'target',
          policies: [allow(['iam:GetUser'], [`arn:aws:iam::${ACCOUNT}:user/*`])],
          trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [CALLER_ROLE] }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }] },
        },
      ],
    },
  });
});
afterAll(() => emulator.close());

const sts = (accessKeyId = KEY) =>
  new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 });
const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
  sts().send(new AssumeRoleCommand({ RoleArn: TARGET, RoleSessionName: 'session-1', DurationSeconds: 900, ...input }));

describe('STS AssumeRole', () => {
  it('issues ASIA credentials, the assumed-role ARN and echoes SourceIdentity', async () => {
    // Act
    const output = await assume({ SourceIdentity: 'alice', Policy: JSON.stringify(allow(['iam:GetUser'], ['*'])) });

    // Assess
    expect(output.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(output.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 890_000);
    expect(output.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/target/session-1`);
    expect(output.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA\w{17}:session-1$/);
    expect(output.SourceIdentity).toBe('alice');
    const session = new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials: output.Credentials && { accessKeyId: output.Credentials.AccessKeyId ?? '', secretAccessKey: output.Credentials.SecretAccessKey ?? '', sessionToken: output.Credentials.SessionToken ?? '' } });
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/target/session-1`);
  });

  it('answers in the STS namespace on the wire', async () => {
    // Act
    const res = await fetch(emulator.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-amz-date': '20260105T100000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/20260105/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(TARGET)}&RoleSessionName=s1`,
    });

    // Assess
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA/);
  });

  it.each([
    ['a session name with a slash', { RoleSessionName: 'a/b' }, 'ValidationError', /Value 'a\/b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\\w\+=,\.@-\]\*/],
    ['a one-character SourceIdentity', { SourceIdentity: 'a' }, 'ValidationError', /at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2/],
    ['a SourceIdentity with a colon (aws:…)', { SourceIdentity: 'aws:me' }, 'ValidationError', /sourceIdentity/],
    ['a duration under 900 s', { DurationSeconds: 899 }, 'ValidationError', /durationSeconds/],
    ['more than 1 h with role chaining (F-4.4.3)', { DurationSeconds: 3601 }, 'ValidationError', /1 hour session limit for roles assumed by role chaining/],
    ['a policy over 2048 characters (F-4.4.2)', { Policy: JSON.stringify(allow(['iam:GetUser'], ['x'.repeat(2100)])) }, 'ValidationError', /at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048/],
    ['a policy that is not JSON', { Policy: '{nope' }, 'MalformedPolicyDocumentException', /not in the valid JSON format/],
    ['a policy without Statement', { Policy: '{"Version":"2012-10-17"}' }, 'MalformedPolicyDocumentException', /Statement/],
  ])('refuses %s', async (_label, input, name, message) => {
    // Act
    const error = await failure(assume(input));

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
  });

  it('refuses a role that does not exist like one that does not trust the caller', async () => {
    // Act
    const error = await failure(assume({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope` }));

    // Assess
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toMatch(/is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role\/nope/);
  });

  it('a session token is required with a session key', async () => {
    // Prepare
    const output = await assume();
    const withoutToken = client(emulator, output.Credentials?.AccessKeyId ?? '');

    // Act
    const error = await failure(withoutToken.send(new GetUserCommand({ UserName: 'Alice' })));

    // Assess
    expect(error.name).toBe('InvalidClientTokenId');
  });
});

describe('policy evaluation', () => {
  it('F-4.3.1: * matches across /, ? exactly one character; matching is case-sensitive', () => {
    expect(resourceMatches('arn:aws:iam::1:user/*', 'arn:aws:iam::1:user/a/b/c', '2012-10-17')).toBe(true);
    expect(resourceMatches('arn:aws:iam::1:user/?ob', 'arn:aws:iam::1:user/bob', '2012-10-17')).toBe(true);
    expect(resourceMatches('arn:aws:iam::1:user/?ob', 'arn:aws:iam::1:user/bbob', '2012-10-17')).toBe(false);
    expect(resourceMatches('arn:aws:iam::1:user/alice', 'arn:aws:iam::1:user/Alice', '2012-10-17')).toBe(false);
  });

  it('F-1.5.3: ${*} ${?} ${$} are literal; other variables match nothing (F-4.2.1); without Version 2012-10-17, ${ is text', () => {
    expect(resourceMatches('user/a${*}', 'user/a*', '2012-10-17')).toBe(true);
    expect(resourceMatches('user/a${*}', 'user/ab', '2012-10-17')).toBe(false);
    expect(resourceMatches('user/${aws:username}', 'user/alice', '2012-10-17')).toBe(false);
    expect(resourceMatches('user/${*}', 'user/${*}', undefined)).toBe(true);
  });

  it('an explicit Deny wins; nothing allowed is an implicit deny (F-4.5.5)', () => {
    const request = { action: 'iam:GetUser', resource: 'arn:aws:iam::1:user/a' };
    const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'iam:*', Resource: '*' }] };
    const denyGet = { Version: '2012-10-17', Statement: { Effect: 'Deny' as const, Action: 'IAM:getuser', Resource: '*' } };
    expect(evaluate([allowAll], request)).toBe('allow');
    expect(evaluate([allowAll, denyGet], request)).toBe('explicit-deny');
    expect(evaluate([], request)).toBe('implicit-deny');
  });
});
