// SPDX-License-Identifier: Apache-2.0
/**
 * The local stand-in for a Cognito user pool's token side: a JWKS, OpenID-style metadata and a
 * loopback-only token endpoint (CONTRACT.md, "Local stack").
 *
 * `POST /token` with a JSON object of claims answers `{ "idToken": "<jwt>" }`. When the stack runs
 * in access-token mode it also answers `accessToken`, built from the same claims (see
 * `accessTokenClaims`), so one request gives a test whichever token the gateway expects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { close, isLoopback, listen, LOOPBACK, readJson, sendJson } from '../net';
import { accessTokenClaims, idTokenClaims, type ClaimDefaults, type Claims } from './claims';
import { createSigningKey, type SigningKey } from './keys';

export interface IssuerOptions {
  readonly port: number;
  readonly clientId: string;
  readonly tokenUse: 'id' | 'access';
  /** Default `scope` of access tokens; the required scope in access mode. */
  readonly defaultScope: string;
  /** Lifetime of tokens whose claims give no `exp`; Cognito's default is one hour (F-5.1.5). */
  readonly ttlSeconds?: number;
}

export interface Issuer {
  readonly url: string;
  readonly jwksUri: string;
  readonly tokenEndpoint: string;
  readonly clientId: string;
  issueIdToken(claims: Claims, ttlSeconds?: number): Promise<string>;
  issueAccessToken(claims: Claims, ttlSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startIssuer(options: IssuerOptions): Promise<Issuer> {
  const idKey = await createSigningKey('local-id-key');
  const accessKey = await createSigningKey('local-access-key');
  const ttlSeconds = options.ttlSeconds ?? 3600;
  let url = '';
  const defaults = (ttl: number): ClaimDefaults => ({
    issuer: url,
    clientId: options.clientId,
    ttlSeconds: ttl,
    defaultScope: options.defaultScope,
  });
  const sign = (key: SigningKey, claims: Claims): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  const issueIdToken = (claims: Claims, ttl = ttlSeconds): Promise<string> => sign(idKey, idTokenClaims(defaults(ttl), claims));
  const issueAccessToken = (claims: Claims, ttl = ttlSeconds): Promise<string> =>
    sign(accessKey, accessTokenClaims(defaults(ttl), claims));

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendJson(res, 500, { error: 'server_error' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The server binds to loopback already; this is a second lock on a door that mints tokens.
    if (!isLoopback(req)) return sendJson(res, 403, { error: 'loopback_only' });
    const path = new URL(req.url ?? '/', url).pathname;
    if (req.method === 'GET' && path === '/.well-known/jwks.json') {
      return sendJson(res, 200, { keys: [idKey.jwk, accessKey.jwk] }, { 'cache-control': 'max-age=300' });
    }
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: url,
        jwks_uri: `${url}/.well-known/jwks.json`,
        token_endpoint: `${url}/token`,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
        response_types_supported: ['token'],
        token_use: options.tokenUse,
      });
    }
    if (req.method === 'POST' && path === '/token') {
      let claims: unknown;
      try {
        claims = await readJson(req);
      } catch {
        return sendJson(res, 400, { error: 'invalid_request', error_description: 'send a JSON object of claims' });
      }
      if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
        return sendJson(res, 400, { error: 'invalid_request', error_description: 'send a JSON object of claims' });
      }
      const given = claims as Claims;
      const idToken = await issueIdToken(given);
      return sendJson(res, 200, options.tokenUse === 'access' ? { idToken, accessToken: await issueAccessToken(given) } : { idToken });
    }
    return sendJson(res, 404, { error: 'not_found' });
  }

  const port = await listen(server, options.port);
  url = `http://${LOOPBACK}:${port}`;
  return {
    url,
    jwksUri: `${url}/.well-known/jwks.json`,
    tokenEndpoint: `${url}/token`,
    clientId: options.clientId,
    issueIdToken,
    issueAccessToken,
    close: () => close(server),
  };
}
