// SPDX-License-Identifier: Apache-2.0
/**
 * The hostile-input table: each case builds one raw HTTP request against the local stack and
 * states what the contract (shared CONTRACT.md) says must come back, and whether IAM may be
 * called at all. Cases marked "(local)" pin a behaviour of the local gateway where AWS's own is
 * not verified; the comment says what is assumed.
 */
import type { Answer } from '../e2e/support/http';
import type { Session } from '../e2e/support/stack';
import type { ProblemCode } from '../../lambda/http/problems';
import { signedWithForeignKey, tampered, unsigned } from '../e2e/support/tokens';
import { hs256WithPublicKey, type HeaderValue, type RawRequest } from './support';

export const LIST = '/v1/me/mfa-devices';
export const RESYNC = '/v1/me/mfa-devices/resync';
export const TEN_MB = 10 * 1024 * 1024;

export type SeededUser = 'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'frank';

export interface CaseContext {
  readonly session: Session;
  /** The seeded user's ID token (registered for the leak scan). */
  token(user: SeededUser): string;
  /** A token from the local issuer's token endpoint with these claims (registered). */
  mint(claims: Record<string, unknown>): Promise<string>;
  /** Registers a token built by the test (forged, tampered...) for the leak scan. */
  forged(token: string): string;
  serial(user: SeededUser, type: 'virtual' | 'hardware' | 'fido'): string;
  /** The code the device shows `steps` from now (registered). */
  realCode(serialNumber: string, steps?: number): string;
  /** JSON text of `body`, every code-like value in it registered for the leak scan. */
  json(body: unknown): string;
  /** Registers code-like values sent in a hand-written body. */
  codes(...values: unknown[]): void;
}

/**
 * - `never`: not one call reaches the emulator (STS included): refused input costs nothing;
 * - `no-resync`: lookups may run (the refusal needs IAM's answer), ResyncMFADevice never;
 * - `resync-once`: a positive control that must reach ResyncMFADevice exactly once.
 */
export type IamExpectation = 'never' | 'no-resync' | 'resync-once';

export interface HostileCase {
  readonly name: string;
  readonly request: (ctx: CaseContext) => RawRequest | Promise<RawRequest>;
  readonly status: number;
  /** The problem `code`; absent for a 200. */
  readonly code?: ProblemCode;
  readonly iam: IamExpectation;
  /** A HEAD answer has no body to check. */
  readonly noBody?: boolean;
  /** The serial the audit line must name, when the attempt got that far. */
  readonly auditSerial?: (ctx: CaseContext) => string;
  readonly check?: (answer: Answer, ctx: CaseContext) => void;
}

interface ResyncOptions {
  readonly as?: SeededUser;
  readonly authorization?: HeaderValue | null;
  /** `null`: no Content-Type header at all. */
  readonly contentType?: string | null;
  readonly headers?: Record<string, HeaderValue>;
  readonly path?: string;
  readonly method?: string;
}

function post(ctx: CaseContext, body: string | Buffer | undefined, options: ResyncOptions = {}): RawRequest {
  const authorization = options.authorization === undefined ? ctx.token(options.as ?? 'alice') : options.authorization;
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  return {
    method: options.method ?? 'POST',
    path: options.path ?? RESYNC,
    headers: {
      ...(authorization === null ? {} : { Authorization: authorization }),
      ...(contentType === null ? {} : { 'Content-Type': contentType }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body }),
  };
}

const get = (ctx: CaseContext, path = LIST, headers: Record<string, HeaderValue> = {}, as: SeededUser = 'alice'): RawRequest => ({
  method: 'GET',
  path,
  headers: { Authorization: ctx.token(as), ...headers },
});

/** Wrong, well-formed codes: IAM refuses them (422) once reached. */
const WRONG = { code1: '271828', code2: '314159' };
const withCodes = (ctx: CaseContext, extra: Record<string, unknown>): string => ctx.json({ ...WRONG, ...extra });

const bad = (name: string, body: (ctx: CaseContext) => string | Buffer, options: ResyncOptions = {}): HostileCase => ({
  name,
  request: (ctx) => post(ctx, body(ctx), options),
  status: 400,
  code: 'invalid-request',
  iam: 'never',
});

const badCode = (name: string, code1: unknown): HostileCase => bad(name, (ctx) => ctx.json({ code1, code2: '314159' }));

const unsupported = (name: string, contentType: string | null, body: (ctx: CaseContext) => string | Buffer): HostileCase => ({
  name,
  request: (ctx) => post(ctx, body(ctx), { contentType }),
  status: 415,
  code: 'unsupported-media-type',
  iam: 'never',
  check: (answer) => expect(answer.json?.detail).toContain('application/json'),
});

/** Reaches IAM with wrong codes: the spelling was accepted and normalised. */
const acceptedSpelling = (name: string, build: (ctx: CaseContext) => RawRequest): HostileCase => ({
  name,
  request: build,
  status: 422,
  code: 'invalid-codes',
  iam: 'resync-once',
  auditSerial: (ctx) => ctx.serial('alice', 'virtual'),
});

const unauthenticated = (name: string, authorization: (ctx: CaseContext) => Promise<HeaderValue | null> | HeaderValue | null, extra: Record<string, HeaderValue> = {}): HostileCase => ({
  name,
  request: async (ctx) => post(ctx, withCodes(ctx, {}), { authorization: await authorization(ctx), headers: extra }),
  status: 401,
  code: 'unauthenticated',
  iam: 'never',
});

const notMapped = (name: string, mapping: unknown): HostileCase => ({
  name,
  request: async (ctx) => post(ctx, withCodes(ctx, {}), { authorization: await ctx.mint({ 'cognito:username': 'mallory', 'custom:iam_username': mapping }) }),
  status: 403,
  code: 'caller-not-mapped',
  iam: 'never',
});

const noRoute = (name: string, method: string, path: string, withBody = false): HostileCase => ({
  name,
  request: (ctx) => (withBody ? post(ctx, withCodes(ctx, {}), { method, path }) : { method, path, headers: { Authorization: ctx.token('alice') } }),
  status: 404,
  code: 'route-not-found',
  iam: 'never',
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const expectListingOf = (user: string) => (answer: Answer): void => expect(answer.json?.userName).toBe(user);

export const HOSTILE_CASES: readonly HostileCase[] = [
  // --- malformed and truncated JSON ----------------------------------------------------------
  bad('truncated JSON', (ctx) => ctx.json(WRONG).slice(0, -6)),
  bad('trailing garbage after the object', (ctx) => `${ctx.json(WRONG)}xyz`),
  bad('two JSON documents back to back', (ctx) => `${ctx.json(WRONG)}${ctx.json(WRONG)}`),
  bad('a JSON array of the body', (ctx) => ctx.json([WRONG])),
  bad('a JSON string body', (ctx) => ctx.json('271828 314159')),
  bad('a JSON null body', () => 'null'),
  bad('a JSON number body', () => '271828'),
  bad('a JSON boolean body', () => 'true'),
  bad('an empty body with a JSON content type', () => ''),
  bad('a white-space-only body', () => ' \r\n\t '),
  // JSON.parse refuses a byte order mark; whether API Gateway's validator strips it is unverified (local).
  bad('a body starting with a UTF-8 byte order mark (local)', (ctx) => `\uFEFF${ctx.json(WRONG)}`),
  bad('arrays nested 50 000 deep (parser depth probe)', () => `${'['.repeat(50_000)}${']'.repeat(50_000)}`),
  bad('bytes that are not UTF-8', () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
  bad('a missing code2', (ctx) => ctx.json({ code1: '271828' })),
  bad('no codes, only serialNumber', (ctx) => ctx.json({ serialNumber: ctx.serial('alice', 'virtual') })),
  bad('an empty object', () => '{}'),

  // --- wrong JSON types and numbers for codes ------------------------------------------------
  badCode('code1 as the JSON number 271828', 271828),
  bad('code1 as the number 012345 (not JSON: leading zero)', (ctx) => {
    ctx.codes('012345');
    return '{"code1":012345,"code2":"314159"}';
  }),
  badCode('code1 as a float 271828.5', 271828.5),
  badCode('code1 as a boolean', true),
  badCode('code1 as an object', { value: '271828' }),
  badCode('code1 as an array', ['271828']),
  badCode('code1 as null', null),
  bad('serialNumber as a number', (ctx) => withCodes(ctx, { serialNumber: 111122223333 })),

  // --- Unicode and near-miss spellings -------------------------------------------------------
  badCode('full-width digits ２７１８２８', '２７１８２８'),
  badCode('Arabic-Indic digits ٢٧١٨٢٨', '٢٧١٨٢٨'),
  badCode('Devanagari digits २७१८२८', '२७१८२८'),
  badCode('"27 1828": the separator in the wrong place', '27 1828'),
  badCode('"271--828": two separators', '271--828'),
  badCode('"271 - 828": separator with spaces', '271 - 828'),
  badCode('"271_828": another separator', '271_828'),
  badCode('a no-break space between the halves', '271\u00a0828'),
  badCode('a leading no-break space (only ASCII white space is trimmed)', '\u00a0271828'),
  badCode('an ideographic space after the code', '271828\u3000'),
  badCode('a NUL inside the code', '271\u0000828'),
  badCode('a lone surrogate in the code', '27182\ud800'),
  badCode('seven digits', '2718281'),
  badCode('five digits', '27182'),
  badCode('a 10 000-character code', '1'.repeat(10_000)),
  badCode('letters that look like digits (O and l)', '12O45l'),
  bad('an overlong serialNumber (300 characters)', (ctx) => withCodes(ctx, { serialNumber: `arn:aws:iam::111122223333:mfa/${'a'.repeat(270)}` })),
  bad('a serialNumber with a wildcard', (ctx) => withCodes(ctx, { serialNumber: 'arn:aws:iam::111122223333:mfa/*' })),
  bad('a serialNumber with a newline', (ctx) => withCodes(ctx, { serialNumber: `${ctx.serial('alice', 'virtual')}\n` })),
  {
    name: 'identical codes',
    request: (ctx) => post(ctx, ctx.json({ code1: '271828', code2: '271828' })),
    status: 400,
    code: 'identical-codes',
    iam: 'never',
  },
  {
    name: 'codes identical only after normalisation ("271 828" and "271-828")',
    request: (ctx) => post(ctx, ctx.json({ code1: '271 828', code2: '\t271-828\n' })),
    status: 400,
    code: 'identical-codes',
    iam: 'never',
  },

  // --- accepted spellings (positive controls: IAM is reached and refuses wrong codes) --------
  acceptedSpelling('"271 828" and "314-159" are accepted and normalised', (ctx) => post(ctx, ctx.json({ code1: '271 828', code2: '314-159' }))),
  acceptedSpelling('surrounding ASCII white space is trimmed', (ctx) => post(ctx, ctx.json({ code1: ' \t271828\r\n', code2: '314159 ' }))),
  acceptedSpelling('an upper-case media type with a charset', (ctx) => post(ctx, ctx.json(WRONG), { contentType: 'APPLICATION/JSON; Charset=UTF-8' })),
  acceptedSpelling('a 1 MB body that is valid JSON (white space between members)', (ctx) =>
    post(ctx, `{"code1":"271828",${' '.repeat(1024 * 1024)}"code2":"314159"}`),
  ),
  // Duplicate keys: JSON.parse keeps the last. API Gateway's validator is not documented on
  // duplicates (local); the Lambda validates the parsed object itself, so no spelling slips by.
  acceptedSpelling('duplicate keys: the last code1 wins (local)', (ctx) => {
    ctx.codes('111111');
    return post(ctx, '{"code1":"111111","code1":"271828","code2":"314159"}');
  }),
  bad('duplicate keys where the last one is a number', (ctx) => {
    ctx.codes('111111');
    return '{"code1":"271828","code2":"314159","code2":111111}';
  }),
  // application/<x>+json is JSON (RFC 6839): the gateway has no model for it, so the Lambda's own schema decides.
  acceptedSpelling('application/json-patch+json with a valid body (the Lambda validates it)', (ctx) =>
    post(ctx, ctx.json(WRONG), { contentType: 'application/json-patch+json' }),
  ),
  bad('application/json-patch+json with an unknown field (refused by the Lambda, not the gateway)', (ctx) => withCodes(ctx, { userName: 'bob' }), {
    contentType: 'application/json-patch+json',
  }),
  bad('application/problem+json with a numeric code', (ctx) => ctx.json({ code1: 271828, code2: '314159' }), { contentType: 'application/problem+json' }),
  {
    name: 'real consecutive codes spelled "ddd ddd" and "ddd-ddd" resync the device',
    request: (ctx) => {
      const serialNumber = ctx.serial('alice', 'virtual');
      const [code1, code2] = [ctx.realCode(serialNumber, -1), ctx.realCode(serialNumber)];
      return post(ctx, ctx.json({ code1: `${code1.slice(0, 3)} ${code1.slice(3)}`, code2: `${code2.slice(0, 3)}-${code2.slice(3)}` }));
    },
    status: 200,
    iam: 'resync-once',
    auditSerial: (ctx) => ctx.serial('alice', 'virtual'),
    check: (answer, ctx) => expect(answer.json).toMatchObject({ status: 'resynchronized', userName: 'alice', serialNumber: ctx.serial('alice', 'virtual') }),
  },

  // --- unknown fields and prototype keys -----------------------------------------------------
  bad('an unknown field naming another user (userName: "bob")', (ctx) => withCodes(ctx, { userName: 'bob' })),
  bad('an unknown field iamUserName', (ctx) => withCodes(ctx, { iamUserName: 'bob' })),
  bad('a __proto__ key holding userName', () => '{"code1":"271828","code2":"314159","__proto__":{"userName":"bob"}}'),
  bad('a __proto__ key holding serialNumber', (ctx) => `{"code1":"271828","code2":"314159","__proto__":{"serialNumber":"${ctx.serial('bob', 'virtual')}"}}`),
  bad('a constructor key', (ctx) => withCodes(ctx, { constructor: { prototype: { userName: 'bob' } } })),
  bad('a prototype key', (ctx) => withCodes(ctx, { prototype: { admin: true } })),
  bad('a hasOwnProperty key', (ctx) => withCodes(ctx, { hasOwnProperty: 'x' })),

  // --- media types and encodings -------------------------------------------------------------
  unsupported('text/plain with a JSON body', 'text/plain', (ctx) => ctx.json(WRONG)),
  unsupported('a form body, as curl -d sends it', 'application/x-www-form-urlencoded', (ctx) => {
    ctx.codes('271828', '314159');
    return 'code1=271828&code2=314159';
  }),
  unsupported('no Content-Type with a JSON body', null, (ctx) => ctx.json(WRONG)),
  unsupported('multipart/form-data', 'multipart/form-data; boundary=x', (ctx) => {
    ctx.codes('271828');
    return '--x\r\nContent-Disposition: form-data; name="code1"\r\n\r\n271828\r\n--x--\r\n';
  }),
  unsupported('application/jsonx (not a JSON type)', 'application/jsonx', (ctx) => ctx.json(WRONG)),
  unsupported('application/xml', 'application/xml', (ctx) => {
    ctx.codes('271828', '314159');
    return '<resync><code1>271828</code1><code2>314159</code2></resync>';
  }),
  unsupported('a base64 body sent as text/plain', 'text/plain', (ctx) => Buffer.from(ctx.json(WRONG)).toString('base64')),
  bad('a base64 body with Content-Transfer-Encoding: base64 (never decoded: no binary media types)', (ctx) => Buffer.from(ctx.json(WRONG)).toString('base64'), {
    headers: { 'Content-Transfer-Encoding': 'base64' },
  }),
  bad('no body and no Content-Type', () => '', { contentType: null }),

  // --- size ----------------------------------------------------------------------------------
  {
    name: 'a body over 10 MB, before authentication',
    request: (ctx) => post(ctx, Buffer.alloc(TEN_MB + 1, 0x20), { authorization: null }),
    status: 413,
    code: 'payload-too-large',
    iam: 'never',
  },
  {
    name: 'a JSON body over 10 MB with a valid token',
    request: (ctx) => post(ctx, `{"code1":"271828","code2":"314159","pad":"${'x'.repeat(TEN_MB)}"}`),
    status: 413,
    code: 'payload-too-large',
    iam: 'never',
  },

  // --- header and query injection ------------------------------------------------------------
  { name: 'X-Forwarded-User: bob on the listing', request: (ctx) => get(ctx, LIST, { 'X-Forwarded-User': 'bob' }), status: 200, iam: 'no-resync', check: expectListingOf('alice') },
  { name: 'X-Amzn-Oidc-Identity: bob on the listing', request: (ctx) => get(ctx, LIST, { 'X-Amzn-Oidc-Identity': 'bob', 'X-Amzn-Oidc-Data': 'x.y.z' }), status: 200, iam: 'no-resync', check: expectListingOf('alice') },
  { name: 'a ?userName=bob query on the listing', request: (ctx) => get(ctx, `${LIST}?userName=bob&user=bob`), status: 200, iam: 'no-resync', check: expectListingOf('alice') },
  {
    name: "X-Forwarded-User: bob with bob's serial on resync",
    request: (ctx) => post(ctx, withCodes(ctx, { serialNumber: ctx.serial('bob', 'virtual') }), { headers: { 'X-Forwarded-User': 'bob', 'X-Remote-User': 'bob' } }),
    status: 404,
    code: 'device-not-found',
    iam: 'no-resync',
  },
  {
    name: "a ?serialNumber= query naming bob's device is ignored",
    request: (ctx) => post(ctx, withCodes(ctx, {}), { path: `${RESYNC}?serialNumber=${encodeURIComponent(ctx.serial('bob', 'virtual'))}&userName=bob` }),
    status: 422,
    code: 'invalid-codes',
    iam: 'resync-once',
    auditSerial: (ctx) => ctx.serial('alice', 'virtual'),
  },
  // Node's server keeps the first of repeated Authorization headers; what API Gateway does is unverified (local).
  {
    name: "a second Authorization header with bob's token (local: the first is used)",
    request: (ctx) => get(ctx, LIST, { Authorization: [ctx.token('alice'), ctx.token('bob')] }),
    status: 200,
    iam: 'no-resync',
    check: expectListingOf('alice'),
  },
  unauthenticated('a garbage Authorization header followed by a valid one (local: the first is used)', (ctx) => ['garbage', ctx.token('alice')]),
  {
    name: 'a forged x-amzn-RequestId header does not become the request id',
    request: (ctx) => get(ctx, LIST, { 'x-amzn-RequestId': 'forged-request-id' }),
    status: 200,
    iam: 'no-resync',
    check: (answer) => expect(answer.headers['x-amzn-requestid']).not.toBe('forged-request-id'),
  },

  // --- routes and methods --------------------------------------------------------------------
  noRoute('path traversal /v1/me/../users/bob/mfa-devices', 'GET', '/v1/me/../users/bob/mfa-devices'),
  noRoute('encoded traversal /v1/me/%2e%2e/users/bob/mfa-devices', 'GET', '/v1/me/%2e%2e/users/bob/mfa-devices'),
  noRoute('an encoded slash /v1/me/mfa-devices%2Fresync', 'POST', '/v1/me/mfa-devices%2Fresync', true),
  noRoute('a users route /v1/users/bob/mfa-devices', 'GET', '/v1/users/bob/mfa-devices'),
  noRoute('a trailing slash on resync', 'POST', `${RESYNC}/`, true),
  noRoute('upper-case path', 'GET', '/V1/ME/MFA-DEVICES'),
  noRoute('PUT on resync', 'PUT', RESYNC, true),
  noRoute('PATCH on resync', 'PATCH', RESYNC, true),
  noRoute('DELETE on the listing', 'DELETE', LIST),
  noRoute('GET on resync', 'GET', RESYNC),
  noRoute('an unversioned path', 'GET', '/me/mfa-devices'),
  {
    name: 'HEAD on the listing (no body on a HEAD answer)',
    request: (ctx) => ({ method: 'HEAD', path: LIST, headers: { Authorization: ctx.token('alice') } }),
    status: 404,
    iam: 'never',
    noBody: true,
  },

  // --- tokens --------------------------------------------------------------------------------
  unauthenticated('no Authorization header', () => null),
  unauthenticated('an empty Authorization header', () => ''),
  unauthenticated('"Bearer" and nothing else', () => 'Bearer '),
  unauthenticated('Basic credentials', () => `Basic ${Buffer.from('alice:password').toString('base64')}`),
  unauthenticated('the token in a cookie instead', () => null, { Cookie: 'id_token=placeholder' }),
  unauthenticated('a token signed with another key', (ctx) => ctx.forged(signedWithForeignKey(ctx.token('alice')))),
  unauthenticated('alg: none', (ctx) => ctx.forged(unsigned(ctx.token('alice')))),
  unauthenticated('alg: HS256 keyed with the public key (key confusion)', async (ctx) =>
    ctx.forged(await hs256WithPublicKey(ctx.token('alice'), ctx.session.jwksUri)),
  ),
  unauthenticated('the signature stripped', (ctx) => ctx.forged(`${ctx.token('alice').split('.').slice(0, 2).join('.')}.`)),
  unauthenticated('a tampered payload naming bob', (ctx) => ctx.forged(tampered(ctx.token('alice'), { 'custom:iam_username': 'bob' }))),
  unauthenticated('an expired token', (ctx) => ctx.mint({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', iat: nowSeconds() - 7200, exp: nowSeconds() - 60 })),
  unauthenticated('a token not valid before an hour from now', (ctx) => ctx.mint({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', nbf: nowSeconds() + 3600 })),
  unauthenticated('a wrong audience', (ctx) => ctx.mint({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', aud: 'someotherclientid000000000' })),
  unauthenticated('a wrong issuer', (ctx) => ctx.mint({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Evil' })),
  unauthenticated('an access token where ID tokens are expected', (ctx) => ctx.mint({ 'cognito:username': 'alice', 'custom:iam_username': 'alice', token_use: 'access' })),
  unauthenticated('the token with "Token " instead of "Bearer "', (ctx) => `Token ${ctx.token('alice')}`),
  // The contract accepts raw and Bearer; the authorizer's handling of extra spaces is unverified in AWS (local).
  acceptedSpelling('"Bearer" with extra spaces (local: accepted)', (ctx) => post(ctx, ctx.json(WRONG), { authorization: `Bearer    ${ctx.token('alice')}  ` })),
  {
    name: 'a machine token (no cognito:username) mapping to alice',
    request: async (ctx) => post(ctx, withCodes(ctx, {}), { authorization: await ctx.mint({ 'custom:iam_username': 'alice', client_id: 'machine-client' }) }),
    status: 403,
    code: 'forbidden',
    iam: 'never',
  },

  // --- mapping claims that are not IAM user names --------------------------------------------
  notMapped('mapping claim alice/../bob', 'alice/../bob'),
  notMapped('mapping claim "alice bob"', 'alice bob'),
  notMapped('mapping claim of 65 characters', 'a'.repeat(65)),
  notMapped('mapping claim *', '*'),
  notMapped('mapping claim alice* (a wildcard suffix)', 'alice*'),
  notMapped('mapping claim with a Unicode letter (alicé)', 'alicé'),
  notMapped('mapping claim with a full-width letter (ａlice)', 'ａlice'),
  notMapped('mapping claim with a trailing newline', 'alice\n'),
  notMapped('mapping claim that is empty', ''),
  notMapped('mapping claim that is a user ARN', 'arn:aws:iam::111122223333:user/bob'),
  notMapped('mapping claim that is a policy variable ${aws:username}', '${aws:username}'),
  notMapped('mapping claim that is a JSON object', { userName: 'bob' }),
  {
    name: 'no mapping claim at all',
    request: async (ctx) => post(ctx, withCodes(ctx, {}), { authorization: await ctx.mint({ 'cognito:username': 'mallory' }) }),
    status: 403,
    code: 'caller-not-mapped',
    iam: 'never',
  },
  // Flattened by the authorizer to "alice,bob", which is a well-formed IAM user name (commas
  // are allowed): IAM is asked, and no such user exists.
  {
    name: 'mapping claim as an array [alice, bob] (flattened to "alice,bob")',
    request: async (ctx) => post(ctx, withCodes(ctx, {}), { authorization: await ctx.mint({ 'cognito:username': 'mallory', 'custom:iam_username': ['alice', 'bob'] }) }),
    status: 404,
    code: 'user-not-found',
    iam: 'no-resync',
  },

  // --- other people's devices ----------------------------------------------------------------
  {
    name: "bob's virtual device named by alice",
    request: (ctx) => post(ctx, withCodes(ctx, { serialNumber: ctx.serial('bob', 'virtual') })),
    status: 404,
    code: 'device-not-found',
    iam: 'no-resync',
    auditSerial: (ctx) => ctx.serial('bob', 'virtual'),
    check: (answer) => expect(answer.text).not.toContain('bob'),
  },
  {
    name: "bob's hardware token named by alice",
    request: (ctx) => post(ctx, withCodes(ctx, { serialNumber: ctx.serial('bob', 'hardware') })),
    status: 404,
    code: 'device-not-found',
    iam: 'no-resync',
  },
  {
    name: "carol's FIDO key named by alice",
    request: (ctx) => post(ctx, withCodes(ctx, { serialNumber: ctx.serial('carol', 'fido') })),
    status: 404,
    code: 'device-not-found',
    iam: 'no-resync',
  },
  {
    name: "alice's serial with a different case",
    request: (ctx) => post(ctx, withCodes(ctx, { serialNumber: ctx.serial('alice', 'virtual').toUpperCase() })),
    status: 404,
    code: 'device-not-found',
    iam: 'no-resync',
  },
];
