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
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createIamClientFactory, createIamClients, IamMfaDirectory } from './adapters/iam-directory';
import { ScopedDirectoryProvider } from './adapters/scoped-directory';
import { createStsClient, StsSessionIssuer } from './adapters/sts-sessions';
import { loadConfig, type Config } from './config';
import { singleRoleProvider } from './domain/access';
import type { MfaDirectory, MfaDirectoryProvider } from './domain/ports';
import { DomainError } from './domain/errors';
import { listMyDevices, refusedAttempt, resyncMyDevice, type ResyncAuditTrail } from './domain/use-cases';
import { HttpProblemError } from './http/http-errors';
import { createResyncBodyParser } from './http/request-body';
import { commonHeaders, jsonResponse, problemResponses, requestIdOf } from './http/responses';
import { createLogger } from './logger';
import { countOutcomes, createMetrics } from './metrics';

/**
 * `provider` decides where IAM credentials come from (scoped or single-role mode); `directory`
 * is the single-role shorthand: one directory for every caller. `metrics` defaults to
 * Powertools Metrics in `config.metricsNamespace`.
 */
export type HandlerDependencies = {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics?: Metrics;
} & ({ readonly provider: MfaDirectoryProvider; readonly directory?: never } | { readonly directory: MfaDirectory; readonly provider?: never });

export type ApiHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;

/** Time kept back from the function's remaining time so a timed-out IAM call can still be answered. */
export const RESPONSE_RESERVE_MS = 1000;

type Route = (event: APIGatewayProxyEvent, signal: AbortSignal) => Promise<APIGatewayProxyResult>;

export function createHandler(dependencies: HandlerDependencies): ApiHandler {
  const { config, logger } = dependencies;
  const metrics = dependencies.metrics ?? createMetrics(config.metricsNamespace);
  const parseResyncBody = createResyncBodyParser();
  const useCaseDependencies = {
    provider: dependencies.provider ?? singleRoleProvider(dependencies.directory),
    identityPolicy: config,
    accessPolicy: { iamUserPathPrefix: config.iamUserPathPrefix, ...(config.binding === undefined ? {} : { binding: config.binding }) },
  };

  const routes: Readonly<Record<string, Route>> = {
    'GET /v1/me/mfa-devices': async (event, signal) =>
      jsonResponse(200, await listMyDevices(useCaseDependencies, event.requestContext.authorizer?.claims, signal, requestIdOf(event))),

    'POST /v1/me/mfa-devices/resync': async (event, signal) => {
      const requestId = requestIdOf(event);
      const auditTrail: ResyncAuditTrail = {
        record: (attempt) => logger.info('Resync attempt', { audit: { ...attempt, requestId } }),
      };
      let body;
      try {
        body = parseResyncBody(event);
      } catch (error) {
        // A refused body is an attempt too: one audit line each, as for every other outcome.
        const outcome = error instanceof DomainError ? error.code : error instanceof HttpProblemError ? 'unsupported-media-type' : 'internal-error';
        auditTrail.record(refusedAttempt(event.requestContext.authorizer?.claims, outcome));
        throw error;
      }
      const result = await resyncMyDevice(
        { ...useCaseDependencies, auditTrail },
        { claims: event.requestContext.authorizer?.claims, body, signal, requestId },
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
    // Flushes once per invocation, after countOutcomes (registered later, so it runs earlier).
    .use(logMetrics(metrics))
    .use({ before: (request) => logger.setCorrelationId(requestIdOf(request.event)) })
    .use(httpHeaderNormalizer())
    .use(commonHeaders(config.allowedOrigins))
    // Registered before problemResponses, so it counts the final problem response.
    .use(countOutcomes(metrics))
    .use(problemResponses(logger))
    .handler(handleRequest);
}

/** The provider of the configured mode, with every client built once per container. */
export function createProvider(config: Config): MfaDirectoryProvider {
  const iamOptions = {
    region: config.region,
    budgetMs: config.iamBudgetMs,
    ...(config.iamEndpoint === undefined ? {} : { endpoint: config.iamEndpoint }),
  };
  if (config.scoped === undefined) return singleRoleProvider(new IamMfaDirectory(createIamClients(iamOptions)));
  const { scoped } = config;
  const sts = createStsClient({
    region: config.region,
    budgetMs: config.iamBudgetMs,
    ...(scoped.stsEndpoint === undefined ? {} : { endpoint: scoped.stsEndpoint }),
  });
  return new ScopedDirectoryProvider({
    sessions: new StsSessionIssuer(sts, scoped.executorRoleArn),
    clientsFor: createIamClientFactory(iamOptions),
    scope: { partition: scoped.partition, account: scoped.accountId, pathPrefix: config.iamUserPathPrefix },
  });
}

function createHandlerFromEnvironment(): ApiHandler {
  const config = loadConfig();
  return createHandler({ provider: createProvider(config), config, logger: createLogger() });
}

export const handler = createHandlerFromEnvironment();
