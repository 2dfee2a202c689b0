// SPDX-License-Identifier: Apache-2.0
/**
 * Builds the Lambda proxy integration event (payload v1) the REST API sends for a request
 * (APIGW-DG `set-up-lambda-proxy-integrations.md`), including the parts handlers trip on:
 *
 * - `headers` keep the case the client sent; with repeated headers the last value wins there,
 *   and `multiValueHeaders` keeps them all; the same for query strings; both are `null` when empty;
 * - `body` is `null` for an empty body, else text. The API declares no binary media types, so
 *   API Gateway hands every body over as UTF-8 text with `isBase64Encoded: false`; bytes that are
 *   not UTF-8 arrive as U+FFFD, here as there;
 * - `requestContext.authorizer.claims` holds the claims flattened to strings (see ./claims);
 * - `path` is the resource path as called, `requestContext.path` adds the stage, as on the
 *   default execute-api domain.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface EventInput {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly resource: string;
  readonly stage: string;
  readonly requestId: string;
  readonly claims: Record<string, string>;
  readonly body: Buffer;
  readonly apiId: string;
  readonly accountId: string;
}

type Multi = Record<string, string[]>;

function headerMaps(req: IncomingMessage): { single: Record<string, string>; multi: Multi } {
  const single: Record<string, string> = {};
  const multi: Multi = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    // Names differing only in case are one header; the first spelling seen is kept.
    const key = Object.keys(multi).find((existing) => existing.toLowerCase() === name.toLowerCase()) ?? name;
    (multi[key] ??= []).push(value);
    single[key] = value;
  }
  return { single, multi };
}

function queryMaps(url: URL): { single: Record<string, string> | null; multi: Multi | null } {
  const multi: Multi = {};
  const single: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    (multi[name] ??= []).push(value);
    single[name] = value;
  }
  return Object.keys(multi).length === 0 ? { single: null, multi: null } : { single, multi };
}

/** `dd/MMM/yyyy:HH:mm:ss +0000`, the format of `requestContext.requestTime`. */
function requestTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => n.toString().padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export function buildProxyEvent(input: EventInput): APIGatewayProxyEvent {
  const { req, url } = input;
  const headers = headerMaps(req);
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const port = req.socket.localPort?.toString() ?? '';
  // API Gateway adds these on the way in (values as the client would see from its edge).
  const added: Record<string, string> = {
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': port,
    'X-Forwarded-Proto': 'http',
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  };
  for (const [name, value] of Object.entries(added)) {
    headers.single[name] = value;
    headers.multi[name] = [value];
  }
  const query = queryMaps(url);
  const now = new Date();
  const method = req.method ?? 'GET';
  return {
    resource: input.resource,
    path: url.pathname,
    httpMethod: method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiId,
      authorizer: { claims: input.claims },
      domainName: headers.single.Host ?? headers.single.host ?? `127.0.0.1:${port}`,
      domainPrefix: input.apiId,
      extendedRequestId: randomUUID(),
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp,
        user: null,
        userAgent: headers.single['User-Agent'] ?? headers.single['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${input.stage}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: input.requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: input.resource.replace(/[^a-z0-9]/gi, '').slice(-6).toLowerCase(),
      resourcePath: input.resource,
      stage: input.stage,
    },
    body: input.body.length === 0 ? null : input.body.toString('utf8'),
    isBase64Encoded: false,
  };
}
