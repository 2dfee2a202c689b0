// SPDX-License-Identifier: Apache-2.0
/**
 * `MfaResyncApi`: the whole self-service MFA resync service as one construct.
 *
 * REST API (v1 routes) -> Cognito User Pools authorizer -> one Lambda (proxy integration) that
 * maps the verified caller to their IAM user and calls IAM ListMFADevices / ResyncMFADevice.
 * The construct owns the security-relevant glue together, so a caller cannot get one part
 * without the other: the function's IAM boundary and its IAM_USER_PATH_PREFIX, the
 * authorizer's token mode and the function's TOKEN_USE, the CORS allow-list of the preflight,
 * the gateway responses and the function. By default the function holds no IAM permission
 * itself: it assumes an executor role per request with a one-user session policy (policies in
 * lib/iam-policies.ts), and a WAF web ACL (lib/abuse-controls.ts) and CloudWatch alarms
 * (lib/alarms.ts) guard the stage. docs/security.md describes the model.
 */
import { Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PROBLEMS, PROBLEM_CONTENT_TYPE } from '../lambda/http/problems';
import { resyncRequestSchema } from '../lambda/schemas/resync-request';
import {
  GATEWAY_ERROR_RESPONSES,
  GATEWAY_EXPOSED_HEADERS,
  gatewayAllowOrigin,
  gatewayResponseBodyTemplate,
} from './gateway-responses';
import { MfaResyncWebAcl, WAF_RULE_NAMES } from './abuse-controls';
import { MfaResyncAlarms } from './alarms';
import {
  EXECUTOR_MAX_SESSION_SECONDS,
  executorRolePolicy,
  executorTrustPolicy,
  iamUserArnPattern,
  scopedFunctionPolicy,
  singleRoleFunctionPolicy,
  type PolicyDocumentJson,
  type UserScope,
} from './iam-policies';
import { toApiGatewayModelSchema } from './json-schema-model';
import { DEPS_LOCK_FILE, HANDLER_ENTRY, PROJECT_ROOT, nodejsFunctionBundling } from './lambda-bundling';
import {
  HANDLER_MEMORY_MB,
  HANDLER_TIMEOUT,
  MAPPING_ATTRIBUTE_NAME,
  SERVICE_NAME,
  type HandlerEnvironment,
  type MfaResyncApiProps,
} from './mfa-resync-api-props';
import { buildHandlerEnvironment, validateProps, warnAboutAccessTokenClaims, type ValidatedSettings } from './mfa-resync-api-validation';

// The props, their types and defaults live in lib/mfa-resync-api-props.ts; re-exported so that
// importers of this module keep one entry point.
export * from './mfa-resync-api-props';

/**
 * The scopes Cognito puts in access tokens of *users* (never in client-credentials tokens, which
 * carry custom scopes only, F-6.3.1/F-6.3.2): `aws.cognito.signin.user.admin` in every token from
 * the user-pools API sign-in (InitiateAuth/SRP, which never adds custom scopes), and the OIDC
 * scopes `openid`, `email`, `phone`, `profile` a hosted-UI/OAuth sign-in may be granted.
 * Sources: Cognito developer guide, "Understanding the access token" and "The user attributes
 * endpoint" (API sign-in tokens carry no OIDC scopes); re:Post knowledge-center article
 * api-calls-access-tokens-custom-scopes (InitiateAuth/AdminInitiateAuth access tokens carry no
 * custom scopes); CreateUserPoolClient `AllowedOAuthScopes` (the reserved scope values).
 */
export const USER_ACCESS_TOKEN_SCOPES = ['aws.cognito.signin.user.admin', 'openid', 'email', 'phone', 'profile'] as const;

/**
 * The method scopes in access-token mode: the required scope plus every scope of a user access
 * token. Why: API Gateway's Cognito authorizer passes an access token if ANY method scope is in
 * its `scope` and answers 401 otherwise (F-5.1.1). With the required scope alone, a signed-in
 * user whose token lacks it would get 401 `unauthenticated`, but the contract says a missing
 * scope is 403 `forbidden`. With these scopes every user access token of the pool reaches the
 * function, which checks `REQUIRED_SCOPE` (403 `forbidden` without it) and refuses tokens with no
 * user name (machine tokens, F-6.3.2). What still stops at the gateway with 401: a token with
 * none of these scopes, i.e. a client-credentials token whose custom scopes do not include the
 * required one (only custom scopes can be in it, F-6.3.1). The authorizer still verifies
 * signature, issuer, expiry and `token_use` for every token; only the scope decision moves into
 * the function (one place, the same check as before, reached by more requests: throttling and
 * the WAF apply before it).
 */
export function methodAuthorizationScopes(requiredScope: string): string[] {
  return [requiredScope, ...USER_ACCESS_TOKEN_SCOPES];
}

export class MfaResyncApi extends Construct {
  /** The REST API; `api.url` is the stage URL the `/v1/...` routes hang under. */
  public readonly api: apigateway.RestApi;
  /** The pool whose tokens are accepted (created or imported). */
  public readonly userPool: cognito.IUserPool;
  /** The portal app client, when the construct created the pool. */
  public readonly userPoolClient?: cognito.UserPoolClient;
  public readonly authorizer: apigateway.CognitoUserPoolsAuthorizer;
  public readonly handler: NodejsFunction;
  public readonly handlerRole: iam.Role;
  public readonly handlerLogGroup: logs.LogGroup;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly executionLogGroup: logs.LogGroup;
  public readonly resyncRequestModel: apigateway.Model;
  public readonly bodyValidator: apigateway.RequestValidator;
  public readonly listDevicesMethod: apigateway.Method;
  public readonly resyncMethod: apigateway.Method;
  /** The only IAM resource pattern ever acted on: `arn:<partition>:iam::<account>:user<prefix>*`. */
  public readonly iamUserArnPattern: string;
  /** The role the function assumes per request (scoped credentials only). */
  public readonly executorRole?: iam.Role;
  /** The web ACL the construct created, if it did. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The association of a web ACL (created or given) with the stage. */
  public readonly webAclAssociation?: wafv2.CfnWebACLAssociation;
  public readonly alarms?: MfaResyncAlarms;
  /** The environment given to the function (also what the local stack should set). */
  public readonly handlerEnvironment: HandlerEnvironment;

  constructor(scope: Construct, id: string, props: MfaResyncApiProps = {}) {
    super(scope, id);
    const settings = validateProps(props);
    warnAboutAccessTokenClaims(this, settings.tokenUse, settings.mappingClaim);
    const stack = Stack.of(this);

    // --- Cognito ---------------------------------------------------------------------------
    let allowedClientIds = props.allowedClientIds;
    if (props.userPool) {
      this.userPool = props.userPool;
    } else {
      const created = this.createUserPool(props, settings);
      this.userPool = created.userPool;
      this.userPoolClient = created.client;
      allowedClientIds ??= settings.tokenUse === 'id' ? [created.client.userPoolClientId] : undefined;
    }

    // --- Function ----------------------------------------------------------------------------
    this.handlerLogGroup = new logs.LogGroup(this, 'HandlerLogs', { retention: settings.logRetention });
    this.handlerRole = this.createHandlerRole(settings);

    // Built from the stack's partition and account (tokens when environment-agnostic), so the
    // stack works in any partition and account; `user<prefix>*` is the whole boundary
    // (F-4.1.1, F-4.3). The policies themselves come from lib/iam-policies.ts (one source).
    const userScope: UserScope = { partition: stack.partition, account: stack.account, pathPrefix: settings.iamUserPathPrefix };
    this.iamUserArnPattern = iamUserArnPattern(userScope);
    const wildcardFinding = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user${settings.iamUserPathPrefix}*]`;
    let executorRoleArn: string | undefined;
    if (settings.scopedCredentials) {
      this.executorRole = this.createExecutorRole(userScope, wildcardFinding);
      executorRoleArn = this.executorRole.roleArn;
      addStatements(this.handlerRole, scopedFunctionPolicy(this.executorRole.roleArn));
    } else {
      addStatements(this.handlerRole, singleRoleFunctionPolicy(userScope));
      Validations.of(this.handlerRole).acknowledge({
        id: wildcardFinding,
        reason:
          'Single-role mode (scopedCredentials: false, the deployer\'s opt-out): the wildcard is the deliberate path boundary (iamUserPathPrefix); the caller\'s IAM user is only known per request, from verified token claims, so the role must cover every user under the path; only the two MFA actions are allowed on it, and `*` matching `/` is intended (F-4.3.1).',
      });
    }

    this.handlerEnvironment = buildHandlerEnvironment(settings, executorRoleArn);
    this.handler = this.createHandler(settings);

    // --- REST API ----------------------------------------------------------------------------
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: settings.logRetention });
    this.api = this.createRestApi(settings);

    // API Gateway creates the execution log group itself, without retention; creating it first
    // (and making the stage wait for it) applies our retention.
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: Fn.join('', ['API-Gateway-Execution-Logs_', this.api.restApiId, '/', settings.stageName]),
      retention: settings.logRetention,
    });
    this.api.deploymentStage.node.addDependency(this.executionLogGroup);

    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
      resultsCacheTtl: settings.authorizerResultsCacheTtl,
    });
    if (settings.tokenUse === 'id' && allowedClientIds !== undefined) {
      this.restrictIdTokenAudience(allowedClientIds);
    }

    this.resyncRequestModel = this.api.addModel('ResyncRequestModel', {
      contentType: 'application/json',
      modelName: 'ResyncRequest',
      description: 'POST /v1/me/mfa-devices/resync body (lambda/schemas/resync-request.ts)',
      schema: toApiGatewayModelSchema(resyncRequestSchema),
    });
    // Parameters too: the methods declare no required parameters today, so it costs nothing,
    // and a parameter added later is validated without anyone remembering to (cdk-nag APIG2).
    this.bodyValidator = this.api.addRequestValidator('BodyValidator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const routes = this.addRoutes(settings);
    this.listDevicesMethod = routes.listDevicesMethod;
    this.resyncMethod = routes.resyncMethod;

    this.addGatewayResponses(settings.allowedOrigins);

    // --- Abuse controls ----------------------------------------------------------------------
    let createdWebAcl: MfaResyncWebAcl | undefined;
    if (settings.createWebAcl) {
      createdWebAcl = new MfaResyncWebAcl(this, 'Waf', {
        ipRateLimit: settings.wafIpRateLimit,
        tokenRateLimit: settings.wafTokenRateLimit,
        rateWindowSeconds: settings.wafRateWindowSeconds,
        corsHeaders: wafCorsHeaders(settings.allowedOrigins),
      });
      this.webAcl = createdWebAcl.webAcl;
    }
    const webAclArn = this.webAcl?.attrArn ?? settings.webAclArn;
    if (webAclArn !== undefined) {
      this.webAclAssociation = new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn,
      });
      // F-5.8.1: stageArn is a computed string, not an attribute, so without this the
      // association may be created before the stage and fail on the first deploy.
      this.webAclAssociation.node.addDependency(this.api.deploymentStage);
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'The deployer opted out of the web ACL (webAcl: false): per-caller rate limits are then absent; the stage and method throttles, the Cognito authorizer and the request validator still guard the API.',
      });
    }

    if (settings.alarms) {
      this.alarms = this.createAlarms(settings, props.alarmTopic, createdWebAcl);
    }
  }

  /** The function's own role: its log group, plus the IAM access the constructor adds. */
  private createHandlerRole(settings: ValidatedSettings): iam.Role {
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: settings.scopedCredentials
        ? 'mfa-resync handler: writes its own logs and assumes the executor role with a source identity; no IAM actions'
        : 'mfa-resync handler: writes its own logs, lists and resyncs MFA devices of IAM users under one path',
    });
    // Instead of the managed AWSLambdaBasicExecutionRole (logs on every log group of the
    // account): create-stream and put-events on this function's own log group only.
    this.handlerLogGroup.grantWrite(role);
    return role;
  }

  /** The Lambda function (proxy integration target), with the role and environment built above. */
  private createHandler(settings: ValidatedSettings): NodejsFunction {
    const handler = new NodejsFunction(this, 'Handler', {
      description: 'mfa-resync: lists and resynchronises the verified caller\'s own IAM MFA devices',
      entry: HANDLER_ENTRY,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: DEPS_LOCK_FILE,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: HANDLER_MEMORY_MB,
      timeout: HANDLER_TIMEOUT,
      role: this.handlerRole,
      logGroup: this.handlerLogGroup,
      environment: { ...this.handlerEnvironment },
      bundling: nodejsFunctionBundling(),
      tracing: settings.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      ...(settings.reservedConcurrentExecutions === undefined ? {} : { reservedConcurrentExecutions: settings.reservedConcurrentExecutions }),
    });
    if (settings.tracing) {
      Validations.of(this.handlerRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Opt-in X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on `*`; no IAM action is on `*`.',
      });
    }
    return handler;
  }

  /** The regional REST API and its stage: access and execution logging, stage and method throttles. */
  private createRestApi(settings: ValidatedSettings): apigateway.RestApi {
    const api = new apigateway.RestApi(this, 'Api', {
      description: 'Self-service resynchronisation of drifted IAM MFA devices',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: settings.createApiGatewayCloudWatchRole,
      // The role is account-wide; deleting it with this stack would break the execution
      // logging of every other API in the account and region.
      cloudWatchRoleRemovalPolicy: settings.createApiGatewayCloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      deployOptions: {
        stageName: settings.stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: accessLogFormat(),
        // Execution logs at ERROR, not INFO: at INFO a failed request validation logs the
        // validator's message, which can quote the offending value (e.g. a 7-digit code), and
        // data tracing being off does not suppress it. Codes must never reach a log. ERROR still
        // satisfies cdk-nag AwsSolutions-APIG6; the JSON access log (no bodies) records every
        // request. Data tracing stays off because request bodies contain MFA codes.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: settings.tracing,
        throttlingRateLimit: settings.throttlingRateLimit,
        throttlingBurstLimit: settings.throttlingBurstLimit,
        // POST resync's own, stricter bucket (F-5.7.2: `{resource_path}/{http_method}`). A
        // method setting replaces the stage-wide one for that method, so it repeats the
        // logging and metrics settings rather than leaving them to defaults.
        methodOptions: {
          [RESYNC_METHOD_SETTINGS_KEY]: {
            // ERROR, as the stage: this is the method whose body carries the codes.
            loggingLevel: apigateway.MethodLoggingLevel.ERROR,
            dataTraceEnabled: false,
            metricsEnabled: true,
            throttlingRateLimit: settings.resyncThrottlingRateLimit,
            throttlingBurstLimit: settings.resyncThrottlingBurstLimit,
          },
        },
      },
    });
    if (settings.createApiGatewayCloudWatchRole) {
      Validations.of(api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The API Gateway CloudWatch role is one per account and region and serves the execution logs of every REST API there; AWS\'s managed policy is the documented one, and a policy scoped to this API would break the others\' logging.',
      });
    }
    return api;
  }

  /** The v1 routes (GET mfa-devices, POST mfa-devices/resync) on the function, and their CORS preflights. */
  private addRoutes(settings: ValidatedSettings): { listDevicesMethod: apigateway.Method; resyncMethod: apigateway.Method } {
    const integration = new apigateway.LambdaIntegration(this.handler, {
      proxy: true,
      // No extra invoke permission for the console's test-invoke stage.
      allowTestInvoke: false,
    });
    const authorization: apigateway.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      // Access mode: the required scope plus the scopes of user access tokens, so that the
      // function answers a missing scope with 403 `forbidden` (see methodAuthorizationScopes).
      ...(settings.requiredScope === undefined ? {} : { authorizationScopes: methodAuthorizationScopes(settings.requiredScope) }),
    };

    const devices = this.api.root.addResource('v1').addResource('me').addResource('mfa-devices');
    const resync = devices.addResource('resync');
    const listDevicesMethod = devices.addMethod('GET', integration, authorization);
    // API Gateway validates a body only when its Content-Type matches a model's content type
    // ("if no matching content type is found, request validation is not performed", AWS
    // request-validation docs), so a form-encoded body passes to the handler, which answers
    // 415 as the contract says; a JSON body that breaks the schema is the gateway's 400.
    const resyncMethod = resync.addMethod('POST', integration, {
      ...authorization,
      requestValidator: this.bodyValidator,
      requestModels: { 'application/json': this.resyncRequestModel },
    });

    if (settings.allowedOrigins.length > 0) {
      this.addCorsPreflight(devices, ['GET'], settings.allowedOrigins);
      this.addCorsPreflight(resync, ['POST'], settings.allowedOrigins);
    }
    return { listDevicesMethod, resyncMethod };
  }

  /** The CloudWatch alarms on the stage, the function and the created web ACL's rate rules. */
  private createAlarms(
    settings: ValidatedSettings,
    alarmTopic: sns.ITopic | undefined,
    createdWebAcl: MfaResyncWebAcl | undefined,
  ): MfaResyncAlarms {
    return new MfaResyncAlarms(this, 'Alarms', {
      namespace: settings.metricsNamespace,
      serviceName: SERVICE_NAME,
      thresholds: settings.alarmThresholds,
      stage: this.api.deploymentStage,
      handler: this.handler,
      ...(createdWebAcl && this.webAcl
        ? {
            webAcl: {
              // Ref of a web ACL is `name|id|scope`; its metrics carry the name.
              name: Fn.select(0, Fn.split('|', this.webAcl.ref)),
              rateRuleMetricNames: [WAF_RULE_NAMES.ipRate, WAF_RULE_NAMES.tokenRate].map((rule) => `${createdWebAcl.metricPrefix}${rule}`),
            },
          }
        : {}),
      ...(alarmTopic ? { topic: alarmTopic } : {}),
    });
  }

  /**
   * The executor role (scoped credentials): the IAM actions live here, and only the function
   * role may assume it, always with a SourceIdentity. Policies from lib/iam-policies.ts.
   */
  private createExecutorRole(userScope: UserScope, wildcardFinding: string): iam.Role {
    const role = new iam.Role(this, 'ExecutorRole', {
      // Replaced below by the trust policy from lib/iam-policies.ts; the L2 needs a principal.
      assumedBy: new iam.ArnPrincipal(this.handlerRole.roleArn),
      description: 'mfa-resync executor: assumed per request by the handler with a one-user session policy and a source identity',
      // Role chaining caps the session at 1 h anyway (F-4.4.3); the function asks for 900 s.
      maxSessionDuration: Duration.seconds(EXECUTOR_MAX_SESSION_SECONDS),
      inlinePolicies: { ExecutorPolicy: iam.PolicyDocument.fromJson(executorRolePolicy(userScope)) },
    });
    (role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = executorTrustPolicy(this.handlerRole.roleArn);
    Validations.of(role).acknowledge({
      id: wildcardFinding,
      reason:
        'The wildcard is the deliberate path boundary (iamUserPathPrefix), and only the union of what the per-request sessions may do: each AssumeRole passes a session policy (F-4.4.1) that allows only iam:GetUser under the path, or only the two MFA actions on the caller\'s exact, escaped user ARN; only the function role may assume this role, with a source identity. IAM does not enforce the presence of a session policy (the trust policy cannot require one, F-4.4.1): it is the function\'s code that always passes one, so code running inside the function could assume this role without one and act on every user under the path; docs/security.md says what scoped mode does and does not protect against.',
    });
    return role;
  }

  private createUserPool(
    props: MfaResyncApiProps,
    settings: ValidatedSettings,
  ): { userPool: cognito.UserPool; client: cognito.UserPoolClient } {
    const userPool = new cognito.UserPool(this, 'UserPool', {
      // Administrators create users and set their mapping; nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: false, mutable: true } },
      customAttributes: {
        // Mutable so an administrator can correct a mapping (AdminUpdateUserAttributes is an
        // IAM-authorised admin API). No app client may write it (F-6.1.2): see writeAttributes.
        [MAPPING_ATTRIBUTE_NAME]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: settings.userPoolFeaturePlan,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (settings.userPoolFeaturePlan !== cognito.FeaturePlan.PLUS) {
      Validations.of(userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus plan (threat protection) is priced per monthly active user; the plan is a deployer\'s choice (userPoolFeaturePlan). TOTP MFA is required for every user regardless.',
      });
    }

    let resourceServerScope: cognito.OAuthScope | undefined;
    if (settings.requiredScope !== undefined) {
      const separator = settings.requiredScope.lastIndexOf('/');
      const scopeName = settings.requiredScope.slice(separator + 1);
      const scope = new cognito.ResourceServerScope({ scopeName, scopeDescription: 'List and resync your own IAM MFA devices' });
      const resourceServer = userPool.addResourceServer('ResourceServer', {
        identifier: settings.requiredScope.slice(0, separator),
        scopes: [scope],
      });
      resourceServerScope = cognito.OAuthScope.resourceServer(resourceServer, scope);
    }

    const callbackUrls = props.callbackUrls ?? [];
    const readable = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true, preferredUsername: true })
      .withCustomAttributes(MAPPING_ATTRIBUTE_NAME);
    // Explicit on every client: CDK's default lets a client write all standard and custom
    // attributes (F-6.1.3), which would let a user repoint their own mapping (F-6.1.2). Email
    // is left out too, since a mapping pattern may read it.
    const writable = new cognito.ClientAttributes().withStandardAttributes({ fullname: true, locale: true, timezone: true });
    const client = userPool.addClient('PortalClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: settings.tokenValidity,
      accessTokenValidity: settings.tokenValidity,
      refreshTokenValidity: Duration.hours(12),
      readAttributes: readable,
      writeAttributes: writable,
      ...(callbackUrls.length === 0
        ? { disableOAuth: true }
        : {
            oAuth: {
              // Authorization code only (a public client: Cognito requires PKCE from it in
              // practice, and the implicit grant would put tokens in URLs).
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
              scopes: [
                cognito.OAuthScope.OPENID,
                cognito.OAuthScope.EMAIL,
                cognito.OAuthScope.PROFILE,
                ...(resourceServerScope ? [resourceServerScope] : []),
              ],
              callbackUrls,
              ...(props.logoutUrls ? { logoutUrls: props.logoutUrls } : {}),
            },
          }),
    });
    return { userPool, client };
  }

  /** F-5.1.2: the token validation expression is matched against an ID token's `aud`. */
  private restrictIdTokenAudience(clientIds: readonly string[]): void {
    // Each id is a literal alternative, not a pattern: app client ids may contain `+` (the
    // validation accepts `[\w+]+`), which unescaped would be a quantifier and match other
    // audiences. A token (the created client's id, generated by Cognito) cannot be escaped at
    // synth time; the validation rejects tokens in allowedClientIds, so only that one is left.
    const alternatives = clientIds.map((clientId) => (Token.isUnresolved(clientId) ? clientId : escapeRegExp(clientId)));
    const expression = Fn.join('', ['^(', Fn.join('|', alternatives), ')$']);
    const cfnAuthorizer = this.authorizer.node.defaultChild as apigateway.CfnAuthorizer;
    cfnAuthorizer.identityValidationExpression = expression;
    // The L2 only redeploys the stage for changes to the props it knows; make a changed
    // audience list produce a new deployment too.
    this.api.latestDeployment?.addToLogicalId({ identityValidationExpression: expression });
  }

  private addCorsPreflight(resource: apigateway.Resource, methods: string[], allowedOrigins: readonly string[]): void {
    resource.addCorsPreflight({
      allowOrigins: [...allowedOrigins],
      allowMethods: [...methods, 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Retry-After'],
      allowCredentials: false,
      maxAge: Duration.minutes(10),
    });
    const preflight = resource.node.findChild('OPTIONS');
    const reason =
      'CORS preflight: browsers send OPTIONS without credentials or tokens (Fetch standard), so it cannot be authorised; it is a mock integration that only returns the allow-list headers and never reaches the function.';
    Validations.of(preflight).acknowledge({ id: 'AwsSolutions-APIG4', reason });
    Validations.of(preflight).acknowledge({ id: 'AwsSolutions-COG4', reason });
  }

  private addGatewayResponses(allowedOrigins: readonly string[]): void {
    const allowOrigin = gatewayAllowOrigin(allowedOrigins);
    const corsHeaders: Record<string, string> =
      allowOrigin.kind === 'none'
        ? {}
        : allowOrigin.kind === 'static'
          ? {
              'Access-Control-Allow-Origin': `'${allowOrigin.value}'`,
              'Access-Control-Expose-Headers': `'${GATEWAY_EXPOSED_HEADERS}'`,
            }
          : {
              'Access-Control-Allow-Origin': 'method.request.header.Origin',
              'Access-Control-Expose-Headers': `'${GATEWAY_EXPOSED_HEADERS}'`,
              Vary: "'Origin'",
            };
    for (const response of GATEWAY_ERROR_RESPONSES) {
      this.api.addGatewayResponse(`GatewayResponse${pascalCase(response.type)}`, {
        type: apigateway.ResponseType.of(response.type),
        statusCode: String(PROBLEMS[response.code].status),
        responseHeaders: {
          'Content-Type': `'${PROBLEM_CONTENT_TYPE}'`,
          ...(response.retryAfterSeconds === undefined ? {} : { 'Retry-After': `'${response.retryAfterSeconds}'` }),
          ...corsHeaders,
        },
        // Keyed by application/json, API Gateway's default template; the Content-Type header
        // above is what the client sees.
        templates: { 'application/json': gatewayResponseBodyTemplate(response.code) },
      });
    }
  }
}

/** Adds a policy document's statements from lib/iam-policies.ts to a role's default policy. */
function addStatements(role: iam.Role, document: PolicyDocumentJson): void {
  for (const statement of document.Statement) role.addToPrincipalPolicy(iam.PolicyStatement.fromJson(statement));
}

/** The method settings key of POST resync (F-5.7.2); `/` in the path is escaped as `~1` by CDK. */
export const RESYNC_METHOD_SETTINGS_KEY = '/v1/me/mfa-devices/resync/POST';

/**
 * CORS headers WAF's own responses can carry: only static ones (a custom response cannot echo
 * the request's Origin), so with several allowed origins a browser sees WAF's 429/413 as a
 * CORS error and only non-browser clients read the body.
 */
function wafCorsHeaders(allowedOrigins: readonly string[]): Record<string, string> {
  const allowOrigin = gatewayAllowOrigin(allowedOrigins);
  return allowOrigin.kind === 'static'
    ? { 'Access-Control-Allow-Origin': allowOrigin.value, 'Access-Control-Expose-Headers': GATEWAY_EXPOSED_HEADERS }
    : {};
}

/** `value` as a regular expression that matches exactly that text (Java regex, F-5.1.2). */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pascalCase(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** JSON access log lines; no body, no token, only the caller's pseudonymous `sub`. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const F = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: F.contextRequestId(),
      extendedRequestId: F.contextExtendedRequestId(),
      requestTime: F.contextRequestTime(),
      ip: F.contextIdentitySourceIp(),
      userAgent: F.contextIdentityUserAgent(),
      httpMethod: F.contextHttpMethod(),
      resourcePath: F.contextResourcePath(),
      protocol: F.contextProtocol(),
      status: F.contextStatus(),
      responseLength: F.contextResponseLength(),
      responseLatency: F.contextResponseLatency(),
      integrationStatus: F.contextIntegrationStatus(),
      integrationLatency: F.contextIntegrationLatency(),
      errorResponseType: F.contextErrorResponseType(),
      errorMessage: F.contextErrorMessage(),
      sub: F.contextAuthorizerClaims('sub'),
    }),
  );
}
