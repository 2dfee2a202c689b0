// SPDX-License-Identifier: Apache-2.0
/**
 * The Lambda entry point (the bundle's entry): routing, body parsing and responses, nothing else.
 *
 * `createHandler` builds the middy chain over injected dependencies, so tests pass an in-memory
 * directory and a capturing logger; the exported `handler` is built once per container from the
 * environment with real IAM clients.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createIamClients, IamMfaDirectory } from './adapters/iam-directory';
import { loadConfig, type Config } from './config';
import type { MfaDirectory } from './domain/ports';
import { listMyDevices, resyncMyDevice, type ResyncAuditTrail } from './domain/use-cases';
import { HttpProblemError } from './http/http-errors';
import { createResyncBodyParser } from './http/request-body';
import { commonHeaders, jsonResponse, problemResponses, requestIdOf } from './http/responses';
import { createLogger } from './logger';

export interface HandlerDependencies {
  readonly directory: MfaDirectory;
  readonly config: Config;
  readonly logger: Logger;
}

export type ApiHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;

/** Time kept back from the function's remaining time so a timed-out IAM call can still be answered. */
export const RESPONSE_RESERVE_MS = 1000;

type Route = (event: APIGatewayProxyEvent, signal: AbortSignal) => Promise<APIGatewayProxyResult>;

export function createHandler({ directory, config, logger }: HandlerDependencies): ApiHandler {
  const parseResyncBody = createResyncBodyParser();
  const useCaseDependencies = { directory, identityPolicy: config };

  const routes: Readonly<Record<string, Route>> = {
    'GET /v1/me/mfa-devices': async (event, signal) =>
      jsonResponse(200, await listMyDevices(useCaseDependencies, event.requestContext.authorizer?.claims, signal)),

    'POST /v1/me/mfa-devices/resync': async (event, signal) => {
      const body = parseResyncBody(event);
      const requestId = requestIdOf(event);
      const auditTrail: ResyncAuditTrail = {
        record: (attempt) => logger.info('Resync attempt', { audit: { ...attempt, requestId } }),
      };
      const result = await resyncMyDevice(
        { ...useCaseDependencies, auditTrail },
        { claims: event.requestContext.authorizer?.claims, body, signal },
      );
      return jsonResponse(200, { status: 'resynchronized', ...result, requestId });
    },
  };

  const handleRequest = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const route = routes[`${event.httpMethod} ${event.resource}`];
    if (route === undefined) throw new HttpProblemError('route-not-found');
    // One budget for all IAM calls of this request, and never past the function's own timeout.
    const budgetMs = Math.max(1, Math.min(config.iamBudgetMs, context.getRemainingTimeInMillis() - RESPONSE_RESERVE_MS));
    return route(event, AbortSignal.timeout(budgetMs));
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    // logEvent is forced off: the event holds the token and the codes, whatever
    // POWERTOOLS_LOGGER_LOG_EVENT says. resetKeys drops per-request keys after each invocation.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use({ before: (request) => logger.setCorrelationId(requestIdOf(request.event)) })
    .use(httpHeaderNormalizer())
    .use(commonHeaders(config.allowedOrigins))
    .use(problemResponses(logger))
    .handler(handleRequest);
}

function createHandlerFromEnvironment(): ApiHandler {
  const config = loadConfig();
  const clients = createIamClients({
    region: config.region,
    budgetMs: config.iamBudgetMs,
    ...(config.iamEndpoint === undefined ? {} : { endpoint: config.iamEndpoint }),
  });
  return createHandler({ directory: new IamMfaDirectory(clients), config, logger: createLogger() });
}

export const handler = createHandlerFromEnvironment();
