// SPDX-License-Identifier: Apache-2.0
/**
 * The props of `MfaResyncApi` (lib/mfa-resync-api.ts) and the exported types and defaults they
 * refer to. Checking the props and applying the defaults is lib/mfa-resync-api-validation.ts.
 */
import { Duration } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { AlarmThresholds } from './alarms';

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
/**
 * 512 MB on arm64: the bundle carries its own AWS SDK, and Lambda allots CPU in proportion to
 * memory, so this keeps the cold-start parse and the TLS handshake to IAM short. The function
 * is invoked rarely (a person fixing a drifted token), so the cost difference is negligible.
 */
export const HANDLER_MEMORY_MB = 512;

/**
 * Defaults for the stage-wide token bucket: a global safety net, not a per-person budget.
 * Stage and method buckets are shared by all callers, not kept per user (F-5.7.2), so a bucket
 * sized for one person (a few requests) is one that a handful of callers, each under the web
 * ACL's per-IP limit, can keep empty, answering every legitimate caller 429 (F-5.7.1). The
 * per-caller abuse control is the web ACL (per IP and per token, F-5.8.2, F-5.8.3); these
 * limits only cap the API's total rate, and so the rate of IAM and STS calls it makes, well
 * below the account's own API Gateway limit (F-5.7.1) and clear of IAM's rate limits, which
 * answer `Throttling` (F-2.2.3).
 */
export const DEFAULT_THROTTLING_RATE_LIMIT = 10;
export const DEFAULT_THROTTLING_BURST_LIMIT = 20;
/**
 * Defaults for POST resync's own bucket, half the stage's: each request checks two codes
 * (F-3.4.4) and makes the most IAM calls (lookup, listing, resync, plus two AssumeRoles in
 * scoped mode). Like the stage's it is shared by all callers (F-5.7.2) and a safety net for
 * IAM's rate limits, not one person's budget (one or two attempts); per-caller limits are the
 * web ACL's (F-5.8.3).
 */
export const DEFAULT_RESYNC_THROTTLING_RATE_LIMIT = 5;
export const DEFAULT_RESYNC_THROTTLING_BURST_LIMIT = 10;

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
   * `allowedClientIds` (F-5.1.2). `access`: access tokens carrying `requiredScope`; the methods
   * get that scope plus the scopes of user access tokens (`USER_ACCESS_TOKEN_SCOPES`), so any
   * user token of the pool passes the authorizer (F-5.1.1) and the function answers one without
   * `requiredScope` with 403 `forbidden`; access tokens have no `aud` and no custom attributes
   * (F-5.3).
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
   * A JavaScript regular expression that must match the WHOLE claim (it is applied as
   * `^(?:pattern)$`, so a partial match is refused); its first capture group (or the whole
   * claim) is the IAM user name, e.g. `([^@]+)@example\.com` for an email's local part.
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
   * Stage-wide steady-state requests per second, shared by all callers (F-5.7.2): a global
   * safety net, not a per-person budget. Set too low, a few callers (each under the web ACL's
   * per-IP limit) can keep every legitimate request at 429 (F-5.7.1); per-caller limits are
   * the web ACL's (F-5.8.3).
   *
   * @default 10
   */
  readonly throttlingRateLimit?: number;

  /**
   * Stage-wide burst (token bucket size), shared by all callers (F-5.7.2); a safety net, like
   * `throttlingRateLimit`.
   *
   * @default 20
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
   * stage's), shared by all callers (F-5.7.2): a global safety net for IAM's rate limits, not
   * one person's budget. Set to a person's one or two attempts, a handful of callers (each
   * under the web ACL's per-IP limit) could keep every legitimate resync at 429 (F-5.7.1);
   * per-caller limits are the web ACL's (F-5.8.3).
   *
   * @default 5
   */
  readonly resyncThrottlingRateLimit?: number;

  /**
   * Burst of POST resync, shared by all callers (F-5.7.2); a safety net, like
   * `resyncThrottlingRateLimit`.
   *
   * @default 10
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
