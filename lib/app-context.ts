// SPDX-License-Identifier: Apache-2.0
/**
 * Turns CDK context (`cdk synth -c key=value`, or `context` in cdk.json) into the stack's props.
 * Values from `-c` always arrive as strings; values from cdk.json may be JSON types, so each
 * reader accepts both and rejects anything else with the key's name.
 *
 * | key                        | example                             | maps to                          |
 * |----------------------------|-------------------------------------|----------------------------------|
 * | userPoolId                 | us-east-1_AbCdEf123                 | import this pool (no new pool)   |
 * | allowedClientIds           | 1example23456789,2example...        | ID-token audiences (id mode)     |
 * | tokenUse                   | id \| access                        | tokenUse                         |
 * | requiredScope              | mfa-resync/self-service             | requiredScope (access mode)      |
 * | mappingClaim               | email                               | mappingClaim                     |
 * | mappingPattern             | ^([^@]+)@example\.com$              | mappingPattern                   |
 * | iamUserPathPrefix          | /mfa-self-service/                  | iamUserPathPrefix                |
 * | requiredGroup              | mfa-self-service                    | requiredGroup                    |
 * | allowedOrigins             | https://a.example.com,https://b...  | allowedOrigins (`*` = any)       |
 * | throttleRateLimit          | 5                                   | throttlingRateLimit (req/s)      |
 * | throttleBurstLimit         | 10                                  | throttlingBurstLimit             |
 * | authorizerCacheTtlSeconds  | 0                                   | authorizerResultsCacheTtl        |
 * | iamBudgetMs                | 8000                                | iamBudget                        |
 * | logLevel                   | INFO                                | logLevel                         |
 * | stageName                  | prod                                | stageName                        |
 * | tracing                    | true                                | tracing (X-Ray)                  |
 * | createApiGatewayCloudWatchRole | false                           | createApiGatewayCloudWatchRole   |
 * | callbackUrls               | https://portal.example.com/callback | callbackUrls (created pool)      |
 * | logoutUrls                 | https://portal.example.com/         | logoutUrls (created pool)        |
 * | scopedCredentials          | false                               | scopedCredentials (executor role)|
 * | bindingTagKey              | mfa-resync:sub                      | bindingTagKey (with bindingClaim)|
 * | bindingClaim               | sub                                 | bindingClaim (with bindingTagKey)|
 * | metricsNamespace           | MfaResync                           | metricsNamespace                 |
 * | webAcl                     | false                               | webAcl (create the WAF web ACL)  |
 * | webAclArn                  | arn:aws:wafv2:...:regional/webacl/… | webAclArn (existing web ACL)     |
 * | wafIpRateLimit             | 100                                 | wafIpRateLimit (per window)      |
 * | wafTokenRateLimit          | 20                                  | wafTokenRateLimit (per window)   |
 * | wafRateWindowSeconds       | 300                                 | wafRateWindow                    |
 * | resyncThrottleRateLimit    | 1                                   | resyncThrottlingRateLimit        |
 * | resyncThrottleBurstLimit   | 2                                   | resyncThrottlingBurstLimit       |
 * | reservedConcurrency        | 5                                   | reservedConcurrentExecutions     |
 * | alarms                     | false                               | alarms                           |
 * | alarmTopicArn              | arn:aws:sns:us-east-1:1111...:ops   | alarmTopic (imported by ARN)     |
 * | stackName                  | MfaResync                           | the stack's name                 |
 *
 * Lists are comma-separated. Every key is optional; validation of the values themselves is the
 * construct's (one place), this file only checks types. An unknown key (a typo) fails the synth
 * (`checkContextKeys`); keys CDK itself sets (with `:` or `@`) are ignored.
 */
import { Duration } from 'aws-cdk-lib';
import type { HandlerLogLevel, MfaResyncApiProps, TokenUse } from './mfa-resync-api';

export const CONTEXT_KEYS = [
  'userPoolId',
  'allowedClientIds',
  'tokenUse',
  'requiredScope',
  'mappingClaim',
  'mappingPattern',
  'iamUserPathPrefix',
  'requiredGroup',
  'allowedOrigins',
  'throttleRateLimit',
  'throttleBurstLimit',
  'authorizerCacheTtlSeconds',
  'iamBudgetMs',
  'logLevel',
  'stageName',
  'tracing',
  'createApiGatewayCloudWatchRole',
  'callbackUrls',
  'logoutUrls',
  'scopedCredentials',
  'bindingTagKey',
  'bindingClaim',
  'metricsNamespace',
  'webAcl',
  'webAclArn',
  'wafIpRateLimit',
  'wafTokenRateLimit',
  'wafRateWindowSeconds',
  'resyncThrottleRateLimit',
  'resyncThrottleBurstLimit',
  'reservedConcurrency',
  'alarms',
  'alarmTopicArn',
  'stackName',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];
export type ContextReader = (key: ContextKey) => unknown;

/**
 * Each context key and the construct prop (or stack setting) it sets: the table above, as data,
 * so that the app can tell a CLI user which `-c` key to fix when the construct's validation
 * names a prop (`wafRateWindow` is set with `-c wafRateWindowSeconds`).
 */
export const CONTEXT_KEY_PROPS: Readonly<Record<ContextKey, string>> = {
  userPoolId: 'userPool (imported by ID)',
  allowedClientIds: 'allowedClientIds',
  tokenUse: 'tokenUse',
  requiredScope: 'requiredScope',
  mappingClaim: 'mappingClaim',
  mappingPattern: 'mappingPattern',
  iamUserPathPrefix: 'iamUserPathPrefix',
  requiredGroup: 'requiredGroup',
  allowedOrigins: 'allowedOrigins',
  throttleRateLimit: 'throttlingRateLimit',
  throttleBurstLimit: 'throttlingBurstLimit',
  authorizerCacheTtlSeconds: 'authorizerResultsCacheTtl',
  iamBudgetMs: 'iamBudget',
  logLevel: 'logLevel',
  stageName: 'stageName',
  tracing: 'tracing',
  createApiGatewayCloudWatchRole: 'createApiGatewayCloudWatchRole',
  callbackUrls: 'callbackUrls',
  logoutUrls: 'logoutUrls',
  scopedCredentials: 'scopedCredentials',
  bindingTagKey: 'bindingTagKey',
  bindingClaim: 'bindingClaim',
  metricsNamespace: 'metricsNamespace',
  webAcl: 'webAcl',
  webAclArn: 'webAclArn',
  wafIpRateLimit: 'wafIpRateLimit',
  wafTokenRateLimit: 'wafTokenRateLimit',
  wafRateWindowSeconds: 'wafRateWindow',
  resyncThrottleRateLimit: 'resyncThrottlingRateLimit',
  resyncThrottleBurstLimit: 'resyncThrottlingBurstLimit',
  reservedConcurrency: 'reservedConcurrentExecutions',
  alarms: 'alarms',
  alarmTopicArn: 'alarmTopic (imported by ARN)',
  stackName: '(the stack\'s name)',
};

/**
 * Context keys that CDK itself sets, never ours: anything with `:` or `@` (feature flags
 * `@aws-cdk/...`, `aws:cdk:*` from the CLI, cached lookups such as
 * `availability-zones:account=...`), and the CLI's `acknowledged-issue-numbers` (`cdk acknowledge`).
 */
function isCdkContextKey(key: string): boolean {
  return key.includes(':') || key.includes('@') || key === 'acknowledged-issue-numbers';
}

/** A context key that is not one of `CONTEXT_KEYS` (its message lists the valid ones). */
export class UnknownContextKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownContextKeyError';
  }
}

/**
 * Refuses context keys that are not ours (`-c alowedOrigins=...` would otherwise be ignored
 * silently and deploy without CORS). Give it `app.node.getAllContext()`'s keys.
 */
export function checkContextKeys(keys: Iterable<string>): void {
  const known = new Set<string>(CONTEXT_KEYS);
  const unknown = [...keys].filter((key) => !known.has(key) && !isCdkContextKey(key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const suggestion = closestKey(key);
    return suggestion === undefined ? `'${key}'` : `'${key}' (did you mean '${suggestion}'?)`;
  });
  throw new UnknownContextKeyError(
    `unknown context key${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; valid keys (lib/app-context.ts): ${CONTEXT_KEYS.join(', ')}`,
  );
}

/**
 * The hint printed under a synth error: the rows of the key-to-prop table whose key or prop
 * the message names (construct validation speaks of props, the CLI user sets keys), or the
 * whole table when it names none. An unknown key's message already lists the valid keys.
 */
export function contextErrorHint(error: unknown): string {
  if (error instanceof UnknownContextKeyError) return 'hint: every -c key is listed and documented in lib/app-context.ts';
  const message = error instanceof Error ? error.message : String(error);
  const entries = Object.entries(CONTEXT_KEY_PROPS) as [ContextKey, string][];
  // The prop is the value's first word (`userPool (imported by ID)`); `(the stack's name)` has none.
  const propName = (prop: string): string | undefined => /^[A-Za-z]+/.exec(prop)?.[0];
  const named = entries.filter(([key, prop]) => {
    const name = propName(prop);
    return mentions(message, key) || (name !== undefined && mentions(message, name));
  });
  const rows = named.length > 0 ? named : entries;
  const width = Math.max(...rows.map(([key]) => key.length));
  const table = rows.map(([key, prop]) => `  -c ${key.padEnd(width)}  ->  ${prop}`).join('\n');
  return `hint: every -c key is listed and documented in lib/app-context.ts; ${
    named.length > 0 ? 'the key(s) for the setting(s) named above' : 'context key -> construct prop'
  }:\n${table}`;
}

function mentions(message: string, word: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9])${word}($|[^A-Za-z0-9])`).test(message);
}

/** The valid key closest to a typo (edit distance at most 2, or a case-only difference). */
function closestKey(key: string): ContextKey | undefined {
  let best: { key: ContextKey; distance: number } | undefined;
  for (const candidate of CONTEXT_KEYS) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(candidate, key);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

export const DEFAULT_STACK_NAME = 'MfaResync';
/** Cognito user pool IDs: `<region>_<id>`. */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const SNS_TOPIC_ARN = /^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

export interface AppSettings {
  readonly stackName: string;
  /** Props for the construct, except those that need a scope to import into (pool, topic). */
  readonly apiProps: Omit<MfaResyncApiProps, 'userPool' | 'alarmTopic'>;
  readonly userPoolId?: string;
  readonly alarmTopicArn?: string;
}

export function readAppSettings(read: ContextReader): AppSettings {
  const userPoolId = readString(read, 'userPoolId');
  if (userPoolId !== undefined && !USER_POOL_ID.test(userPoolId)) {
    throw new Error(`context userPoolId must look like us-east-1_AbCdEf123, got '${userPoolId}'`);
  }
  const tokenUse = readString(read, 'tokenUse');
  const logLevel = readString(read, 'logLevel');
  const cacheSeconds = readNumber(read, 'authorizerCacheTtlSeconds');
  const iamBudgetMs = readNumber(read, 'iamBudgetMs');
  const wafRateWindowSeconds = readNumber(read, 'wafRateWindowSeconds');
  const alarmTopicArn = readString(read, 'alarmTopicArn');
  if (alarmTopicArn !== undefined && !SNS_TOPIC_ARN.test(alarmTopicArn)) {
    throw new Error(`context alarmTopicArn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got '${alarmTopicArn}'`);
  }
  const apiProps: Omit<MfaResyncApiProps, 'userPool' | 'alarmTopic'> = {
    ...defined('allowedClientIds', readList(read, 'allowedClientIds')),
    ...defined('tokenUse', tokenUse as TokenUse | undefined),
    ...defined('requiredScope', readString(read, 'requiredScope')),
    ...defined('mappingClaim', readString(read, 'mappingClaim')),
    ...defined('mappingPattern', readString(read, 'mappingPattern')),
    ...defined('iamUserPathPrefix', readString(read, 'iamUserPathPrefix')),
    ...defined('requiredGroup', readString(read, 'requiredGroup')),
    ...defined('allowedOrigins', readList(read, 'allowedOrigins')),
    ...defined('throttlingRateLimit', readNumber(read, 'throttleRateLimit')),
    ...defined('throttlingBurstLimit', readNumber(read, 'throttleBurstLimit')),
    ...defined('authorizerResultsCacheTtl', cacheSeconds === undefined ? undefined : Duration.seconds(cacheSeconds)),
    ...defined('iamBudget', iamBudgetMs === undefined ? undefined : Duration.millis(iamBudgetMs)),
    ...defined('logLevel', logLevel as HandlerLogLevel | undefined),
    ...defined('stageName', readString(read, 'stageName')),
    ...defined('tracing', readBoolean(read, 'tracing')),
    ...defined('createApiGatewayCloudWatchRole', readBoolean(read, 'createApiGatewayCloudWatchRole')),
    ...defined('callbackUrls', readList(read, 'callbackUrls')),
    ...defined('logoutUrls', readList(read, 'logoutUrls')),
    ...defined('scopedCredentials', readBoolean(read, 'scopedCredentials')),
    ...defined('bindingTagKey', readString(read, 'bindingTagKey')),
    ...defined('bindingClaim', readString(read, 'bindingClaim')),
    ...defined('metricsNamespace', readString(read, 'metricsNamespace')),
    ...defined('webAcl', readBoolean(read, 'webAcl')),
    ...defined('webAclArn', readString(read, 'webAclArn')),
    ...defined('wafIpRateLimit', readNumber(read, 'wafIpRateLimit')),
    ...defined('wafTokenRateLimit', readNumber(read, 'wafTokenRateLimit')),
    ...defined('wafRateWindow', wafRateWindowSeconds === undefined ? undefined : Duration.seconds(wafRateWindowSeconds)),
    ...defined('resyncThrottlingRateLimit', readNumber(read, 'resyncThrottleRateLimit')),
    ...defined('resyncThrottlingBurstLimit', readNumber(read, 'resyncThrottleBurstLimit')),
    ...defined('reservedConcurrentExecutions', readNumber(read, 'reservedConcurrency')),
    ...defined('alarms', readBoolean(read, 'alarms')),
  };
  return {
    stackName: readString(read, 'stackName') ?? DEFAULT_STACK_NAME,
    apiProps,
    ...defined('userPoolId', userPoolId),
    ...defined('alarmTopicArn', alarmTopicArn),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readString(read: ContextReader, key: ContextKey): string | undefined {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function readList(read: ContextReader, key: ContextKey): string[] | undefined {
  const value = read(key);
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || !items.every((item) => typeof item === 'string')) {
    throw new Error(`context ${key} must be a comma-separated string or a list of strings, got ${JSON.stringify(value)}`);
  }
  const list = items.map((item: string) => item.trim()).filter((item: string) => item !== '');
  return list.length === 0 ? undefined : list;
}

function readNumber(read: ContextReader, key: ContextKey): number | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (Number.isNaN(number)) throw new Error(`context ${key} must be a non-negative number, got ${JSON.stringify(value)}`);
  return number;
}

function readBoolean(read: ContextReader, key: ContextKey): boolean | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}
