// SPDX-License-Identifier: Apache-2.0
/**
 * The Lambda's configuration, read from the environment once per container.
 *
 * Every value is checked here, at cold start, so that a misconfigured deployment fails on its
 * first invocation with a message naming the variable, instead of answering requests with
 * a subtly wrong policy (for example, an access-token deployment that forgot its scope).
 * The CDK construct and the local stack set exactly these names.
 */
import { hasPolicyWildcard, isBindingTagKey, isIamBudgetMs, isIamPath, isMetricsNamespace, MAX_IAM_BUDGET_MS, MIN_IAM_BUDGET_MS } from './config-rules';
import { DEFAULT_METRICS_NAMESPACE } from './metric-names';

export { MAX_IAM_BUDGET_MS };

export type TokenUse = 'id' | 'access';

/** `'*'` allows every origin; an empty list sends no CORS headers at all. */
export type AllowedOrigins = '*' | readonly string[];

export interface Config {
  /** The claim holding the caller's IAM user name (or the value MAPPING_PATTERN extracts it from). */
  readonly mappingClaim: string;
  /**
   * When set, the pattern must match the WHOLE claim value (it is applied as `^(?:pattern)$`);
   * its first capture group, or the whole value when it has none, is the user name.
   */
  readonly mappingPattern?: RegExp;
  /**
   * The path the IAM users must be under. Single-role mode: IAM enforces it through the function
   * role's resource ARN. Scoped mode: the lookup session policy is built from it, and the Lambda
   * also checks the path GetUser returns before it scopes any credentials to the user.
   */
  readonly iamUserPathPrefix: string;
  readonly requiredGroup?: string;
  readonly tokenUse: TokenUse;
  /** Present exactly when `tokenUse` is `access`. */
  readonly requiredScope?: string;
  readonly allowedOrigins: AllowedOrigins;
  readonly iamEndpoint?: string;
  readonly region: string;
  /** Total time the IAM calls of one request may take (STS calls of scoped mode included). */
  readonly iamBudgetMs: number;
  /** Present exactly when `EXECUTOR_ROLE_ARN` is set: per-request credentials scoped to one user. */
  readonly scoped?: ScopedModeConfig;
  /** Present exactly when `BINDING_TAG_KEY` and `BINDING_CLAIM` are set (scoped mode only). */
  readonly binding?: BindingConfig;
  /** CloudWatch namespace of the EMF metrics (`POWERTOOLS_METRICS_NAMESPACE`, default `MfaResync`). */
  readonly metricsNamespace: string;
}

export interface ScopedModeConfig {
  readonly executorRoleArn: string;
  /** From the executor role ARN: the session policies name users of this partition and account. */
  readonly partition: string;
  readonly accountId: string;
  /** Another STS endpoint, such as the local stack's emulator. */
  readonly stsEndpoint?: string;
}

export interface BindingConfig {
  /** The IAM user tag that must hold the caller's claim (tag keys on users ignore case, F-3.5.4). */
  readonly tagKey: string;
  /** The verified claim whose value the tag must equal, e.g. `sub`. */
  readonly claim: string;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_MAPPING_CLAIM = 'custom:iam_username';
export const DEFAULT_IAM_BUDGET_MS = 8000;

/** Reads and checks the whole configuration; throws {@link ConfigError} on the first bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tokenUse = readTokenUse(env);
  const scoped = readScopedMode(env);
  return {
    mappingClaim: readMappingClaim(env),
    ...optional('mappingPattern', readMappingPattern(env)),
    iamUserPathPrefix: readPathPrefix(env),
    ...optional('requiredGroup', readRequiredGroup(env)),
    tokenUse,
    ...optional('requiredScope', readRequiredScope(env, tokenUse)),
    allowedOrigins: readAllowedOrigins(env),
    ...optional('iamEndpoint', readIamEndpoint(env)),
    region: readRegion(env),
    iamBudgetMs: readBudget(env),
    ...optional('scoped', scoped),
    ...optional('binding', readBinding(env, scoped)),
    metricsNamespace: readMetricsNamespace(env),
  };
}

/** An unset variable and an empty one mean the same: infra templates often render `""`. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readMappingClaim(env: NodeJS.ProcessEnv): string {
  const claim = read(env, 'MAPPING_CLAIM') ?? DEFAULT_MAPPING_CLAIM;
  if (/\s/.test(claim)) throw new ConfigError('MAPPING_CLAIM', `must be a claim name without white space, got "${claim}"`);
  return claim;
}

function readMappingPattern(env: NodeJS.ProcessEnv): RegExp | undefined {
  const source = read(env, 'MAPPING_PATTERN');
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new ConfigError('MAPPING_PATTERN', `is not a valid JavaScript regular expression: ${(error as Error).message}`);
  }
}

function readPathPrefix(env: NodeJS.ProcessEnv): string {
  const prefix = read(env, 'IAM_USER_PATH_PREFIX') ?? '/';
  if (!isIamPath(prefix)) {
    throw new ConfigError('IAM_USER_PATH_PREFIX', `must be an IAM path that starts and ends with "/", got "${prefix}"`);
  }
  // The prefix becomes part of the role's Resource ARN, where these are wildcards or variables (F-1.5.3).
  if (hasPolicyWildcard(prefix)) {
    throw new ConfigError('IAM_USER_PATH_PREFIX', `must not contain "*", "?" or "$", got "${prefix}"`);
  }
  return prefix;
}

function readRequiredGroup(env: NodeJS.ProcessEnv): string | undefined {
  const group = read(env, 'REQUIRED_GROUP');
  // The authorizer flattens groups into "a,b" or "[a b]" (F-5.2.3), so a name holding one of
  // these separators could never be matched reliably.
  if (group !== undefined && /[\s,[\]]/.test(group)) {
    throw new ConfigError('REQUIRED_GROUP', `must be a group name without white space, commas or brackets, got "${group}"`);
  }
  return group;
}

function readTokenUse(env: NodeJS.ProcessEnv): TokenUse {
  const tokenUse = read(env, 'TOKEN_USE') ?? 'id';
  if (tokenUse !== 'id' && tokenUse !== 'access') {
    throw new ConfigError('TOKEN_USE', `must be "id" or "access", got "${tokenUse}"`);
  }
  return tokenUse;
}

function readRequiredScope(env: NodeJS.ProcessEnv, tokenUse: TokenUse): string | undefined {
  const scope = read(env, 'REQUIRED_SCOPE');
  if (tokenUse === 'access' && scope === undefined) {
    throw new ConfigError('REQUIRED_SCOPE', 'is required when TOKEN_USE is "access" (F-6.3.3: any client granted the scope passes the authorizer)');
  }
  // ID tokens carry no scope (F-5.3): a scope set in id mode would look enforced but never be.
  if (tokenUse === 'id' && scope !== undefined) {
    throw new ConfigError('REQUIRED_SCOPE', 'is only valid with TOKEN_USE=access; ID tokens carry no scope');
  }
  if (scope !== undefined && /\s/.test(scope)) {
    throw new ConfigError('REQUIRED_SCOPE', `must be one scope without white space, got "${scope}"`);
  }
  return scope;
}

function readAllowedOrigins(env: NodeJS.ProcessEnv): AllowedOrigins {
  const value = read(env, 'ALLOWED_ORIGINS');
  if (value === undefined) return [];
  if (value === '*') return '*';
  const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!isSerialisedOrigin(origin)) {
      throw new ConfigError('ALLOWED_ORIGINS', `must be "*" or a comma-separated list of origins like https://app.example.com, got "${origin}"`);
    }
  }
  return origins;
}

/** An origin as browsers send it: scheme, host and optional port, nothing else (no path, no slash). */
function isSerialisedOrigin(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === candidate;
  } catch {
    return false;
  }
}

function readIamEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  return readEndpoint(env, 'IAM_ENDPOINT');
}

function readEndpoint(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const endpoint = read(env, name);
  if (endpoint === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got "${endpoint}"`);
  }
  return endpoint;
}

/**
 * `arn:<partition>:iam::<account>:role/<path><name>`. Partition and account are taken from it:
 * the executor role lives in the account whose users it acts on, and policies must use the
 * stack's partition, never a hard-coded `aws` (F-2.1.1).
 */
const ROLE_ARN = /^arn:([a-z][a-z0-9-]*):iam::(\d{12}):role\/(?:[\x21-\x7E]*\/)?[\w+=,.@-]{1,64}$/;

function readScopedMode(env: NodeJS.ProcessEnv): ScopedModeConfig | undefined {
  const executorRoleArn = read(env, 'EXECUTOR_ROLE_ARN');
  const stsEndpoint = readEndpoint(env, 'STS_ENDPOINT');
  if (executorRoleArn === undefined) {
    if (stsEndpoint !== undefined) throw new ConfigError('STS_ENDPOINT', 'is only used in scoped mode; set EXECUTOR_ROLE_ARN as well');
    return undefined;
  }
  const match = ROLE_ARN.exec(executorRoleArn);
  if (match === null) {
    throw new ConfigError('EXECUTOR_ROLE_ARN', `must be an IAM role ARN such as arn:aws:iam::111122223333:role/mfa-resync-executor, got "${executorRoleArn}"`);
  }
  return { executorRoleArn, partition: match[1] ?? 'aws', accountId: match[2] ?? '', ...optional('stsEndpoint', stsEndpoint) };
}

function readBinding(env: NodeJS.ProcessEnv, scoped: ScopedModeConfig | undefined): BindingConfig | undefined {
  const tagKey = read(env, 'BINDING_TAG_KEY');
  const claim = read(env, 'BINDING_CLAIM');
  if (tagKey === undefined && claim === undefined) return undefined;
  if (tagKey === undefined) throw new ConfigError('BINDING_TAG_KEY', 'must be set together with BINDING_CLAIM');
  if (claim === undefined) throw new ConfigError('BINDING_CLAIM', 'must be set together with BINDING_TAG_KEY');
  if (!isBindingTagKey(tagKey)) {
    throw new ConfigError('BINDING_TAG_KEY', `must be an IAM tag key (1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:), got "${tagKey}"`);
  }
  if (/\s/.test(claim)) throw new ConfigError('BINDING_CLAIM', `must be a claim name without white space, got "${claim}"`);
  // The tags come from the GetUser of scoped mode; the single-role function has no GetUser, and
  // a binding that silently did nothing would be worse than none.
  if (scoped === undefined) throw new ConfigError('BINDING_TAG_KEY', 'requires scoped mode (EXECUTOR_ROLE_ARN): the user\'s tags are read with the executor role');
  return { tagKey, claim };
}

export { DEFAULT_METRICS_NAMESPACE };

function readMetricsNamespace(env: NodeJS.ProcessEnv): string {
  const namespace = read(env, 'POWERTOOLS_METRICS_NAMESPACE') ?? DEFAULT_METRICS_NAMESPACE;
  if (!isMetricsNamespace(namespace)) {
    throw new ConfigError('POWERTOOLS_METRICS_NAMESPACE', `must be a CloudWatch namespace (1-255 letters, digits, spaces or .-_/#:, not starting with AWS/), got "${namespace}"`);
  }
  return namespace;
}

function readRegion(env: NodeJS.ProcessEnv): string {
  const region = read(env, 'AWS_REGION');
  if (region === undefined || !/^[a-z0-9-]+$/.test(region)) {
    throw new ConfigError('AWS_REGION', `must be an AWS region name such as us-east-1, got "${region ?? ''}"`);
  }
  return region;
}

function readBudget(env: NodeJS.ProcessEnv): number {
  const raw = read(env, 'IAM_BUDGET_MS');
  if (raw === undefined) return DEFAULT_IAM_BUDGET_MS;
  const budget = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!isIamBudgetMs(budget)) {
    throw new ConfigError(
      'IAM_BUDGET_MS',
      `must be a whole number of milliseconds from ${MIN_IAM_BUDGET_MS} to ${MAX_IAM_BUDGET_MS} (below the 15 s function timeout), got "${raw}"`,
    );
  }
  return budget;
}
