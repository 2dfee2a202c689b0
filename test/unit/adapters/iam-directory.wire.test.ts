// SPDX-License-Identifier: Apache-2.0
/**
 * The adapter over the real SDK stack (retry middleware, XML deserialiser, Node HTTP handler)
 * against a scripted IAM on 127.0.0.1: what `aws-sdk-client-mock` cannot show, because it
 * replaces `send` and with it the retries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIamClients, IamMfaDirectory, LISTING_MAX_ATTEMPTS } from '../../../lambda/adapters/iam-directory';

const PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const RESYNC = { userName: 'alice', serialNumber: PHONE, code1: '123456', code2: '654321' };
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Reply = { status: number; body: string } | 'hang';

let server: Server;
let endpoint: string;
let replies: Reply[];
let requests: URLSearchParams[];
const hungResponses: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(new URLSearchParams(body));
      const reply = replies.length > 1 ? replies.shift() : replies[0];
      if (reply === undefined || reply === 'hang') {
        hungResponses.push(response);
        return;
      }
      response.writeHead(reply.status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': 'iam-request-id' });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const response of hungResponses.splice(0)) response.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  replies = [];
  requests = [];
});

function directoryWithBudget(budgetMs = 8000): IamMfaDirectory {
  return new IamMfaDirectory(
    createIamClients({ region: 'us-east-1', endpoint, budgetMs, clientConfig: { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } } }),
  );
}

function iamError(status: number, code: string, type: 'Sender' | 'Receiver' = 'Sender'): Reply {
  return {
    status,
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
  };
}

function listing(serials: string[], marker?: string): Reply {
  return { status: 200, body: listingXml(serials, marker) };
}

function listingXml(serials: string[], marker?: string): string {
  const members = serials
    .map((serial) => `<member><UserName>alice</UserName><SerialNumber>${serial}</SerialNumber><EnableDate>2026-01-05T10:00:00Z</EnableDate></member>`)
    .join('');
  const truncation = marker === undefined ? '<IsTruncated>false</IsTruncated>' : `<IsTruncated>true</IsTruncated><Marker>${marker}</Marker>`;
  return `<ListMFADevicesResponse xmlns="${NS}"><ListMFADevicesResult><MFADevices>${members}</MFADevices>${truncation}</ListMFADevicesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListMFADevicesResponse>`;
}

async function failureOf(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

describe('the resync call on the wire', () => {
  it.each([
    ['LimitExceeded, which the SDK would retry as throttling (F-2.4.3)', iamError(409, 'LimitExceeded'), 'rate-limited'],
    ['ServiceFailure, which the SDK would retry as transient (F-2.4.5)', iamError(500, 'ServiceFailure', 'Receiver'), 'upstream-unavailable'],
    ['Throttling', iamError(400, 'Throttling'), 'rate-limited'],
  ])('is sent exactly once on %s', async (_label, reply, code) => {
    // Prepare
    replies = [reply];

    // Act
    const error = await failureOf(directoryWithBudget().resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toMatchObject({ code });
    expect(requests.filter((request) => request.get('Action') === 'ResyncMFADevice')).toHaveLength(1);
  });

  it('sends the four parameters of ResyncMFADevice', async () => {
    // Prepare
    replies = [{ status: 200, body: `<ResyncMFADeviceResponse xmlns="${NS}"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ResyncMFADeviceResponse>` }];

    // Act
    await directoryWithBudget().resyncMfaDevice(RESYNC);

    // Assess
    expect(Object.fromEntries(requests[0] ?? [])).toMatchObject({
      Action: 'ResyncMFADevice',
      UserName: 'alice',
      SerialNumber: PHONE,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    });
  });

  it('maps IAM\'s real AccessDenied XML to caller-not-mapped', async () => {
    // Prepare
    replies = [iamError(403, 'AccessDenied')];

    // Act
    const error = await failureOf(directoryWithBudget().resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toMatchObject({ code: 'caller-not-mapped', reason: 'iam-access-denied' });
  });

  it('gives up with upstream-unavailable when IAM hangs, without a second attempt', async () => {
    // Prepare
    replies = ['hang'];
    const started = Date.now();

    // Act
    const error = await failureOf(directoryWithBudget(300).resyncMfaDevice(RESYNC));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(requests).toHaveLength(1);
  });

  it('stops when the request\'s abort signal fires, even before the client timeout', async () => {
    // Prepare
    replies = ['hang'];
    const started = Date.now();

    // Act
    const error = await failureOf(directoryWithBudget(8000).resyncMfaDevice(RESYNC, { signal: AbortSignal.timeout(200) }));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable', reason: 'budget-exhausted' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the listing call on the wire', () => {
  it('retries a ServiceFailure within its bounded attempts and then succeeds', async () => {
    // Prepare
    replies = [iamError(500, 'ServiceFailure', 'Receiver'), listing([PHONE])];

    // Act
    const page = await directoryWithBudget().listMfaDevices('alice');

    // Assess
    expect(page.devices.map((device) => device.serialNumber)).toEqual([PHONE]);
    expect(requests).toHaveLength(2);
  });

  it(`stops after ${LISTING_MAX_ATTEMPTS} attempts with upstream-unavailable`, async () => {
    // Prepare
    replies = [iamError(500, 'ServiceFailure', 'Receiver')];

    // Act
    const error = await failureOf(directoryWithBudget().listMfaDevices('alice'));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable' });
    expect(requests).toHaveLength(LISTING_MAX_ATTEMPTS);
  });

  it('passes the marker and reads the next one', async () => {
    // Prepare
    replies = [listing([PHONE], 'opaque/marker+2')];

    // Act
    const page = await directoryWithBudget().listMfaDevices('alice', 'marker-1');

    // Assess
    expect(page.nextMarker).toBe('opaque/marker+2');
    expect(requests[0]?.get('Marker')).toBe('marker-1');
  });

  it.each([
    ['a 200 with broken XML', { status: 200, body: '<ListMFADevicesResponse><ListMFADevicesResult>' }],
    ['an empty 200', { status: 200, body: '' }],
    ['a 200 with an unreadable date', { status: 200, body: listingXml([PHONE]).replace('2026-01-05T10:00:00Z', 'yesterday') }],
    ['an HTML error page', { status: 502, body: '<html><body>Bad Gateway' }],
  ])('answers upstream-unavailable, without crashing, for %s', async (_label, reply) => {
    // Prepare
    replies = [reply];

    // Act
    const error = await failureOf(directoryWithBudget().listMfaDevices('alice'));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable' });
  });

  it('fits a hung IAM into the budget, retrying with per-attempt timeouts', async () => {
    // Prepare
    replies = ['hang'];
    const started = Date.now();

    // Act
    const error = await failureOf(directoryWithBudget(600).listMfaDevices('alice', undefined, { signal: AbortSignal.timeout(600) }));

    // Assess
    expect(error).toMatchObject({ code: 'upstream-unavailable' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(requests.length).toBeGreaterThanOrEqual(2);
  });
});
