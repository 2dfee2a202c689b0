// SPDX-License-Identifier: Apache-2.0
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { CODE_PATTERN, SERIAL_NUMBER_PATTERN } from '../../lambda/schemas/resync-request';
import { MfaResyncApi, type MfaResyncApiProps } from '../../lib/mfa-resync-api';
import { ACCESS_SCOPE, IMPORTED_POOL_ID, appWithoutBundling, onlyResource, synthStack } from './synth';

function methodFor(template: Template, httpMethod: string, pathPart: string): Record<string, any> {
  const resource = onlyResource(template, 'AWS::ApiGateway::Resource', { PathPart: pathPart });
  return onlyResource(template, 'AWS::ApiGateway::Method', { HttpMethod: httpMethod, ResourceId: { Ref: resource.id } }).properties;
}

function handlerPolicyStatements(template: Template): any[] {
  const role = onlyResource(template, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
  });
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role.id }] } });
  return Object.values(policies).flatMap((policy: any) => policy.Properties.PolicyDocument.Statement);
}

function executorRoleId(template: Template): string {
  return onlyResource(template, 'AWS::IAM::Role', { Description: Match.stringLikeRegexp('^mfa-resync executor:') }).id;
}

function userArn(pathWithoutLeadingSlash: string): object {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:user/${pathWithoutLeadingSlash}*`]],
  };
}

describe('routes and authorization', () => {
  const { template } = synthStack({ api: { allowedOrigins: ['https://portal.example.com'] } });
  const authorizer = onlyResource(template, 'AWS::ApiGateway::Authorizer');

  test.each([
    ['GET', 'mfa-devices'],
    ['POST', 'resync'],
  ])('%s on /%s uses the Cognito user pools authorizer', (httpMethod, pathPart) => {
    const method = methodFor(template, httpMethod, pathPart);
    expect(method.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(method.AuthorizerId).toEqual({ Ref: authorizer.id });
    expect(method.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
  });

  test('the routes live under /v1/me', () => {
    const v1 = onlyResource(template, 'AWS::ApiGateway::Resource', { PathPart: 'v1' });
    const me = onlyResource(template, 'AWS::ApiGateway::Resource', { PathPart: 'me', ParentId: { Ref: v1.id } });
    const devices = onlyResource(template, 'AWS::ApiGateway::Resource', { PathPart: 'mfa-devices', ParentId: { Ref: me.id } });
    onlyResource(template, 'AWS::ApiGateway::Resource', { PathPart: 'resync', ParentId: { Ref: devices.id } });
  });

  test.each(['mfa-devices', 'resync'])('the OPTIONS preflight on /%s needs no token and answers the allowed origin', (pathPart) => {
    const preflight = methodFor(template, 'OPTIONS', pathPart);
    expect(preflight.AuthorizationType).toBe('NONE');
    expect(preflight.AuthorizerId).toBeUndefined();
    expect(preflight.Integration.Type).toBe('MOCK');
    expect(JSON.stringify(preflight.Integration.IntegrationResponses)).toContain("'https://portal.example.com'");
  });

  test('without allowed origins there is no OPTIONS method at all', () => {
    const { template: noCors } = synthStack();
    expect(noCors.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } })).toEqual({});
  });

  test('the authorizer reads the Authorization header, does not cache (F-5.1.4) and checks the ID token audience (F-5.1.2)', () => {
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient');
    expect(authorizer.properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 0,
      IdentityValidationExpression: { 'Fn::Join': ['', ['^(', { Ref: client.id }, ')$']] },
    });
  });

  test('in ID-token mode the methods carry no OAuth scopes (F-5.1.1)', () => {
    expect(methodFor(template, 'GET', 'mfa-devices').AuthorizationScopes).toBeUndefined();
    expect(methodFor(template, 'POST', 'resync').AuthorizationScopes).toBeUndefined();
  });
});

describe('request validation', () => {
  const { template } = synthStack();
  const post = methodFor(template, 'POST', 'resync');
  const model = onlyResource(template, 'AWS::ApiGateway::Model');

  test('POST resync validates its body against the resync model', () => {
    const validator = onlyResource(template, 'AWS::ApiGateway::RequestValidator');
    expect(validator.properties).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
    expect(post.RequestValidatorId).toEqual({ Ref: validator.id });
    expect(post.RequestModels).toEqual({ 'application/json': { Ref: model.id } });
  });

  test('the model is the shared draft-4 schema: required codes, no additional properties, the shared patterns (F-5.5)', () => {
    const schema = model.properties.Schema;
    expect(model.properties.ContentType).toBe('application/json');
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['code1', 'code2']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(['code1', 'code2', 'serialNumber']);
    expect(schema.properties.code1).toEqual({ type: 'string', pattern: CODE_PATTERN, minLength: 6, maxLength: 64 });
    expect(schema.properties.code2.pattern).toBe(CODE_PATTERN);
    expect(schema.properties.serialNumber).toMatchObject({ type: 'string', pattern: SERIAL_NUMBER_PATTERN });
  });

  test('GET has no body model or validator', () => {
    const get = methodFor(template, 'GET', 'mfa-devices');
    expect(get.RequestModels).toBeUndefined();
    expect(get.RequestValidatorId).toBeUndefined();
  });
});

describe('gateway responses', () => {
  // Written out on purpose (not derived from lib/gateway-responses.ts) so a change there fails here.
  const EXPECTED: ReadonlyArray<[type: string, status: number, code: string]> = [
    ['UNAUTHORIZED', 401, 'unauthenticated'],
    ['EXPIRED_TOKEN', 401, 'unauthenticated'],
    ['INVALID_SIGNATURE', 401, 'unauthenticated'],
    ['ACCESS_DENIED', 403, 'forbidden'],
    ['INVALID_API_KEY', 403, 'forbidden'],
    ['WAF_FILTERED', 403, 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', 404, 'route-not-found'],
    ['RESOURCE_NOT_FOUND', 404, 'route-not-found'],
    ['BAD_REQUEST_BODY', 400, 'invalid-request'],
    ['BAD_REQUEST_PARAMETERS', 400, 'invalid-request'],
    ['UNSUPPORTED_MEDIA_TYPE', 415, 'unsupported-media-type'],
    ['REQUEST_TOO_LARGE', 413, 'payload-too-large'],
    ['THROTTLED', 429, 'rate-limited'],
    ['QUOTA_EXCEEDED', 429, 'rate-limited'],
    ['INTEGRATION_FAILURE', 503, 'upstream-unavailable'],
    ['INTEGRATION_TIMEOUT', 503, 'upstream-unavailable'],
    ['DEFAULT_4XX', 400, 'invalid-request'],
    ['DEFAULT_5XX', 500, 'internal-error'],
  ];
  const { template } = synthStack();

  test('exactly the expected response types are customised', () => {
    const types = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r: any) => r.Properties.ResponseType);
    expect(types.sort()).toEqual(EXPECTED.map(([type]) => type).sort());
  });

  test.each(EXPECTED)('%s answers %i application/problem+json with code %s', (type, status, code) => {
    const response = onlyResource(template, 'AWS::ApiGateway::GatewayResponse', { ResponseType: type }).properties;
    expect(response.StatusCode).toBe(String(status));
    expect(response.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/problem+json'");
    const body = JSON.parse(response.ResponseTemplates['application/json']);
    expect(body).toEqual({
      type: `urn:mfa-resync:problem:${code}`,
      title: expect.any(String),
      status,
      code,
      detail: expect.any(String),
      requestId: '$context.requestId',
    });
  });

  test.each(['THROTTLED', 'QUOTA_EXCEEDED'])('%s sets a Retry-After header', (type) => {
    const response = onlyResource(template, 'AWS::ApiGateway::GatewayResponse', { ResponseType: type }).properties;
    expect(response.ResponseParameters['gatewayresponse.header.Retry-After']).toMatch(/^'\d+'$/);
  });

  test('without allowed origins gateway responses carry no CORS headers', () => {
    const response = onlyResource(template, 'AWS::ApiGateway::GatewayResponse', { ResponseType: 'UNAUTHORIZED' }).properties;
    expect(Object.keys(response.ResponseParameters).filter((key) => key.includes('Access-Control'))).toEqual([]);
  });

  test('with one allowed origin every gateway response names it statically', () => {
    const { template: single } = synthStack({ api: { allowedOrigins: ['https://portal.example.com'] } });
    for (const response of Object.values(single.findResources('AWS::ApiGateway::GatewayResponse')) as any[]) {
      expect(response.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe("'https://portal.example.com'");
    }
  });

  test('with several allowed origins every gateway response echoes the request Origin and varies on it', () => {
    const { template: several } = synthStack({ api: { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] } });
    for (const response of Object.values(several.findResources('AWS::ApiGateway::GatewayResponse')) as any[]) {
      expect(response.Properties.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      });
      expect(response.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Credentials']).toBeUndefined();
    }
  });
});

describe('stage', () => {
  test('logs access as JSON to its own log group, executions at ERROR without data tracing (codes never reach a log), and throttles as a safety net', () => {
    const { template } = synthStack();
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage').properties;
    expect(stage.MethodSettings).toEqual([
      expect.objectContaining({
        ResourcePath: '/*',
        HttpMethod: '*',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
      }),
      // POST resync's own, stricter bucket; it repeats the logging settings (F-5.7.2).
      {
        ResourcePath: '/~1v1~1me~1mfa-devices~1resync',
        HttpMethod: 'POST',
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
        ThrottlingRateLimit: 5,
        ThrottlingBurstLimit: 10,
      },
    ]);
    const format = JSON.parse(stage.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', sub: '$context.authorizer.claims.sub' });
    expect(stage.AccessLogSetting.DestinationArn['Fn::GetAtt'][1]).toBe('Arn');
    const destination = template.toJSON().Resources[stage.AccessLogSetting.DestinationArn['Fn::GetAtt'][0]];
    expect(destination).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
    expect(stage.TracingEnabled).toBe(false);
  });

  test('throttling limits come from props', () => {
    const { template } = synthStack({
      api: { throttlingRateLimit: 2, throttlingBurstLimit: 4, resyncThrottlingRateLimit: 0.5, resyncThrottlingBurstLimit: 3 },
    });
    const stage = onlyResource(template, 'AWS::ApiGateway::Stage').properties;
    expect(stage.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 });
    expect(stage.MethodSettings[1]).toMatchObject({ HttpMethod: 'POST', ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 3 });
  });

  test('the execution log group is created first, with retention', () => {
    const { template } = synthStack();
    const executionLogs = onlyResource(template, 'AWS::Logs::LogGroup', { LogGroupName: Match.anyValue() });
    expect(JSON.stringify(executionLogs.properties.LogGroupName)).toContain('API-Gateway-Execution-Logs_');
    expect(executionLogs.properties.RetentionInDays).toBe(365);
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as any;
    expect(stage.DependsOn).toContain(executionLogs.id);
  });
});

describe('function', () => {
  test('runs Node.js 24 on arm64 with the ESM bundle, 15 s timeout and its own log group', () => {
    const { template } = synthStack();
    const fn = onlyResource(template, 'AWS::Lambda::Function').properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler', Timeout: 15, MemorySize: 512 });
    const logGroup = fn.LoggingConfig.LogGroup.Ref;
    expect(template.toJSON().Resources[logGroup]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
  });

  test('gets exactly the documented environment by default', () => {
    const { template } = synthStack();
    const fn = onlyResource(template, 'AWS::Lambda::Function').properties;
    expect(fn.Environment.Variables).toEqual({
      MAPPING_CLAIM: 'custom:iam_username',
      IAM_USER_PATH_PREFIX: '/',
      TOKEN_USE: 'id',
      IAM_BUDGET_MS: '8000',
      EXECUTOR_ROLE_ARN: { 'Fn::GetAtt': [executorRoleId(template), 'Arn'] },
      POWERTOOLS_SERVICE_NAME: 'mfa-resync',
      POWERTOOLS_METRICS_NAMESPACE: 'MfaResync',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
  });

  test('passes the optional settings through, and keeps the IAM budget below the timeout', () => {
    const { template } = synthStack({
      userPoolId: IMPORTED_POOL_ID,
      api: {
        tokenUse: 'access',
        requiredScope: ACCESS_SCOPE,
        mappingClaim: 'username',
        mappingPattern: '^([a-z]+)$',
        requiredGroup: 'mfa-self-service',
        allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
        iamUserPathPrefix: '/mfa-self-service/',
        iamBudget: Duration.seconds(5),
        logLevel: 'DEBUG',
        bindingTagKey: 'mfa-resync:sub',
        bindingClaim: 'sub',
        metricsNamespace: 'Security/MfaResync',
        reservedConcurrentExecutions: 5,
      },
    });
    const fn = onlyResource(template, 'AWS::Lambda::Function').properties;
    expect(fn.Environment.Variables).toEqual({
      MAPPING_CLAIM: 'username',
      MAPPING_PATTERN: '^([a-z]+)$',
      IAM_USER_PATH_PREFIX: '/mfa-self-service/',
      REQUIRED_GROUP: 'mfa-self-service',
      TOKEN_USE: 'access',
      REQUIRED_SCOPE: ACCESS_SCOPE,
      ALLOWED_ORIGINS: 'https://a.example.com,https://b.example.com',
      IAM_BUDGET_MS: '5000',
      EXECUTOR_ROLE_ARN: { 'Fn::GetAtt': [executorRoleId(template), 'Arn'] },
      BINDING_TAG_KEY: 'mfa-resync:sub',
      BINDING_CLAIM: 'sub',
      POWERTOOLS_SERVICE_NAME: 'mfa-resync',
      POWERTOOLS_METRICS_NAMESPACE: 'Security/MfaResync',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(Number(fn.Environment.Variables.IAM_BUDGET_MS)).toBeLessThan(fn.Timeout * 1000);
    expect(fn.ReservedConcurrentExecutions).toBe(5);
  });
});

describe('function role', () => {
  test('scoped mode (default): may only write its own logs and assume the executor role with a source identity (F-4.4.6), no IAM action', () => {
    const { template } = synthStack();
    const logGroup = onlyResource(template, 'AWS::Lambda::Function').properties.LoggingConfig.LogGroup.Ref;
    expect(handlerPolicyStatements(template)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
      {
        Sid: 'AssumeExecutorRoleWithSourceIdentity',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Resource: { 'Fn::GetAtt': [executorRoleId(template), 'Arn'] },
      },
    ]);
  });

  test('single-role mode: may only write its own logs and list/resync MFA devices of users under the default path', () => {
    const { template } = synthStack({ api: { scopedCredentials: false } });
    const logGroup = onlyResource(template, 'AWS::Lambda::Function').properties.LoggingConfig.LogGroup.Ref;
    expect(handlerPolicyStatements(template)).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
      {
        Sid: 'ListAndResyncMfaDevicesOfUsersUnderPath',
        Effect: 'Allow',
        Action: ['iam:ListMFADevices', 'iam:ResyncMFADevice'],
        Resource: userArn(''),
      },
    ]);
  });

  test('single-role mode is scoped to user/<path>* for a non-default path prefix (F-4.3)', () => {
    const { template } = synthStack({ api: { iamUserPathPrefix: '/mfa-self-service/team-a/', scopedCredentials: false } });
    const iamStatements = handlerPolicyStatements(template).filter((s) => JSON.stringify(s.Action).includes('iam:'));
    expect(iamStatements).toEqual([expect.objectContaining({ Action: ['iam:ListMFADevices', 'iam:ResyncMFADevice'], Resource: userArn('mfa-self-service/team-a/') })]);
  });

  test('has no managed policies (no AWSLambdaBasicExecutionRole) and no inline policies', () => {
    const { template } = synthStack();
    const role = onlyResource(template, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
    }).properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
  });

  test('no statement anywhere grants an IAM action on "*"', () => {
    for (const props of [{}, { api: { tracing: true } }]) {
      const { template } = synthStack(props);
      const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
      for (const statement of statements) {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat();
        if (actions.some((action: string) => action.startsWith('iam:') || action === '*')) {
          expect(resources).not.toContain('*');
        }
      }
    }
  });
});

describe('created user pool', () => {
  const { template } = synthStack({ api: { callbackUrls: ['https://portal.example.com/callback'] } });

  test('has the mapping attribute and secure defaults', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UsernameConfiguration: { CaseSensitive: false },
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true, RequireUppercase: true }) },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'iam_username', AttributeDataType: 'String' })]),
      }),
    });
  });

  test('no app client may write the mapping attribute (F-6.1.2, F-6.1.3)', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as any[];
    expect(clients.length).toBeGreaterThan(0);
    for (const client of clients) {
      const writable: string[] = client.Properties.WriteAttributes;
      expect(writable).toEqual(expect.any(Array));
      expect(writable.length).toBeGreaterThan(0); // unset or empty would fall back to Cognito's defaults
      expect(writable).not.toContain('custom:iam_username');
      expect(writable).not.toContain('email');
    }
  });

  test('the portal client is public and uses the authorization code grant only', () => {
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient').properties;
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://portal.example.com/callback'],
      ReadAttributes: expect.arrayContaining(['custom:iam_username']),
    });
  });

  test('the stack outputs the API URL, the pool and the client', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('UserPoolId', {});
    template.hasOutput('UserPoolClientId', {});
  });
});

describe('access-token mode', () => {
  test('puts the required scope and the user access-token scopes on both methods, and no audience check on the authorizer (F-5.1.1, F-5.1.2)', () => {
    const { template } = synthStack({ userPoolId: IMPORTED_POOL_ID, api: { tokenUse: 'access', requiredScope: ACCESS_SCOPE, mappingClaim: 'username' } });
    // Any user access token passes the authorizer; the function answers a missing
    // REQUIRED_SCOPE with 403 forbidden, as the contract says.
    const methodScopes = [ACCESS_SCOPE, 'aws.cognito.signin.user.admin', 'openid', 'email', 'phone', 'profile'];
    expect(methodFor(template, 'GET', 'mfa-devices').AuthorizationScopes).toEqual(methodScopes);
    expect(methodFor(template, 'POST', 'resync').AuthorizationScopes).toEqual(methodScopes);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TOKEN_USE: 'access', REQUIRED_SCOPE: ACCESS_SCOPE }) } });
    expect(onlyResource(template, 'AWS::ApiGateway::Authorizer').properties.IdentityValidationExpression).toBeUndefined();
  });

  test('with a created pool, creates the resource server scope and grants it to the portal client', () => {
    const { template } = synthStack({ api: { tokenUse: 'access', requiredScope: ACCESS_SCOPE, callbackUrls: ['https://portal.example.com/cb'] } });
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'mfa-resync',
      Scopes: [Match.objectLike({ ScopeName: 'self-service' })],
    });
    const client = onlyResource(template, 'AWS::Cognito::UserPoolClient').properties;
    expect(JSON.stringify(client.AllowedOAuthScopes)).toContain('/self-service');
  });

  test('warns when the mapping claim is one access tokens do not carry', () => {
    const { stack } = synthStack({ userPoolId: IMPORTED_POOL_ID, api: { tokenUse: 'access', requiredScope: ACCESS_SCOPE } });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('access tokens carry no'));
  });
});

describe('imported user pool', () => {
  const { template } = synthStack({ userPoolId: IMPORTED_POOL_ID, api: { allowedClientIds: ['abc123client'] } });

  test('creates no pool and no client, and authorizes against the imported pool', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    const authorizer = onlyResource(template, 'AWS::ApiGateway::Authorizer').properties;
    expect(JSON.stringify(authorizer.ProviderARNs)).toContain(`userpool/${IMPORTED_POOL_ID}`);
    expect(Object.keys(template.findOutputs('UserPoolClientId'))).toEqual([]);
  });

  test('restricts ID-token audiences to the given client IDs', () => {
    const expression = onlyResource(template, 'AWS::ApiGateway::Authorizer').properties.IdentityValidationExpression;
    expect(JSON.stringify(expression)).toContain('abc123client');
  });

  test('escapes each client ID, so a `+` in one matches only itself', () => {
    const { template: withPlus } = synthStack({ userPoolId: IMPORTED_POOL_ID, api: { allowedClientIds: ['abc+def', 'plain_1'] } });
    const expression = onlyResource(withPlus, 'AWS::ApiGateway::Authorizer').properties.IdentityValidationExpression;
    expect(expression).toBe('^(abc\\+def|plain_1)$');
    const audience = new RegExp(expression);
    expect(audience.test('abc+def')).toBe(true);
    expect(audience.test('plain_1')).toBe(true);
    // Unescaped, `c+` would be a quantifier and these would pass.
    expect(audience.test('abcdef')).toBe(false);
    expect(audience.test('abcccdef')).toBe(false);
  });
});

describe('prop validation', () => {
  function construct(props: MfaResyncApiProps): () => MfaResyncApi {
    return () => new MfaResyncApi(new Stack(appWithoutBundling(), 'ValidationTest'), 'Api', props);
  }
  const pool = (): MfaResyncApiProps['userPool'] =>
    cognito.UserPool.fromUserPoolId(new Stack(appWithoutBundling(), 'PoolScope'), 'Pool', IMPORTED_POOL_ID);

  test.each<[string, MfaResyncApiProps, RegExp]>([
    ['access mode without a scope', { tokenUse: 'access' }, /tokenUse 'access' requires requiredScope/],
    ['a scope in ID mode', { requiredScope: ACCESS_SCOPE }, /only valid with tokenUse 'access'/],
    ['a scope that is not a custom scope', { tokenUse: 'access', requiredScope: 'openid', callbackUrls: ['https://p.example.com/cb'] }, /must be a custom scope/],
    ['client IDs in access mode', { tokenUse: 'access', requiredScope: ACCESS_SCOPE, allowedClientIds: ['abc'] }, /only applies to tokenUse 'id'/],
    ['an empty client ID list', { allowedClientIds: [] }, /must not be empty/],
    ['a path prefix without a leading slash', { iamUserPathPrefix: 'team/' }, /must be an iam path/],
    ['a path prefix without a trailing slash', { iamUserPathPrefix: '/team' }, /must be an iam path/],
    ['a path prefix with a wildcard', { iamUserPathPrefix: '/te*am/' }, /must not contain '\*', '\?' or '\$'/],
    ['a path prefix with a policy variable', { iamUserPathPrefix: '/${aws:username}/' }, /must not contain/],
    ['a path prefix with a question mark', { iamUserPathPrefix: '/a?/' }, /must not contain/],
    ['an invalid mapping pattern', { mappingPattern: '([a-z' }, /mappingPattern must be a valid/],
    ['a mapping claim with white space', { mappingClaim: 'custom: x' }, /mappingClaim must be/],
    ['a group with a comma', { requiredGroup: 'a,b' }, /requiredGroup must be/],
    ['an origin with a path', { allowedOrigins: ['https://portal.example.com/app'] }, /allowedOrigins entries must be/],
    ['"*" mixed with origins', { allowedOrigins: ['*', 'https://a.example.com'] }, /must be the only entry/],
    ['a zero rate limit', { throttlingRateLimit: 0 }, /throttlingRateLimit must be/],
    ['a fractional burst', { throttlingBurstLimit: 1.5 }, /throttlingBurstLimit must be/],
    ['an authorizer cache over an hour', { authorizerResultsCacheTtl: Duration.hours(2) }, /authorizerResultsCacheTtl must be 0 to 3600/],
    ['an IAM budget at the timeout', { iamBudget: Duration.seconds(15) }, /iamBudget must be/],
    ['a plain-http callback URL', { callbackUrls: ['http://portal.example.com/cb'] }, /must be https/],
    ['access mode on a created pool without callback URLs', { tokenUse: 'access', requiredScope: ACCESS_SCOPE }, /needs callbackUrls/],
    ['a token validity over a day', { tokenValidity: Duration.days(2) }, /tokenValidity must be/],
    ['a binding tag key without a claim', { bindingTagKey: 'mfa-resync:sub' }, /bindingTagKey and bindingClaim go together/],
    ['a binding claim without a tag key', { bindingClaim: 'sub' }, /bindingTagKey and bindingClaim go together/],
    ['binding in single-role mode', { scopedCredentials: false, bindingTagKey: 'k', bindingClaim: 'sub' }, /require scopedCredentials/],
    ['a binding tag key in the aws: namespace', { bindingTagKey: 'aws:x', bindingClaim: 'sub' }, /bindingTagKey must be an IAM tag key/],
    ['a binding tag key with a comma', { bindingTagKey: 'a,b', bindingClaim: 'sub' }, /bindingTagKey must be an IAM tag key/],
    ['a binding claim with white space', { bindingTagKey: 'k', bindingClaim: 'a b' }, /bindingClaim must be/],
    ['a metrics namespace under AWS/', { metricsNamespace: 'AWS/Lambda' }, /metricsNamespace must be/],
    ['webAcl: true together with webAclArn', { webAcl: true, webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/a/b' }, /not both/],
    ['a CloudFront (global) web ACL ARN', { webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/a/b' }, /REGIONAL web ACL ARN/],
    ['a per-IP rate limit below WAF\'s minimum', { wafIpRateLimit: 5 }, /wafIpRateLimit must be a whole number from 10/],
    ['a fractional per-token rate limit', { wafTokenRateLimit: 20.5 }, /wafTokenRateLimit must be/],
    ['a 3-minute rate window', { wafRateWindow: Duration.minutes(3) }, /wafRateWindow must be 1, 2, 5 or 10 minutes/],
    ['WAF limits without a created web ACL', { webAcl: false, wafIpRateLimit: 200 }, /only applies to the web ACL the construct creates/],
    ['a zero resync rate limit', { resyncThrottlingRateLimit: 0 }, /resyncThrottlingRateLimit must be/],
    ['a zero resync burst', { resyncThrottlingBurstLimit: 0 }, /resyncThrottlingBurstLimit must be/],
    ['zero reserved concurrency', { reservedConcurrentExecutions: 0 }, /reservedConcurrentExecutions must be a whole number of at least 1/],
    ['fractional reserved concurrency', { reservedConcurrentExecutions: 1.5 }, /reservedConcurrentExecutions must be/],
    ['a zero alarm threshold', { alarmThresholds: { serverErrors: 0 } }, /alarmThresholds.serverErrors must be a positive number/],
    ['alarm thresholds with alarms off', { alarms: false, alarmThresholds: { invalidCodes: 5 } }, /only apply with alarms enabled/],
  ])('rejects %s', (_name, props, message) => {
    expect(construct(props)).toThrow(message);
  });

  test('rejects pool-creation settings together with an imported pool', () => {
    expect(construct({ userPool: pool(), callbackUrls: ['https://portal.example.com/cb'] })).toThrow(/only applies when the construct creates the user pool/);
  });

  test('accepts a path prefix with printable punctuation other than * ? $', () => {
    expect(construct({ iamUserPathPrefix: '/division_abc/sub-division.x/' })).not.toThrow();
  });

  test('the stack rejects userPoolId together with api.userPool', () => {
    expect(() => synthStack({ userPoolId: IMPORTED_POOL_ID, api: { userPool: pool() } })).toThrow(/either userPoolId or api.userPool/);
  });
});
