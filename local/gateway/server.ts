// SPDX-License-Identifier: Apache-2.0
/**
 * The local REST API: one HTTP server on 127.0.0.1 that does, in API Gateway's order, what the
 * deployed stage does (CONTRACT.md, "Checks happen in this order"):
 *
 * 1. route: no resource or method -> MISSING_AUTHENTICATION_TOKEN, customised to 404
 *    route-not-found (F-5.6.1); OPTIONS on a route with CORS -> the preflight mock, no token;
 * 2. size: a body over 10 MB -> 413 payload-too-large (F-5.9.1), counted while streaming;
 * 3. authorizer: -> 401 unauthenticated (F-5.1, ./authorizer);
 * 4. request validator: a body of a modelled content type that breaks the model -> 400
 *    invalid-request (BAD_REQUEST_BODY, F-5.5.1);
 * 5. the Lambda proxy integration with the deployed bundle (./lambda-runtime), whose result is
 *    returned as API Gateway returns it (./proxy-response); a function error, timeout or
 *    malformed result becomes the gateway's 5xx.
 *
 * Requests Node's parser refuses (an unknown method, oversized headers, bad syntax) get a
 * problem document as well (./client-error). Every response carries `x-amzn-RequestId`, the same
 * ID the function sees as `requestContext.requestId`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { close, listen, LOOPBACK } from '../net';
import type { ApiDefinition, Operation } from './api-definition';
import { createAuthorizer } from './authorizer';
import { createClientErrorHandler } from './client-error';
import { readBody } from './body';
import { authorizerClaims, type GroupsFormat } from './claims';
import { buildProxyEvent } from './event';
import { sendGatewayError, type GatewayResponseType } from './gateway-errors';
import type { LambdaRuntime } from './lambda-runtime';
import { sendPreflight } from './preflight';
import { toHttpResponse } from './proxy-response';
import { createBodyValidator, type BodyValidator } from './validator';

export interface GatewayOptions {
  readonly port: number;
  readonly api: ApiDefinition;
  readonly lambda: LambdaRuntime;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly allowedOrigins: readonly string[];
  readonly groupsFormat: GroupsFormat;
  readonly accountId: string;
  readonly apiId: string;
  /** Called once per request after the response is sent, for the stack's access log. */
  readonly onAccess?: (line: { method: string; path: string; status: number; requestId: string; ms: number }) => void;
}

export interface Gateway {
  readonly url: string;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { api } = options;
  const authorize = createAuthorizer({
    issuer: options.issuer,
    jwksUri: options.jwksUri,
    ...(api.identityValidationExpression === undefined ? {} : { audience: api.identityValidationExpression }),
  });
  const validators = new Map<Operation, BodyValidator>();
  for (const operation of api.operations) {
    if (Object.keys(operation.models).length > 0) validators.set(operation, createBodyValidator(operation.models));
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const origin = req.headers.origin;
    const fail = (type: GatewayResponseType): void => sendGatewayError(res, type, requestId, options.allowedOrigins, origin);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const operation = api.operations.find((candidate) => candidate.resource === url.pathname && candidate.method === req.method);
    if (operation === undefined) return fail('MISSING_AUTHENTICATION_TOKEN');
    if (operation.preflight !== undefined) return sendPreflight(res, operation.preflight, origin, requestId);

    const body = await readBody(req);
    if (!body.ok) return fail('REQUEST_TOO_LARGE');

    const claims = await authorize(req.headers.authorization, operation.scopes);
    if (claims === undefined) return fail('UNAUTHORIZED');

    const validate = validators.get(operation);
    if (validate !== undefined && !validate(req.headers['content-type'], body.body)) return fail('BAD_REQUEST_BODY');

    const event = buildProxyEvent({
      req,
      url,
      resource: operation.resource,
      stage: api.stage,
      requestId,
      claims: authorizerClaims(claims, options.groupsFormat),
      body: body.body,
      apiId: options.apiId,
      accountId: options.accountId,
    });
    // Read before the invocation: middleware may rewrite `event.headers` in place.
    const traceId = event.headers['X-Amzn-Trace-Id'] ?? '';
    const outcome = await options.lambda.invoke(event, randomUUID());
    if (outcome.kind === 'init-error') return fail('INTEGRATION_FAILURE');
    // A function error, a timeout ("Task timed out") and a malformed proxy result are all
    // answered by API Gateway from DEFAULT_5XX; the function's own output never reaches the client.
    if (outcome.kind !== 'result') return fail('DEFAULT_5XX');
    const response = toHttpResponse(outcome.result);
    if (response === undefined) return fail('DEFAULT_5XX');
    const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.toLowerCase() !== 'content-length'));
    res.writeHead(response.status, {
      ...headers,
      'Content-Length': response.body.length.toString(),
      'x-amzn-RequestId': requestId,
      'X-Amzn-Trace-Id': traceId,
    });
    res.end(response.body);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    const requestId = randomUUID();
    res.once('finish', () =>
      options.onAccess?.({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', status: res.statusCode, requestId, ms: Date.now() - started }),
    );
    handle(req, res, requestId).catch(() => {
      if (!res.headersSent) sendGatewayError(res, 'DEFAULT_5XX', requestId, options.allowedOrigins, req.headers.origin);
      else res.destroy();
    });
  });
  // Headers over API Gateway's 10,240-byte total are refused by the gateway too (F-5.9.1);
  // Node's default limit (16 KiB) is close enough not to matter for this API. What Node's parser
  // refuses (that, unknown methods, bad syntax) is answered with a problem document too.
  server.on(
    'clientError',
    createClientErrorHandler({
      allowedOrigins: options.allowedOrigins,
      onAnswer: ({ status, requestId, reason }) => options.onAccess?.({ method: '-', path: `(${reason})`, status, requestId, ms: 0 }),
    }),
  );
  const port = await listen(server, options.port);
  return { url: `http://${LOOPBACK}:${port}`, close: () => close(server) };
}
