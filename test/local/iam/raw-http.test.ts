// SPDX-License-Identifier: Apache-2.0
/** The awsQuery wire format byte by byte: envelopes, headers, authentication and request forms. */
import type { IamEmulator } from '../../../local/iam';
import { ACCOUNT, ALICE_PHONE, ALICE_SECRET, codeAt, fixedClock, startWithClock } from './helpers';

let emulator: IamEmulator;
let clock: ReturnType<typeof fixedClock>;

beforeEach(async () => {
  ({ emulator, clock } = await startWithClock());
});
afterEach(async () => {
  await emulator.close();
});

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const SIGNED = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIARAWTEST000000001/20260105/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef',
  'x-amz-date': '20260105T100015Z',
};

async function post(body: string, headers: Record<string, string> = SIGNED) {
  const res = await fetch(`${emulator.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), requestId: res.headers.get('x-amzn-requestid'), text: await res.text() };
}

function errorXml(type: string, code: string, message: string, requestId: string | null): string {
  return `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
}

describe('authentication', () => {
  it('refuses an unsigned request with MissingAuthenticationToken (403) and does not count it', async () => {
    const res = await post('Action=ListMFADevices&Version=2010-05-08&UserName=Alice', {});
    expect(res.status).toBe(403);
    expect(res.contentType).toBe('text/xml');
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toBe(errorXml('Sender', 'MissingAuthenticationToken', 'Request is missing Authentication Token', res.requestId));
    expect(emulator.callCounts()).toEqual({});
  });

  it('refuses a non-SigV4 Authorization header with IncompleteSignature (400)', async () => {
    const res = await post('Action=ListMFADevices&Version=2010-05-08&UserName=Alice', { authorization: 'Bearer abc' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>IncompleteSignature</Code>');
    expect(res.text).toContain("Authorization header requires &apos;Credential&apos; parameter.");
  });

  it('refuses a SigV4 header without Signature and SignedHeaders, naming what is missing', async () => {
    const res = await post('Action=ListMFADevices&Version=2010-05-08', {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260105/us-east-1/iam/aws4_request',
      'x-amz-date': '20260105T100015Z',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>IncompleteSignature</Code>');
    expect(res.text).toContain('requires &apos;Signature&apos; parameter. Authorization header requires &apos;SignedHeaders&apos; parameter.');
    expect(res.text).not.toContain('&apos;Credential&apos;');
  });

  it('takes the access key id from the credential scope without verifying the signature', async () => {
    const res = await post('Action=GetUser&Version=2010-05-08&UserName=bob');
    expect(res.status).toBe(200);
    expect(emulator.calls()).toEqual([expect.objectContaining({ action: 'GetUser', accessKeyId: 'AKIARAWTEST000000001', status: 200 })]);
  });
});

describe('envelopes', () => {
  it('wraps a result in XResponse/XResult with ResponseMetadata/RequestId equal to the header, text/xml', async () => {
    const res = await post('Action=ListMFADevices&Version=2010-05-08&UserName=carol');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('text/xml');
    expect(res.text).toBe(
      `<ListMFADevicesResponse xmlns="${XMLNS}"><ListMFADevicesResult><MFADevices/><IsTruncated>false</IsTruncated></ListMFADevicesResult>` +
        `<ResponseMetadata><RequestId>${res.requestId}</RequestId></ResponseMetadata></ListMFADevicesResponse>\n`,
    );
  });

  it('answers ResyncMFADevice with metadata only: no Result element', async () => {
    const c1 = codeAt(ALICE_SECRET, clock.now() - 30_000);
    const c2 = codeAt(ALICE_SECRET, clock.now());
    const res = await post(
      `Action=ResyncMFADevice&Version=2010-05-08&UserName=Alice&SerialNumber=${encodeURIComponent(ALICE_PHONE)}&AuthenticationCode1=${c1}&AuthenticationCode2=${c2}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      `<ResyncMFADeviceResponse xmlns="${XMLNS}"><ResponseMetadata><RequestId>${res.requestId}</RequestId></ResponseMetadata></ResyncMFADeviceResponse>\n`,
    );
  });

  it('puts RequestId beside Error, not in ResponseMetadata, with IAM status and Type', async () => {
    const res = await post('Action=GetUser&Version=2010-05-08&UserName=nobody');
    expect(res.status).toBe(404);
    expect(res.text).toBe(errorXml('Sender', 'NoSuchEntity', 'The user with name nobody cannot be found.', res.requestId));
    expect(res.text).not.toContain('ResponseMetadata');
  });

  it('escapes values taken from the seed and from the request', async () => {
    const user = await post('Action=GetUser&Version=2010-05-08&UserName=Alice');
    expect(user.text).toContain('<member><Key>cost-center</Key><Value>R&amp;D &lt;1&gt;</Value></member>');
    const bad = await post(`Action=ListMFADevices&Version=2010-05-08&UserName=Alice&MaxItems=${encodeURIComponent('<x>&"')}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Message>1 validation error detected: Value &apos;&lt;x&gt;&amp;&quot;&apos; at &apos;maxItems&apos;');
    expect(bad.text).not.toContain('<x>');
  });
});

describe('actions and versions', () => {
  it.each([
    ['an unknown action', 'Action=DeleteUser&Version=2010-05-08&UserName=Alice', 'InvalidAction', 'Could not find operation DeleteUser for version 2010-05-08'],
    ['a wrong version', 'Action=GetUser&Version=2011-06-15&UserName=Alice', 'InvalidAction', 'Could not find operation GetUser for version 2011-06-15'],
    ['a missing version', 'Action=GetUser&UserName=Alice', 'InvalidAction', 'Could not find operation GetUser for version NO_VERSION_SPECIFIED'],
    ['a missing action', 'Version=2010-05-08&UserName=Alice', 'MissingAction', 'The request must contain the parameter Action.'],
  ])('answers %s with 400 %s', async (_case, body, code, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.text).toBe(errorXml('Sender', code, message, res.requestId));
  });

  it('accepts GET with the parameters in the query string, signed by header', async () => {
    const res = await fetch(`${emulator.url}/?Action=GetUser&Version=2010-05-08&UserName=bob`, { headers: SIGNED });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(`<Arn>arn:aws:iam::${ACCOUNT}:user/division_abc/subdivision_xyz/bob</Arn>`);
  });

  it('accepts a presigned GET (SigV4 in the query string) and refuses an unsigned one', async () => {
    const presign =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAPRESIGNED0000001%2F20260105%2Fus-east-1%2Fiam%2Faws4_request' +
      '&X-Amz-Date=20260105T100015Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc';
    const signed = await fetch(`${emulator.url}/?Action=ListMFADevices&Version=2010-05-08&UserName=Alice&${presign}`);
    expect(signed.status).toBe(200);
    expect(emulator.calls()[0]?.accessKeyId).toBe('AKIAPRESIGNED0000001');
    const unsigned = await fetch(`${emulator.url}/?Action=ListMFADevices&Version=2010-05-08&UserName=Alice`);
    expect(unsigned.status).toBe(403);
  });

  it('refuses methods other than GET and POST', async () => {
    const res = await fetch(`${emulator.url}/`, { method: 'PUT', headers: SIGNED, body: 'Action=GetUser&Version=2010-05-08' });
    expect(res.status).toBe(405);
  });
});
