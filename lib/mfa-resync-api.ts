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
import { Annotations, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
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
import {
  DEFAULT_WAF_IP_RATE_LIMIT,
  DEFAULT_WAF_RATE_WINDOW,
  DEFAULT_WAF_TOKEN_RATE_LIMIT,
  MfaResyncWebAcl,
  WAF_MAX_RATE_LIMIT,
  WAF_MIN_RATE_LIMIT,
  WAF_RATE_WINDOWS_SECONDS,
  WAF_RULE_NAMES,
} from './abuse-controls';
import { DEFAULT_ALARM_THRESHOLDS, DEFAULT_METRICS_NAMESPACE, MfaResyncAlarms, type AlarmThresholds } from './alarms';
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

/** Which Cognito token the API accepts (F-5.1.1): ID tokens, or access tokens with a scope. */
export type TokenUse = 'id' | 'access';

/** Powertools log levels the handler may run with. */
export type HandlerLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const DEFAULT_MAPPING_CLAIM = 'custom:iam_username';
/** The custom attribute a created pool holds the mapping in (`custom:iam_username`, F-6.1.1). */
export const MAPPING_ATTRIBUTE_NAME = 'iam_username';
export const SERVICE_NAME = 'mfa-resync';

/**
 * Function timeout. The handler's work is at most a few IAM calls (list devices across pages,
 * then one resync) bounded by IAM_BUDGET_MS; 15 s leaves room for a cold start and for writing
 * the answer after the budget runs out, and stays well below API Gateway's 29 s integration
 * timeout (F-5.9.1), so a slow IAM becomes our 503, never the gateway's 504.
 */
export const HANDLER_TIMEOUT = Duration.seconds(15);
/** Default total IAM time per request; the lambda's config accepts 100..14000 ms. */
export const DEFAULT_IAM_BUDGET = Duration.seconds(8);
const MIN_IAM_BUDGET_MS = 100;
const MAX_IAM_BUDGET_MS = 14_000;
/**
 * 512 MB on arm64: the bundle carries its own AWS SDK, and Lambda allots CPU in proportion to
 * memory, so this keeps the cold-start parse and the TLS handshake to IAM short. The function
 * is invoked rarely (a person fixing a drifted token), so the cost difference is negligible.
 */
export const HANDLER_MEMORY_MB = 512;

/** Defaults for the stage-wide token bucket (F-5.7.2: shared by all callers, not per user). */
export const DEFAULT_THROTTLING_RATE_LIMIT = 5;
export const DEFAULT_THROTTLING_BURST_LIMIT = 10;
/**
 * Defaults for POST resync's own bucket, stricter than the stage's: each request checks two
 * codes (F-3.4.4), and a person needs one or two attempts. Still shared by all callers
 * (F-5.7.2); per-caller limits are the web ACL's.
 */
export const DEFAULT_RESYNC_THROTTLING_RATE_LIMIT = 1;
export const DEFAULT_RESYNC_THROTTLING_BURST_LIMIT = 2;

export interface MfaResyncApiProps {
  /**
   * The user pool whose tokens the API accepts, e.g. `UserPool.fromUserPoolId(...)`.
   *
   * @default - a new user pool with secure defaults (no self sign-up, strong passwords,
   * TOTP MFA required, case-insensitive user names, deletion protection, retained on stack
   * deletion), the `custom:iam_username` mapping attribute that no app client may write, and
   * one public app client for portals.
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * Which token the API accepts. `id`: ID tokens, whose `aud` is checked against
   * `allowedClientIds` (F-5.1.2). `access`: access tokens carrying `requiredScope` (the method
   * gets that scope, F-5.1.1); access tokens have no `aud` and no custom attributes (F-5.3).
   *
   * @default 'id'
   */
  readonly tokenUse?: TokenUse;

  /**
   * The custom scope (`<resource-server-identifier>/<scope-name>`) an access token must carry.
   * Required with `tokenUse: 'access'`, rejected with `'id'`. Never grant it to a
   * client-credentials client (F-6.3.3); the handler also refuses tokens without a user name.
   * With a created pool, the construct creates the resource server and grants the scope to
   * the portal client.
   *
   * @default - none (ID-token mode)
   */
  readonly requiredScope?: string;

  /**
   * In ID-token mode, the app client IDs whose ID tokens are accepted (the token's `aud`),
   * enforced by the authorizer's token validation expression.
   *
   * @default - the created portal client when the construct creates the pool; with an
   * imported pool, ID tokens of every app client of that pool (the insecure choice: pass the
   * portal's client IDs)
   */
  readonly allowedClientIds?: string[];

  /**
   * The verified claim that names the caller's IAM user.
   *
   * @default 'custom:iam_username'
   */
  readonly mappingClaim?: string;

  /**
   * A JavaScript regular expression the claim must match; its first capture group (or the
   * whole match) is the IAM user name, e.g. `^([^@]+)@example\.com$` for an email's local part.
   * A mapping from `email` counts only when `email_verified` is true.
   *
   * @default - the claim's whole value is the user name
   */
  readonly mappingPattern?: string;

  /**
   * The IAM path the function may act under. It becomes the role's only IAM resource,
   * `arn:<partition>:iam::<account>:user<prefix>*`, where `*` also matches `/` (F-4.3.1), so
   * every user at or below that path is in scope. Must start and end with `/`, and must not
   * contain `*`, `?` or `$` (wildcards and policy variables in an ARN, F-1.5.3).
   *
   * @default '/' (every IAM user of the account: the broadest boundary; prefer a dedicated
   * path such as `/mfa-self-service/` that only administrators can move users into, F-4.3.2)
   */
  readonly iamUserPathPrefix?: string;

  /**
   * A Cognito group the caller must belong to (`cognito:groups`).
   *
   * @default - no group is required
   */
  readonly requiredGroup?: string;

  /**
   * Browser origins allowed to call the API (`https://portal.example.com`), or `['*']` for
   * every origin (the insecure choice: any web page can then drive a signed-in user's
   * browser to call it). Enables the unauthenticated CORS preflight and CORS headers on
   * errors.
   *
   * @default - none: no preflight, no CORS headers; browsers cannot call the API
   */
  readonly allowedOrigins?: string[];

  /**
   * Stage-wide steady-state requests per second, shared by all callers (F-5.7.2).
   *
   * @default 5
   */
  readonly throttlingRateLimit?: number;

  /**
   * Stage-wide burst (token bucket size), shared by all callers.
   *
   * @default 10
   */
  readonly throttlingBurstLimit?: number;

  /**
   * How long API Gateway caches an authorizer result per token (F-5.1.4), 0 to 3600 s.
   * Caching does not extend a token's life (it is valid until `exp` anyway, F-5.1.5) but it
   * is also not needed: verifying a JWT is cheap and the API is called rarely.
   *
   * @default Duration.seconds(0) (no caching)
   */
  readonly authorizerResultsCacheTtl?: Duration;

  /**
   * Total time the IAM calls of one request may take, 100 ms to 14 s (below the 15 s
   * function timeout).
   *
   * @default Duration.seconds(8)
   */
  readonly iamBudget?: Duration;

  /**
   * The handler's Powertools log level.
   *
   * @default 'INFO'
   */
  readonly logLevel?: HandlerLogLevel;

  /**
   * Retention of the function's log group, the access log group and the execution log group.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The API Gateway stage name; it is the first path segment of the API URL.
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * AWS X-Ray tracing on the stage and the function. Off by default because active tracing
   * needs `xray:PutTraceSegments` on `*` in the function role.
   *
   * @default false
   */
  readonly tracing?: boolean;

  /**
   * Create the account-wide API Gateway CloudWatch Logs role. Execution logging fails to deploy
   * in an account that has none; set false when the account already has one (the setting is
   * per account and region, and this would replace it).
   *
   * @default true
   */
  readonly createApiGatewayCloudWatchRole?: boolean;

  /**
   * OAuth callback URLs of the portal app client (created pool only). With URLs, the client
   * uses the authorization code grant (PKCE, no secret); without, OAuth is off and the portal
   * signs in with SRP. Required for `tokenUse: 'access'` with a created pool, because custom
   * scopes are only issued through OAuth.
   *
   * @default - none: OAuth disabled on the portal client
   */
  readonly callbackUrls?: string[];

  /**
   * OAuth sign-out URLs of the portal app client (created pool only).
   *
   * @default - none
   */
  readonly logoutUrls?: string[];

  /**
   * ID and access token lifetime of the portal client (created pool only), 5 minutes to
   * 1 day. Short, because a revoked token stays valid at the authorizer until `exp` (F-5.1.5).
   *
   * @default Duration.minutes(15)
   */
  readonly tokenValidity?: Duration;

  /**
   * Feature plan of a created pool. PLUS adds threat protection (cdk-nag COG8) at extra cost.
   *
   * @default cognito.FeaturePlan.ESSENTIALS
   */
  readonly userPoolFeaturePlan?: cognito.FeaturePlan;

  /**
   * Credentials scoped to one user per request. On: the function role may only assume a
   * dedicated executor role (with `sts:SetSourceIdentity`, F-4.4.6); per request the function
   * assumes it twice with inline session policies (F-4.4.1), first allowed only `iam:GetUser`
   * under the path, then only List+Resync on the caller's exact canonical user ARN, with
   * SourceIdentity from the caller's verified identity (F-4.4.7). Off: the function role itself
   * may list and resync the devices of every user under `iamUserPathPrefix` (no STS calls; a
   * bug in the function's mapping could then act on any user under the path).
   *
   * @default true
   */
  readonly scopedCredentials?: boolean;

  /**
   * Two-party binding, opt-in (scoped credentials only; give both or neither): the mapped IAM
   * user must carry this tag, and its value must equal the caller's `bindingClaim`. An
   * administrator sets the tag on the IAM side, so a mapping attribute that someone can write
   * in the identity provider alone does not reach an IAM user. Turn it on with imported pools
   * or federated IdPs whose mapped attributes stay client-writable.
   *
   * @default - no binding
   */
  readonly bindingTagKey?: string;

  /**
   * The verified claim whose value the IAM user's `bindingTagKey` tag must equal, e.g. `sub`.
   *
   * @default - no binding
   */
  readonly bindingClaim?: string;

  /**
   * CloudWatch namespace of the metrics the function emits (Powertools Metrics, EMF).
   *
   * @default 'MfaResync'
   */
  readonly metricsNamespace?: string;

  /**
   * Create an AWS WAF web ACL for the stage (per-IP and per-token rate limits, an 8 KB body
   * limit answered 413, the AWS common rule set). Set false to run without WAF (cdk-nag APIG3
   * is then acknowledged as the deployer's choice), or give `webAclArn` instead.
   *
   * @default true (unless webAclArn is given)
   */
  readonly webAcl?: boolean;

  /**
   * An existing REGIONAL web ACL to associate with the stage instead of creating one (for
   * example one managed by AWS Firewall Manager). Its responses are then its own.
   *
   * @default - the construct creates the web ACL
   */
  readonly webAclArn?: string;

  /**
   * Requests per client IP per rate window before WAF answers 429. Generous enough for an
   * office behind one NAT address (each person needs a handful of requests), low enough to stop
   * a scripted guesser within a window.
   *
   * @default 100
   */
  readonly wafIpRateLimit?: number;

  /**
   * Requests per `Authorization` header value per rate window before WAF answers 429. Each
   * request checks two codes (F-3.4.4); a person needs a listing and one or two resync attempts.
   *
   * @default 20
   */
  readonly wafTokenRateLimit?: number;

  /**
   * The rate-based rules' evaluation window: 1, 2, 5 or 10 minutes (F-5.8.3). WAF's 429 carries
   * it as Retry-After.
   *
   * @default Duration.minutes(5)
   */
  readonly wafRateWindow?: Duration;

  /**
   * Steady-state requests per second of POST resync (a method setting, stricter than the
   * stage's), shared by all callers (F-5.7.2).
   *
   * @default 1
   */
  readonly resyncThrottlingRateLimit?: number;

  /**
   * Burst of POST resync, shared by all callers.
   *
   * @default 2
   */
  readonly resyncThrottlingBurstLimit?: number;

  /**
   * Reserved concurrency of the function: a ceiling on parallel IAM calls and on what this API
   * can take from the account's concurrency. Callers above it get 503.
   *
   * @default - none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Create the CloudWatch alarms (code-guessing bursts, 5xx, throttling).
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Alarm thresholds (sum over 5 minutes).
   *
   * @default - DEFAULT_ALARM_THRESHOLDS
   */
  readonly alarmThresholds?: AlarmThresholds;

  /**
   * An SNS topic every alarm notifies.
   *
   * @default - no alarm actions
   */
  readonly alarmTopic?: sns.ITopic;
}

/** The Lambda's environment, exactly as `lambda/config.ts` reads it. */
export interface HandlerEnvironment {
  readonly [name: string]: string;
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
    this.handlerRole = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: settings.scopedCredentials
        ? 'mfa-resync handler: writes its own logs and assumes the executor role with a source identity; no IAM actions'
        : 'mfa-resync handler: writes its own logs, lists and resyncs MFA devices of IAM users under one path',
    });
    // Instead of the managed AWSLambdaBasicExecutionRole (logs on every log group of the
    // account): create-stream and put-events on this function's own log group only.
    this.handlerLogGroup.grantWrite(this.handlerRole);

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
    this.handler = new NodejsFunction(this, 'Handler', {
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

    // --- REST API ----------------------------------------------------------------------------
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: settings.logRetention });
    this.api = new apigateway.RestApi(this, 'Api', {
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
        // Execution logs at INFO for errors and authorizer decisions; data tracing stays off
        // because request bodies contain MFA codes.
        loggingLevel: apigateway.MethodLoggingLevel.INFO,
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
            loggingLevel: apigateway.MethodLoggingLevel.INFO,
            dataTraceEnabled: false,
            metricsEnabled: true,
            throttlingRateLimit: settings.resyncThrottlingRateLimit,
            throttlingBurstLimit: settings.resyncThrottlingBurstLimit,
          },
        },
      },
    });
    if (settings.createApiGatewayCloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The API Gateway CloudWatch role is one per account and region and serves the execution logs of every REST API there; AWS\'s managed policy is the documented one, and a policy scoped to this API would break the others\' logging.',
      });
    }

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

    const integration = new apigateway.LambdaIntegration(this.handler, {
      proxy: true,
      // No extra invoke permission for the console's test-invoke stage.
      allowTestInvoke: false,
    });
    const authorization: apigateway.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigateway.AuthorizationType.COGNITO,
      ...(settings.requiredScope === undefined ? {} : { authorizationScopes: [settings.requiredScope] }),
    };

    const devices = this.api.root.addResource('v1').addResource('me').addResource('mfa-devices');
    const resync = devices.addResource('resync');
    this.listDevicesMethod = devices.addMethod('GET', integration, authorization);
    // API Gateway validates a body only when its Content-Type matches a model's content type
    // ("if no matching content type is found, request validation is not performed", AWS
    // request-validation docs), so a form-encoded body passes to the handler, which answers
    // 415 as the contract says; a JSON body that breaks the schema is the gateway's 400.
    this.resyncMethod = resync.addMethod('POST', integration, {
      ...authorization,
      requestValidator: this.bodyValidator,
      requestModels: { 'application/json': this.resyncRequestModel },
    });

    if (settings.allowedOrigins.length > 0) {
      this.addCorsPreflight(devices, ['GET'], settings.allowedOrigins);
      this.addCorsPreflight(resync, ['POST'], settings.allowedOrigins);
    }

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
      this.alarms = new MfaResyncAlarms(this, 'Alarms', {
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
        ...(props.alarmTopic ? { topic: props.alarmTopic } : {}),
      });
    }
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
        'The wildcard is the deliberate path boundary (iamUserPathPrefix), and only the union of what the per-request sessions may do: each AssumeRole passes a session policy (F-4.4.1) that allows only iam:GetUser under the path, or only the two MFA actions on the caller\'s exact, escaped user ARN; only the function role may assume this role, with a source identity.',
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
    const expression = Fn.join('', ['^(', Fn.join('|', [...clientIds]), ')$']);
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

interface ValidatedSettings {
  readonly tokenUse: TokenUse;
  readonly requiredScope?: string;
  readonly mappingClaim: string;
  readonly mappingPattern?: string;
  readonly iamUserPathPrefix: string;
  readonly requiredGroup?: string;
  readonly allowedOrigins: readonly string[];
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly authorizerResultsCacheTtl: Duration;
  readonly iamBudgetMs: number;
  readonly logLevel: HandlerLogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly stageName: string;
  readonly tracing: boolean;
  readonly createApiGatewayCloudWatchRole: boolean;
  readonly tokenValidity: Duration;
  readonly userPoolFeaturePlan: cognito.FeaturePlan;
  readonly scopedCredentials: boolean;
  readonly bindingTagKey?: string;
  readonly bindingClaim?: string;
  readonly metricsNamespace: string;
  readonly createWebAcl: boolean;
  readonly webAclArn?: string;
  readonly wafIpRateLimit: number;
  readonly wafTokenRateLimit: number;
  readonly wafRateWindowSeconds: number;
  readonly resyncThrottlingRateLimit: number;
  readonly resyncThrottlingBurstLimit: number;
  readonly reservedConcurrentExecutions?: number;
  readonly alarms: boolean;
  readonly alarmThresholds: Required<AlarmThresholds>;
}

/** IAM path characters (F-1.5.1, F-1.5.3): printable ASCII, `/` or `/…/`, at most 512. */
const IAM_PATH = /^\/(?:[\x21-\x7E]*\/)?$/;
/** Cognito: resource-server identifier `[\x21\x23-\x5B\x5D-\x7E]+`, scope name without `/`. */
const CUSTOM_SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+\/[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/;
const CLIENT_ID = /^[\w+]+$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const LOG_LEVELS: readonly HandlerLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
/** IAM tag keys: 1-128 of letters, digits, white space and `_.:/=+-@`. */
const IAM_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** CloudWatch namespaces: 1-255 of letters, digits and `.-_/#:`. */
const METRICS_NAMESPACE = /^[A-Za-z0-9.\-_/#:]{1,255}$/;
const WEB_ACL_ARN = /^arn:[a-z-]+:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/;

/** Checks every prop up front and applies the defaults; errors name the value and the fix. */
function validateProps(props: MfaResyncApiProps): ValidatedSettings {
  const tokenUse = props.tokenUse ?? 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new Error(`tokenUse must be 'id' or 'access', got '${String(tokenUse)}'`);
  }
  const requiredScope = props.requiredScope;
  if (tokenUse === 'access' && requiredScope === undefined) {
    throw new Error("tokenUse 'access' requires requiredScope: without a scope the authorizer expects ID tokens (F-5.1.1)");
  }
  if (tokenUse === 'id' && requiredScope !== undefined) {
    throw new Error(`requiredScope '${requiredScope}' is only valid with tokenUse 'access': ID tokens carry no scope`);
  }
  if (requiredScope !== undefined && !CUSTOM_SCOPE.test(requiredScope)) {
    throw new Error(`requiredScope must be a custom scope '<resource-server-identifier>/<scope-name>', got '${requiredScope}'`);
  }
  if (props.allowedClientIds !== undefined) {
    if (tokenUse !== 'id') {
      throw new Error("allowedClientIds only applies to tokenUse 'id': access tokens have no aud claim, and a token validation expression would reject them all (F-5.1.2)");
    }
    if (props.allowedClientIds.length === 0) {
      throw new Error('allowedClientIds must not be empty; leave it unset to accept every client of the pool');
    }
    for (const clientId of props.allowedClientIds) {
      if (!CLIENT_ID.test(clientId)) throw new Error(`allowedClientIds entries must be app client IDs ([\\w+]+), got '${clientId}'`);
    }
  }

  const mappingClaim = props.mappingClaim ?? DEFAULT_MAPPING_CLAIM;
  if (mappingClaim === '' || /\s/.test(mappingClaim)) {
    throw new Error(`mappingClaim must be a claim name without white space, got '${mappingClaim}'`);
  }
  if (props.mappingPattern !== undefined) {
    try {
      new RegExp(props.mappingPattern);
    } catch (error) {
      throw new Error(`mappingPattern must be a valid JavaScript regular expression, got '${props.mappingPattern}': ${(error as Error).message}`);
    }
  }

  const iamUserPathPrefix = props.iamUserPathPrefix ?? '/';
  if (iamUserPathPrefix.length > 512 || !IAM_PATH.test(iamUserPathPrefix)) {
    throw new Error(`iamUserPathPrefix must be an iam path that starts and ends with '/' (printable ascii, at most 512 characters), got '${iamUserPathPrefix}'`);
  }
  if (/[*?$]/.test(iamUserPathPrefix)) {
    throw new Error(`iamUserPathPrefix must not contain '*', '?' or '$', which are wildcards or policy variables in the role's resource arn (F-1.5.3), got '${iamUserPathPrefix}'`);
  }

  if (props.requiredGroup !== undefined && (props.requiredGroup === '' || /[\s,[\]]/.test(props.requiredGroup))) {
    // The authorizer flattens groups into "a,b" or "[a b]" (F-5.2.3).
    throw new Error(`requiredGroup must be a group name without white space, commas or brackets, got '${props.requiredGroup}'`);
  }

  const allowedOrigins = validateOrigins(props.allowedOrigins ?? []);

  const throttlingRateLimit = props.throttlingRateLimit ?? DEFAULT_THROTTLING_RATE_LIMIT;
  const throttlingBurstLimit = props.throttlingBurstLimit ?? DEFAULT_THROTTLING_BURST_LIMIT;
  if (!(Number.isFinite(throttlingRateLimit) && throttlingRateLimit > 0)) {
    throw new Error(`throttlingRateLimit must be a positive number of requests per second, got ${throttlingRateLimit}`);
  }
  if (!(Number.isInteger(throttlingBurstLimit) && throttlingBurstLimit >= 1)) {
    throw new Error(`throttlingBurstLimit must be a whole number of at least 1, got ${throttlingBurstLimit}`);
  }

  const authorizerResultsCacheTtl = props.authorizerResultsCacheTtl ?? Duration.seconds(0);
  const cacheSeconds = authorizerResultsCacheTtl.toSeconds();
  if (cacheSeconds < 0 || cacheSeconds > 3600) {
    throw new Error(`authorizerResultsCacheTtl must be 0 to 3600 seconds (F-5.1.4), got ${cacheSeconds}`);
  }

  const iamBudgetMs = (props.iamBudget ?? DEFAULT_IAM_BUDGET).toMilliseconds();
  if (iamBudgetMs < MIN_IAM_BUDGET_MS || iamBudgetMs > MAX_IAM_BUDGET_MS) {
    throw new Error(`iamBudget must be ${MIN_IAM_BUDGET_MS} ms to ${MAX_IAM_BUDGET_MS} ms, below the ${HANDLER_TIMEOUT.toSeconds()} s function timeout, got ${iamBudgetMs} ms`);
  }

  const logLevel = props.logLevel ?? 'INFO';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`logLevel must be one of ${LOG_LEVELS.join(', ')}, got '${String(logLevel)}'`);

  const stageName = props.stageName ?? 'prod';
  if (!STAGE_NAME.test(stageName)) throw new Error(`stageName must be 1-128 letters, digits, '-' or '_', got '${stageName}'`);

  const tokenValidity = props.tokenValidity ?? Duration.minutes(15);
  if (tokenValidity.toMinutes() < 5 || tokenValidity.toMinutes() > 24 * 60) {
    throw new Error(`tokenValidity must be 5 minutes to 1 day, got ${tokenValidity.toMinutes()} minutes`);
  }

  if (props.userPool !== undefined) {
    for (const [name, value] of [
      ['callbackUrls', props.callbackUrls],
      ['logoutUrls', props.logoutUrls],
      ['userPoolFeaturePlan', props.userPoolFeaturePlan],
      ['tokenValidity', props.tokenValidity],
    ] as const) {
      if (value !== undefined) throw new Error(`${name} only applies when the construct creates the user pool; configure the imported pool's clients directly`);
    }
  } else if (tokenUse === 'access' && (props.callbackUrls ?? []).length === 0) {
    throw new Error("tokenUse 'access' with a created user pool needs callbackUrls: custom scopes are only issued through the oauth authorization code flow");
  }
  for (const url of [...(props.callbackUrls ?? []), ...(props.logoutUrls ?? [])]) {
    if (!isAllowedRedirectUrl(url)) throw new Error(`callback and logout urls must be https (or http on localhost), got '${url}'`);
  }

  const scopedCredentials = props.scopedCredentials ?? true;
  if ((props.bindingTagKey === undefined) !== (props.bindingClaim === undefined)) {
    throw new Error('bindingTagKey and bindingClaim go together: give both (two-party binding) or neither');
  }
  if (props.bindingTagKey !== undefined && !scopedCredentials) {
    throw new Error('bindingTagKey/bindingClaim require scopedCredentials: the binding is checked in the per-request executor sessions');
  }
  if (props.bindingTagKey !== undefined && (!IAM_TAG_KEY.test(props.bindingTagKey) || props.bindingTagKey.toLowerCase().startsWith('aws:'))) {
    throw new Error(`bindingTagKey must be an IAM tag key (1-128 letters, digits, spaces or _.:/=+-@, not starting with aws:), got '${props.bindingTagKey}'`);
  }
  if (props.bindingClaim !== undefined && (props.bindingClaim === '' || /\s/.test(props.bindingClaim))) {
    throw new Error(`bindingClaim must be a claim name without white space, got '${props.bindingClaim}'`);
  }

  const metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  if (!METRICS_NAMESPACE.test(metricsNamespace) || metricsNamespace.startsWith('AWS/')) {
    throw new Error(`metricsNamespace must be 1-255 letters, digits or .-_/#: and must not start with AWS/, got '${metricsNamespace}'`);
  }

  if (props.webAcl === true && props.webAclArn !== undefined) {
    throw new Error('give either webAcl: true (create a web ACL) or webAclArn (associate an existing one), not both');
  }
  if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn) && !WEB_ACL_ARN.test(props.webAclArn)) {
    throw new Error(`webAclArn must be a REGIONAL web ACL ARN (arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got '${props.webAclArn}'`);
  }
  const createWebAcl = props.webAclArn === undefined && (props.webAcl ?? true);
  const wafIpRateLimit = props.wafIpRateLimit ?? DEFAULT_WAF_IP_RATE_LIMIT;
  const wafTokenRateLimit = props.wafTokenRateLimit ?? DEFAULT_WAF_TOKEN_RATE_LIMIT;
  for (const [name, value] of [['wafIpRateLimit', wafIpRateLimit], ['wafTokenRateLimit', wafTokenRateLimit]] as const) {
    if (!(Number.isInteger(value) && value >= WAF_MIN_RATE_LIMIT && value <= WAF_MAX_RATE_LIMIT)) {
      throw new Error(`${name} must be a whole number from ${WAF_MIN_RATE_LIMIT} to ${WAF_MAX_RATE_LIMIT} (F-5.8.3), got ${value}`);
    }
  }
  const wafRateWindowSeconds = (props.wafRateWindow ?? DEFAULT_WAF_RATE_WINDOW).toSeconds();
  if (!WAF_RATE_WINDOWS_SECONDS.includes(wafRateWindowSeconds)) {
    throw new Error(`wafRateWindow must be 1, 2, 5 or 10 minutes (F-5.8.3), got ${wafRateWindowSeconds} seconds`);
  }
  if (!createWebAcl) {
    for (const [name, value] of [['wafIpRateLimit', props.wafIpRateLimit], ['wafTokenRateLimit', props.wafTokenRateLimit], ['wafRateWindow', props.wafRateWindow]] as const) {
      if (value !== undefined) throw new Error(`${name} only applies to the web ACL the construct creates`);
    }
  }

  const resyncThrottlingRateLimit = props.resyncThrottlingRateLimit ?? DEFAULT_RESYNC_THROTTLING_RATE_LIMIT;
  const resyncThrottlingBurstLimit = props.resyncThrottlingBurstLimit ?? DEFAULT_RESYNC_THROTTLING_BURST_LIMIT;
  if (!(Number.isFinite(resyncThrottlingRateLimit) && resyncThrottlingRateLimit > 0)) {
    throw new Error(`resyncThrottlingRateLimit must be a positive number of requests per second, got ${resyncThrottlingRateLimit}`);
  }
  if (!(Number.isInteger(resyncThrottlingBurstLimit) && resyncThrottlingBurstLimit >= 1)) {
    throw new Error(`resyncThrottlingBurstLimit must be a whole number of at least 1, got ${resyncThrottlingBurstLimit}`);
  }

  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && !(Number.isInteger(reserved) && reserved >= 1)) {
    throw new Error(`reservedConcurrentExecutions must be a whole number of at least 1 (0 would disable the function), got ${reserved}`);
  }

  const alarms = props.alarms ?? true;
  const alarmThresholds = { ...DEFAULT_ALARM_THRESHOLDS, ...definedEntries(props.alarmThresholds ?? {}) };
  for (const [name, value] of Object.entries(alarmThresholds)) {
    if (!(Number.isFinite(value) && value > 0)) throw new Error(`alarmThresholds.${name} must be a positive number, got ${value}`);
  }
  if (!alarms && (props.alarmThresholds !== undefined || props.alarmTopic !== undefined)) {
    throw new Error('alarmThresholds and alarmTopic only apply with alarms enabled');
  }

  return {
    tokenUse,
    ...(requiredScope === undefined ? {} : { requiredScope }),
    mappingClaim,
    ...(props.mappingPattern === undefined ? {} : { mappingPattern: props.mappingPattern }),
    iamUserPathPrefix,
    ...(props.requiredGroup === undefined ? {} : { requiredGroup: props.requiredGroup }),
    allowedOrigins,
    throttlingRateLimit,
    throttlingBurstLimit,
    authorizerResultsCacheTtl,
    iamBudgetMs,
    logLevel,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    stageName,
    tracing: props.tracing ?? false,
    createApiGatewayCloudWatchRole: props.createApiGatewayCloudWatchRole ?? true,
    tokenValidity,
    userPoolFeaturePlan: props.userPoolFeaturePlan ?? cognito.FeaturePlan.ESSENTIALS,
    scopedCredentials,
    ...(props.bindingTagKey === undefined ? {} : { bindingTagKey: props.bindingTagKey }),
    ...(props.bindingClaim === undefined ? {} : { bindingClaim: props.bindingClaim }),
    metricsNamespace,
    createWebAcl,
    ...(props.webAclArn === undefined ? {} : { webAclArn: props.webAclArn }),
    wafIpRateLimit,
    wafTokenRateLimit,
    wafRateWindowSeconds,
    resyncThrottlingRateLimit,
    resyncThrottlingBurstLimit,
    ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
    alarms,
    alarmThresholds,
  };
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** `*` alone, or serialised origins (scheme, host, optional port; no path), as the Lambda checks. */
function validateOrigins(origins: readonly string[]): readonly string[] {
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Error(`allowedOrigins '*' must be the only entry, got '${origins.join(',')}'`);
    return origins;
  }
  for (const origin of origins) {
    let serialised: string | undefined;
    try {
      const url = new URL(origin);
      serialised = url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
    } catch {
      serialised = undefined;
    }
    if (serialised !== origin) {
      throw new Error(`allowedOrigins entries must be '*' or origins like https://portal.example.com (no path or trailing slash), got '${origin}'`);
    }
  }
  return [...new Set(origins)];
}

function isAllowedRedirectUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
  } catch {
    return false;
  }
}

/** The function's environment: exactly the names `lambda/config.ts` reads, unset ones omitted. */
function buildHandlerEnvironment(settings: ValidatedSettings, executorRoleArn: string | undefined): HandlerEnvironment {
  return {
    MAPPING_CLAIM: settings.mappingClaim,
    ...(settings.mappingPattern === undefined ? {} : { MAPPING_PATTERN: settings.mappingPattern }),
    IAM_USER_PATH_PREFIX: settings.iamUserPathPrefix,
    ...(settings.requiredGroup === undefined ? {} : { REQUIRED_GROUP: settings.requiredGroup }),
    TOKEN_USE: settings.tokenUse,
    ...(settings.requiredScope === undefined ? {} : { REQUIRED_SCOPE: settings.requiredScope }),
    ...(settings.allowedOrigins.length === 0 ? {} : { ALLOWED_ORIGINS: settings.allowedOrigins.join(',') }),
    IAM_BUDGET_MS: String(settings.iamBudgetMs),
    ...(executorRoleArn === undefined ? {} : { EXECUTOR_ROLE_ARN: executorRoleArn }),
    ...(settings.bindingTagKey === undefined ? {} : { BINDING_TAG_KEY: settings.bindingTagKey }),
    ...(settings.bindingClaim === undefined ? {} : { BINDING_CLAIM: settings.bindingClaim }),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: settings.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** Warns (does not fail) where a configuration is legal but probably not what was meant. */
function warnAboutAccessTokenClaims(scope: Construct, tokenUse: TokenUse, mappingClaim: string): void {
  if (tokenUse === 'access' && (mappingClaim.startsWith('custom:') || mappingClaim === 'email')) {
    Annotations.of(scope).addWarningV2(
      'mfa-resync:accessTokenMappingClaim',
      `access tokens carry no '${mappingClaim}' claim unless a pre token generation trigger (V2) adds it (F-5.3, F-6.2.1); map from 'username' or add the trigger`,
    );
  }
}
