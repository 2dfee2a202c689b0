// SPDX-License-Identifier: Apache-2.0
/**
 * What the local gateway serves is read from the very construct that deploys the API
 * (`lib/mfa-resync-api.ts`), not restated here: the construct is instantiated in a throwaway
 * CDK app (no synth, no bundling, well under a second) and its CloudFormation resources are read
 * back. So routes, methods, authorization scopes, the request model API Gateway validates with,
 * the CORS preflight mock and the function's environment are the deployed ones by construction.
 */
import { App, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { MfaResyncApi, HANDLER_MEMORY_MB, HANDLER_TIMEOUT, type MfaResyncApiProps } from '../../lib/mfa-resync-api';

export interface Preflight {
  readonly status: number;
  /** Static header values of the mock integration response (quotes removed). */
  readonly headers: Readonly<Record<string, string>>;
  /** Further origins the response template echoes back instead of the static first origin. */
  readonly echoedOrigins: readonly string[];
}

export interface Operation {
  readonly resource: string;
  readonly method: string;
  readonly kind: 'lambda' | 'preflight';
  /** Method authorization scopes: present means the authorizer expects access tokens (F-5.1.1). */
  readonly scopes: readonly string[];
  /** Request models by content type, as JSON Schema objects. */
  readonly models: Readonly<Record<string, object>>;
  readonly preflight?: Preflight;
}

export interface ApiDefinition {
  readonly stage: string;
  readonly operations: readonly Operation[];
  /** Matched against an ID token's `aud` (F-5.1.2); absent: any audience of the pool. */
  readonly identityValidationExpression?: RegExp;
  readonly handlerEnvironment: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

export type ApiSettings = Omit<MfaResyncApiProps, 'userPool' | 'stageName'> & {
  readonly stageName: string;
  readonly region: string;
  readonly accountId: string;
  readonly userPoolId: string;
};

export function readApiDefinition(settings: ApiSettings): ApiDefinition {
  const { region, accountId, userPoolId, ...props } = settings;
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'LocalStack', { env: { account: accountId, region } });
  const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', userPoolId);
  const construct = new MfaResyncApi(stack, 'MfaResync', { ...props, userPool, createApiGatewayCloudWatchRole: false });
  const handlerEnvironment = localValues(construct.handlerEnvironment, accountId);

  const modelSchemas = new Map<string, object>();
  for (const child of construct.node.findAll()) {
    if (child instanceof apigateway.CfnModel) {
      modelSchemas.set(JSON.stringify(stack.resolve(child.ref)), withoutDraftMarker(stack.resolve(child.schema) as object));
    }
  }

  const operations: Operation[] = [];
  for (const child of construct.node.findAll()) {
    if (!(child instanceof apigateway.Method)) continue;
    const cfn = child.node.defaultChild as apigateway.CfnMethod;
    const integration = stack.resolve(cfn.integration) as apigateway.CfnMethod.IntegrationProperty;
    const models: Record<string, object> = {};
    for (const [type, ref] of Object.entries((stack.resolve(cfn.requestModels) ?? {}) as Record<string, unknown>)) {
      const schema = modelSchemas.get(JSON.stringify(ref));
      if (schema === undefined) throw new Error(`model of ${child.httpMethod} ${child.resource.path} not found`);
      models[type] = schema;
    }
    const isPreflight = integration.type === 'MOCK' && child.httpMethod === 'OPTIONS';
    operations.push({
      resource: child.resource.path,
      method: child.httpMethod,
      kind: isPreflight ? 'preflight' : 'lambda',
      scopes: (stack.resolve(cfn.authorizationScopes) ?? []) as string[],
      models,
      ...(isPreflight ? { preflight: readPreflight(integration) } : {}),
    });
  }

  const authorizer = construct.authorizer.node.defaultChild as apigateway.CfnAuthorizer;
  const expression = stack.resolve(authorizer.identityValidationExpression) as unknown;
  if (expression !== undefined && typeof expression !== 'string') throw new Error('identityValidationExpression did not resolve to a string');

  return {
    stage: settings.stageName,
    operations,
    ...(expression === undefined ? {} : { identityValidationExpression: new RegExp(expression) }),
    handlerEnvironment,
    timeoutMs: HANDLER_TIMEOUT.toMilliseconds(),
    memoryMb: HANDLER_MEMORY_MB,
  };
}

/** The local executor role: the emulator does not check roles, only the shape of the ARN matters. */
export const LOCAL_EXECUTOR_ROLE = 'mfa-resync-local-executor';

/**
 * The construct's environment holds deploy-time references (the executor role's ARN); they get
 * local stand-ins. Any other unresolved value is a new reference this file must learn about.
 */
function localValues(environment: Readonly<Record<string, string>>, accountId: string): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (!Token.isUnresolved(value)) resolved[name] = value;
    else if (name === 'EXECUTOR_ROLE_ARN') resolved[name] = `arn:aws:iam::${accountId}:role/${LOCAL_EXECUTOR_ROLE}`;
    else throw new Error(`the function environment variable ${name} is a deploy-time reference the local stack cannot resolve`);
  }
  return resolved;
}

/** Models are draft 4 (F-5.5.1); the keywords the shared schema may use mean the same in ajv's default draft. */
function withoutDraftMarker(schema: object): object {
  const { $schema: _draft, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** CDK's preflight is a mock integration: static headers plus a VTL template echoing listed origins. */
function readPreflight(integration: apigateway.CfnMethod.IntegrationProperty): Preflight {
  const responses = (integration.integrationResponses ?? []) as apigateway.CfnMethod.IntegrationResponseProperty[];
  const response = responses[0];
  if (response === undefined) throw new Error('preflight without an integration response');
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries((response.responseParameters ?? {}) as Record<string, string>)) {
    const name = key.replace(/^method\.response\.header\./, '');
    if (/^'.*'$/s.test(value)) headers[name] = value.slice(1, -1);
  }
  const template = ((response.responseTemplates ?? {}) as Record<string, string>)['application/json'] ?? '';
  const echoedOrigins = [...template.matchAll(/\$origin == "([^"]*)"/g)].map((match) => match[1] as string);
  return { status: Number(response.statusCode), headers, echoedOrigins };
}
