// SPDX-License-Identifier: Apache-2.0
/**
 * Property-based fuzzing of the handler in process (createHandler over an in-memory directory
 * that records every IAM call), with events as API Gateway could deliver them and many it never
 * would: any method and resource, any body (text, JSON of any shape, near-miss resync bodies),
 * base64 flags, content types, headers and claims.
 *
 * Whether a request is valid is decided by an oracle written from CONTRACT.md alone (it never
 * calls the production parser, schema or validators): the route, then the body, then the caller.
 * Properties: the handler never throws and never answers 5xx, every answer is a problem document
 * or a contract 200, the code is the one the oracle predicts for invalid input, and invalid input
 * never costs an IAM call.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import fc from 'fast-check';
import { loadConfig } from '../../lambda/config';
import { createHandler } from '../../lambda/handler';
import { apiEvent, idTokenClaims, TEST_REQUEST_ID } from '../fixtures/api-gateway-event';
import { InMemoryMfaDirectory } from '../fixtures/in-memory-directory';
import { lambdaContext } from '../fixtures/lambda-context';

const NUM_RUNS = 10_000;
jest.setTimeout(120_000);

const LIST = '/v1/me/mfa-devices';
const RESYNC = '/v1/me/mfa-devices/resync';
const ALICE_PHONE = 'arn:aws:iam::111122223333:mfa/alice-phone';
const BOB_PHONE = 'arn:aws:iam::111122223333:mfa/bob-phone';
const BOB_TOKEN = 'GAKT12345678';
const DEVICES: Readonly<Record<string, readonly string[]>> = { alice: [ALICE_PHONE], bob: [BOB_PHONE, BOB_TOKEN] };

// --- the oracle: CONTRACT.md, written out independently ----------------------------------------

type Verdict =
  | { readonly valid: false; readonly status: number; readonly codes: readonly string[] }
  | { readonly valid: true; readonly user: string; readonly serial?: string; readonly codes?: readonly [string, string] };

/** `codes`: more than one when the contract leaves the order between two body checks open. */
const refuse = (status: number, ...codes: string[]): Verdict => ({ valid: false, status, codes });

/** "Six ASCII digits. Leading and trailing white space [ASCII space, tab, CR, LF] is trimmed, and one space or hyphen between the third and fourth digit is accepted." */
function contractCode(value: unknown): string | undefined {
  // The schema also caps a code's raw length at 64 characters (overlong strings are refused).
  if (typeof value !== 'string' || value.length > 64) return undefined;
  let start = 0;
  let end = value.length;
  const ascii = ' \t\r\n';
  while (start < end && ascii.includes(value[start] as string)) start += 1;
  while (end > start && ascii.includes(value[end - 1] as string)) end -= 1;
  const core = value.slice(start, end);
  const digits = (text: string): boolean => text.length === 3 && [...text].every((ch) => ch >= '0' && ch <= '9');
  if (core.length === 6 && digits(core.slice(0, 3)) && digits(core.slice(3))) return core;
  if (core.length === 7 && (core[3] === ' ' || core[3] === '-') && digits(core.slice(0, 3)) && digits(core.slice(4))) return core.slice(0, 3) + core.slice(4);
  return undefined;
}

/** "A JSON content type": application/json or a structured +json type, parameters allowed. */
function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (contentType.trimStart() !== contentType) return false;
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json') && !type.slice(12, -5).includes('/') && type.length > 17);
}

/** IAM user names: 1-64 of letters, digits and _+=,.@- (CONTRACT.md "not a valid IAM user name"). */
function isIamUserName(value: string): boolean {
  return value.length >= 1 && value.length <= 64 && [...value].every((ch) => /^[A-Za-z0-9_+=,.@-]$/.test(ch));
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? undefined;
}

function oracle(event: APIGatewayProxyEvent): Verdict {
  const route = `${event.httpMethod} ${event.resource}`;
  if (route !== `GET ${LIST}` && route !== `POST ${RESYNC}`) return refuse(404, 'route-not-found');

  let codes: readonly [string, string] | undefined;
  let serial: string | undefined;
  if (route === `POST ${RESYNC}`) {
    const text = event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    if (text === '') return refuse(400, 'invalid-request');
    if (!isJsonMediaType(header(event, 'content-type'))) return refuse(415, 'unsupported-media-type');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse(400, 'invalid-request');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(400, 'invalid-request');
    const fields = body as Record<string, unknown>;
    if (Object.keys(fields).some((key) => !['code1', 'code2', 'serialNumber'].includes(key))) return refuse(400, 'invalid-request');
    const [code1, code2] = [contractCode(fields.code1), contractCode(fields.code2)];
    if (code1 === undefined || code2 === undefined) return refuse(400, 'invalid-request');
    if ('serialNumber' in fields) {
      // A serial that IAM's API could never accept (IAM API reference, SerialNumber: 9-256
      // characters of [\w+=/:,.@-]) is a malformed body, not an unknown device.
      const value = fields.serialNumber;
      if (typeof value !== 'string' || value.length < 9 || value.length > 256 || ![...value].every((ch) => /^[A-Za-z0-9_+=/:,.@-]$/.test(ch))) {
        return refuse(400, 'invalid-request');
      }
      serial = value;
    }
    if (code1 === code2) return refuse(400, 'identical-codes');
    codes = [code1, code2];
  }

  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, unknown>;
  const claim = (name: string): string | undefined => (typeof claims[name] === 'string' && claims[name] !== '' ? (claims[name] as string) : undefined);
  if (claim('token_use') !== 'id' || claim('cognito:username') === undefined) return refuse(403, 'forbidden');
  const mapped = claim('custom:iam_username');
  if (mapped === undefined || !isIamUserName(mapped)) return refuse(403, 'caller-not-mapped');
  return { valid: true, user: mapped, ...(serial === undefined ? {} : { serial }), ...(codes === undefined ? {} : { codes }) };
}

// --- generators --------------------------------------------------------------------------------

const validCode = fc
  .tuple(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom('', ' ', '-'), fc.constantFrom('', ' ', '\t', '\r\n', '  \n'), fc.constantFrom('', ' ', '\n', '\t '))
  .map(([n, separator, before, after]) => {
    const digits = n.toString().padStart(6, '0');
    return `${before}${digits.slice(0, 3)}${separator}${digits.slice(3)}${after}`;
  });

const nearMissCode = fc.oneof(
  fc.integer({ min: 0, max: 999_999 }),
  fc.integer({ min: 0, max: 999_999 }).map((n) => n.toString().padStart(6, '0').replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))),
  fc.integer({ min: 0, max: 999_999 }).map((n) => n.toString().padStart(6, '0').replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)))),
  fc.constantFrom('12 3456', '123--456', '123\u00a0456', '\u00a0123456', '1234567', '12345', '', ' ', '123 456 ', '123_456', '12345\u0000', 'abcdef', '123456\u2028'),
  fc.stringMatching(/^[0-9 \-\t]{0,12}$/),
  fc.constant(' '.repeat(70) + '123456'),
  fc.constantFrom(null, true, [], {}, ['123456'], { code: '123456' }, 123456.5),
);

const anyCode = fc.oneof({ weight: 3, arbitrary: validCode }, { weight: 2, arbitrary: nearMissCode });

const serialValue = fc.oneof(
  fc.constantFrom(ALICE_PHONE, BOB_PHONE, BOB_TOKEN, ALICE_PHONE.toUpperCase(), 'arn:aws:iam::111122223333:mfa/*', 'short', `${ALICE_PHONE}\n`),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.constant(null),
);

const extraKey = fc.constantFrom('userName', '__proto__', 'constructor', 'prototype', 'iamUserName', 'serialnumber', 'Code1', 'code3', '');

/** Objects shaped like a resync body: usually right, often slightly wrong. */
const resyncLikeBody = fc
  .record(
    {
      code1: anyCode,
      code2: anyCode,
      serialNumber: serialValue,
      extra: fc.tuple(extraKey, fc.jsonValue()),
    },
    { requiredKeys: [] },
  )
  .map(({ extra, ...fields }) => {
    const body: Record<string, unknown> = { ...fields };
    // Object.defineProperty keeps a literal "__proto__" key an own property, as JSON.parse would make it.
    if (extra !== undefined) Object.defineProperty(body, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
    return JSON.stringify(body);
  });

const weighted = <T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.WeightedArbitrary<T> => ({ arbitrary, weight });

const bodyText = fc.oneof(
  weighted(resyncLikeBody, 6),
  weighted(
    fc.record({ code1: validCode, code2: validCode }).map((body) => JSON.stringify(body)),
    3,
  ),
  weighted(fc.json(), 2),
  weighted(fc.string({ maxLength: 200 }), 2),
  weighted(fc.string({ unit: 'binary', maxLength: 100 }), 1),
  weighted(resyncLikeBody.map((text) => text.slice(0, Math.max(0, text.length - 3))), 1),
  weighted(resyncLikeBody.map((text) => `${text}}`), 1),
  weighted(fc.constantFrom('', ' ', 'null', '[]', '"x"', '0', '{}', '\uFEFF{}', `${'['.repeat(5000)}${']'.repeat(5000)}`), 1),
);

const contentType = fc.oneof(
  weighted(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'), 8),
  weighted(
    fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/problem+json',
      'application/json-patch+json',
      'application/jsonx',
      'application/xml',
      'multipart/form-data; boundary=x',
      '',
      'json',
      'application/',
    ),
    3,
  ),
  weighted(fc.string({ maxLength: 40 }), 1),
  weighted(fc.constant(undefined), 1),
);

const RESERVED_HEADERS = new Set(['content-type', 'origin', 'authorization']);
const otherHeaders = fc.dictionary(
  fc.oneof(fc.constantFrom('X-Forwarded-User', 'X-Amzn-Oidc-Identity', 'X-Original-URL', 'Cookie', 'X-User'), fc.string({ minLength: 1, maxLength: 20 })).filter((name) => !RESERVED_HEADERS.has(name.toLowerCase())),
  fc.oneof(fc.constant('bob'), fc.string({ maxLength: 40 })),
  { maxKeys: 4 },
);

const mappingValue = fc.oneof(
  weighted(fc.constantFrom('alice', 'bob', 'ghost'), 6),
  weighted(fc.constantFrom('alice/../bob', 'alice bob', 'a'.repeat(65), '*', 'alicé', '', 'alice\n', 'arn:aws:iam::111122223333:user/bob', 'ALICE'), 2),
  weighted(fc.string({ maxLength: 70 }), 1),
  weighted(fc.constantFrom(12345, null, ['alice'], { name: 'alice' }, true), 1),
);

const claims = fc.oneof(
  weighted(
    fc
      .record({
        mapping: mappingValue,
        tokenUse: fc.oneof(weighted(fc.constant('id'), 8), weighted(fc.constantFrom('access', '', 'ID', undefined), 1)),
        username: fc.oneof(weighted(fc.constant('alice'), 8), weighted(fc.constantFrom('', undefined, 42), 1)),
      })
      .map(({ mapping, tokenUse, username }) => {
        const base: Record<string, unknown> = { ...idTokenClaims(), 'custom:iam_username': mapping, token_use: tokenUse, 'cognito:username': username };
        for (const [key, value] of Object.entries(base)) if (value === undefined) delete base[key];
        return base;
      }),
    10,
  ),
  weighted(fc.constantFrom(null, undefined, {}), 1),
  weighted(fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue(), { maxKeys: 5 }), 1),
);

const route = fc.oneof(
  weighted(fc.constantFrom<[string, string]>(['POST', RESYNC], ['GET', LIST]), 10),
  weighted(
    fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'get', 'TRACE'), fc.constantFrom(LIST, RESYNC, `${RESYNC}/`, '/v1/me', '/', '/v1/me/../users/bob/mfa-devices', '/{proxy+}', '')),
    2,
  ),
  weighted(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 40 })), 1),
);

const eventArbitrary = fc
  .record({
    route,
    body: fc.option(bodyText, { nil: null, freq: 12 }),
    base64: fc.oneof(weighted(fc.constant(false), 6), weighted(fc.constant(true), 1)),
    encodeWhenBase64: fc.boolean(),
    contentType,
    contentTypeName: fc.constantFrom('Content-Type', 'content-type', 'CONTENT-TYPE'),
    origin: fc.option(fc.constantFrom('https://portal.example.com', 'https://evil.example', 'null'), { nil: undefined }),
    headers: otherHeaders,
    claims,
  })
  .map(({ route: [method, resource], body, base64, encodeWhenBase64, contentType: type, contentTypeName, origin, headers, claims: eventClaims }) => {
    const event = apiEvent({
      method,
      resource,
      headers: {
        ...headers,
        ...(type === undefined ? {} : { [contentTypeName]: type }),
        ...(origin === undefined ? {} : { Origin: origin }),
      },
      // Base64-flagged bodies are usually base64 of the text, sometimes raw text wrongly flagged.
      body: body === null ? null : base64 && encodeWhenBase64 ? Buffer.from(body, 'utf8').toString('base64') : body,
      isBase64Encoded: base64,
      claims: eventClaims as Record<string, string> | null | undefined,
    });
    if (eventClaims === undefined) event.requestContext.authorizer = { claims: undefined };
    return event;
  });

// --- the properties ----------------------------------------------------------------------------

describe('fuzzing the handler', () => {
  const directory = new InMemoryMfaDirectory().withUser('alice', [...(DEVICES.alice ?? [])]).withUser('bob', [...(DEVICES.bob ?? [])]);
  const handler = createHandler({
    directory,
    config: loadConfig({ AWS_REGION: 'us-east-1', ALLOWED_ORIGINS: 'https://portal.example.com' }),
    logger: new Logger({ serviceName: 'mfa-resync-fuzz', logLevel: 'SILENT' }),
  });
  const stats = { runs: 0, valid: 0, iamCalled: 0, byStatus: new Map<number, number>() };

  it(`holds for ${NUM_RUNS} generated events: no throw, no 5xx, problem documents, no IAM call for invalid input`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(eventArbitrary, async (event) => {
        directory.calls.length = 0;
        const verdict = oracle(event);
        // The handler mutates headers (normalisation): the oracle has already read them.
        const response: APIGatewayProxyResult = await handler(event, lambdaContext());

        stats.runs += 1;
        stats.byStatus.set(response.statusCode, (stats.byStatus.get(response.statusCode) ?? 0) + 1);
        if (verdict.valid) stats.valid += 1;
        if (directory.calls.length > 0) stats.iamCalled += 1;

        expect(response.statusCode).toBeLessThan(500);
        const contentTypeHeader = response.headers?.['Content-Type'];
        const document = JSON.parse(response.body) as Record<string, unknown>;
        if (response.statusCode === 200) {
          expect(contentTypeHeader).toBe('application/json');
          expect(verdict.valid).toBe(true);
        } else {
          expect(contentTypeHeader).toBe('application/problem+json');
          expect(document).toMatchObject({ type: `urn:mfa-resync:problem:${document.code as string}`, status: response.statusCode, requestId: TEST_REQUEST_ID });
          expect(typeof document.title).toBe('string');
          expect(typeof document.detail).toBe('string');
        }

        if (!verdict.valid) {
          expect(response.statusCode).toBe(verdict.status);
          expect(verdict.codes).toContain(document.code);
          expect(directory.calls).toEqual([]);
          return;
        }
        // Valid input: IAM decides. A serial that is not the caller's never reaches resync.
        const own = DEVICES[verdict.user] ?? [];
        if (verdict.serial !== undefined && !own.includes(verdict.serial)) expect(directory.resyncCalls).toEqual([]);
        if (verdict.codes === undefined) {
          expect(response.statusCode).toBe(own.length > 0 ? 200 : 404);
        } else if (own.length === 0) {
          expect({ status: response.statusCode, code: document.code }).toEqual({ status: 404, code: 'user-not-found' });
        } else if (verdict.serial === undefined ? own.length === 1 : own.includes(verdict.serial)) {
          // Exactly one resync, with the normalised codes, on the caller's own device.
          expect(response.statusCode).toBe(200);
          expect(directory.resyncCalls).toEqual([
            { userName: verdict.user, serialNumber: verdict.serial ?? own[0], code1: verdict.codes[0], code2: verdict.codes[1] },
          ]);
        } else {
          expect(directory.resyncCalls).toEqual([]);
          expect(document.code).toBe(verdict.serial === undefined ? 'device-selection-required' : 'device-not-found');
        }
      }),
      { numRuns: NUM_RUNS, verbose: 0 },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`).join(' ');
    // fast-check prints the seed and the counterexample on failure; this is the run's profile.
    console.log(`fuzz: ${stats.runs} events in ${seconds} s; oracle-valid ${stats.valid}, reached IAM ${stats.iamCalled}; statuses ${statuses}`);
    expect(stats.runs).toBeGreaterThanOrEqual(NUM_RUNS);
    // The generators must reach every stage, or the properties prove little.
    expect(stats.valid).toBeGreaterThan(NUM_RUNS / 10);
    expect(stats.iamCalled).toBeGreaterThan(NUM_RUNS / 10);
  });
});
