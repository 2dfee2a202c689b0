// SPDX-License-Identifier: Apache-2.0
/**
 * Validation of `MfaResyncApiProps` (lib/mfa-resync-api-props.ts): every prop is checked up
 * front and the defaults applied, giving the `ValidatedSettings` the construct builds from, and
 * the function's environment derived from them.
 */
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  DEFAULT_WAF_IP_RATE_LIMIT,
  DEFAULT_WAF_RATE_WINDOW,
  DEFAULT_WAF_TOKEN_RATE_LIMIT,
  WAF_MAX_RATE_LIMIT,
  WAF_MIN_RATE_LIMIT,
  WAF_RATE_WINDOWS_SECONDS,
} from './abuse-controls';
import { hasPolicyWildcard, isBindingTagKey, isIamBudgetMs, isIamPath, isMetricsNamespace, MAX_IAM_BUDGET_MS, MIN_IAM_BUDGET_MS } from '../lambda/config-rules';
import { DEFAULT_ALARM_THRESHOLDS, DEFAULT_METRICS_NAMESPACE, type AlarmThresholds } from './alarms';
import {
  DEFAULT_IAM_BUDGET,
  DEFAULT_MAPPING_CLAIM,
  DEFAULT_RESYNC_THROTTLING_BURST_LIMIT,
  DEFAULT_RESYNC_THROTTLING_RATE_LIMIT,
  DEFAULT_THROTTLING_BURST_LIMIT,
  DEFAULT_THROTTLING_RATE_LIMIT,
  HANDLER_TIMEOUT,
  SERVICE_NAME,
  type HandlerEnvironment,
  type HandlerLogLevel,
  type MfaResyncApiProps,
  type TokenUse,
} from './mfa-resync-api-props';

export interface ValidatedSettings {
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

/** Cognito: resource-server identifier `[\x21\x23-\x5B\x5D-\x7E]+`, scope name without `/`. */
const CUSTOM_SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+\/[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+$/;
const CLIENT_ID = /^[\w+]+$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const LOG_LEVELS: readonly HandlerLogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const WEB_ACL_ARN = /^arn:[a-z-]+:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/;

/** Checks every prop up front and applies the defaults; errors name the value and the fix. */
export function validateProps(props: MfaResyncApiProps): ValidatedSettings {
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
  if (!isIamPath(iamUserPathPrefix)) {
    throw new Error(`iamUserPathPrefix must be an iam path that starts and ends with '/' (printable ascii, at most 512 characters), got '${iamUserPathPrefix}'`);
  }
  if (hasPolicyWildcard(iamUserPathPrefix)) {
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
  if (!isIamBudgetMs(iamBudgetMs)) {
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
    if (!isAllowedRedirectUrl(url)) throw new Error(`callbackUrls and logoutUrls must be https (or http on localhost), got '${url}'`);
  }

  const scopedCredentials = props.scopedCredentials ?? true;
  if ((props.bindingTagKey === undefined) !== (props.bindingClaim === undefined)) {
    throw new Error('bindingTagKey and bindingClaim go together: give both (two-party binding) or neither');
  }
  if (props.bindingTagKey !== undefined && !scopedCredentials) {
    throw new Error('bindingTagKey/bindingClaim require scopedCredentials: the binding is checked in the per-request executor sessions');
  }
  if (props.bindingTagKey !== undefined && !isBindingTagKey(props.bindingTagKey)) {
    throw new Error(`bindingTagKey must be an IAM tag key (1-128 letters, digits, spaces or _.:/=+-@, not starting with aws:), got '${props.bindingTagKey}'`);
  }
  if (props.bindingClaim !== undefined && (props.bindingClaim === '' || /\s/.test(props.bindingClaim))) {
    throw new Error(`bindingClaim must be a claim name without white space, got '${props.bindingClaim}'`);
  }

  const metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
  if (!isMetricsNamespace(metricsNamespace)) {
    throw new Error(`metricsNamespace must be 1-255 letters, digits, spaces or .-_/#: (no leading or trailing space) and must not start with AWS/, got '${metricsNamespace}'`);
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
export function buildHandlerEnvironment(settings: ValidatedSettings, executorRoleArn: string | undefined): HandlerEnvironment {
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
export function warnAboutAccessTokenClaims(scope: Construct, tokenUse: TokenUse, mappingClaim: string): void {
  if (tokenUse === 'access' && (mappingClaim.startsWith('custom:') || mappingClaim === 'email')) {
    Annotations.of(scope).addWarningV2(
      'mfa-resync:accessTokenMappingClaim',
      `access tokens carry no '${mappingClaim}' claim unless a pre token generation trigger (V2) adds it (F-5.3, F-6.2.1); map from 'username' or add the trigger`,
    );
  }
}
