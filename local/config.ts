// SPDX-License-Identifier: Apache-2.0
/**
 * The local stack's settings, from environment variables with fixed defaults, so `npm start`
 * needs none and tests can pick ephemeral ports (0), a temp session file and access-token mode.
 * The API settings use the names the Lambda reads (lambda/config.ts); they are handed to the CDK
 * construct, which validates them exactly as a deployment would and derives the function's env.
 */
import * as path from 'node:path';
import type { GroupsFormat } from './gateway/claims';

export interface LocalConfig {
  readonly apiPort: number;
  readonly iamPort: number;
  readonly issuerPort: number;
  readonly sessionFile: string;
  readonly fixedSecrets: boolean;
  readonly tokenUse: 'id' | 'access';
  readonly requiredScope?: string;
  readonly mappingClaim?: string;
  readonly mappingPattern?: string;
  readonly iamUserPathPrefix?: string;
  readonly requiredGroup?: string;
  readonly allowedOrigins: readonly string[];
  readonly iamBudgetMs?: number;
  /** The construct's per-request executor-role sessions (needs STS AssumeRole from the emulator). */
  readonly scopedCredentials: boolean;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly groupsFormat: GroupsFormat;
  /** Lifetime of the seeded users' tokens in session.json. */
  readonly sessionTokenTtlSeconds: number;
  /** Print the QR code of alice's device. */
  readonly qr: boolean;
}

export const DEFAULT_REQUIRED_SCOPE = 'mfa-resync/self-service';
/** Vite's dev server, the likeliest home of a portal under development. */
export const DEFAULT_ALLOWED_ORIGINS = 'http://localhost:5173';

function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) throw new Error(`${name} must be a port number (0 for any free port), got "${raw}"`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function readLocalConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): LocalConfig {
  const tokenUse = oneOf(env, 'TOKEN_USE', ['id', 'access'] as const, 'id');
  const budget = read(env, 'IAM_BUDGET_MS');
  const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
  return {
    apiPort: port(env, 'API_PORT', 3000),
    iamPort: port(env, 'IAM_PORT', 3001),
    issuerPort: port(env, 'ISSUER_PORT', 3002),
    sessionFile: path.resolve(read(env, 'SESSION_FILE') ?? path.join('.local', 'session.json')),
    fixedSecrets: argv.includes('--fixed-secrets') || read(env, 'FIXED_SECRETS') === '1' || read(env, 'FIXED_SECRETS') === 'true',
    tokenUse,
    // Access mode needs a scope (F-5.1.1); a default keeps `TOKEN_USE=access npm start` working.
    ...optional('requiredScope', read(env, 'REQUIRED_SCOPE') ?? (tokenUse === 'access' ? DEFAULT_REQUIRED_SCOPE : undefined)),
    ...optional('mappingClaim', read(env, 'MAPPING_CLAIM')),
    ...optional('mappingPattern', read(env, 'MAPPING_PATTERN')),
    ...optional('iamUserPathPrefix', read(env, 'IAM_USER_PATH_PREFIX')),
    ...optional('requiredGroup', read(env, 'REQUIRED_GROUP')),
    allowedOrigins: (read(env, 'ALLOWED_ORIGINS') ?? DEFAULT_ALLOWED_ORIGINS)
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '' && origin !== 'none'),
    ...(budget === undefined ? {} : { iamBudgetMs: Number(budget) }),
    // Scoped by default, as the construct: SCOPED_CREDENTIALS=false runs the single-role opt-out.
    scopedCredentials: oneOf(env, 'SCOPED_CREDENTIALS', ['true', 'false'] as const, 'true') === 'true',
    logLevel: oneOf(env, 'POWERTOOLS_LOG_LEVEL', ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const, 'INFO'),
    groupsFormat: oneOf(env, 'GROUPS_CLAIM_FORMAT', ['comma', 'brackets'] as const, 'comma'),
    sessionTokenTtlSeconds: Number(read(env, 'SESSION_TOKEN_TTL_SECONDS') ?? 24 * 3600),
    qr: read(env, 'NO_QR') === undefined,
  };
}
