// SPDX-License-Identifier: Apache-2.0
/**
 * Principals, roles and sessions of one emulator, resolved from the seed. Identifies the signer of
 * each request by its access key id (and, for session keys, its session token), as AWS does.
 */
import type { IamSeed } from '../types';
import { iamErrors } from '../wire/errors';
import { checkPolicyDocument, type PolicyDocument } from './policy';
import { roleIdOf, SessionRegistry, type Principal, type ResolvedRole } from './principals';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^(?:\/|\/[\u0021-\u007E]+\/)$/;
const PRINCIPAL_ARN = /^arn:[a-z][a-z0-9-]*:iam::\d{12}:(?:role|user)\/(?:[\u0021-\u007E]*\/)?[\w+=,.@-]{1,64}$/;

export class AccessControl {
  readonly sessions = new SessionRegistry();
  private readonly principals = new Map<string, Principal>();
  private readonly roles = new Map<string, ResolvedRole>();
  private readonly strict: boolean;
  private readonly unrestricted: Principal;

  constructor(
    seed: IamSeed,
    private readonly clock: () => number,
    readonly accountId: string,
    readonly partition: string,
  ) {
    this.strict = seed.strictAccessKeys === true;
    this.unrestricted = {
      kind: 'unrestricted',
      arn: `arn:${partition}:iam::${accountId}:user/emulator-unrestricted`,
      trustArns: [`arn:${partition}:iam::${accountId}:user/emulator-unrestricted`],
      identityPolicies: [],
      isRole: false,
      userId: 'AIDAEMULATORUNRESTRICTED',
    };
    for (const role of seed.roles ?? []) {
      if (!ROLE_NAME.test(role.roleName)) throw new Error(`IAM seed: invalid role name: ${role.roleName}`);
      const path = role.path ?? '/';
      if (!PATH.test(path)) throw new Error(`IAM seed: invalid path for role ${role.roleName}: ${path}`);
      const arn = `arn:${partition}:iam::${accountId}:role${path}${role.roleName}`;
      const maxSessionDurationSeconds = role.maxSessionDurationSeconds ?? 3600;
      if (!Number.isInteger(maxSessionDurationSeconds) || maxSessionDurationSeconds < 3600 || maxSessionDurationSeconds > 43200) {
        throw new Error(`IAM seed: maxSessionDurationSeconds of ${role.roleName} must be 3600-43200`);
      }
      this.roles.set(arn, {
        roleName: role.roleName,
        path,
        arn,
        roleId: roleIdOf(accountId, role.roleName),
        policies: role.policies.map((policy) => seeded(policy, 'identity', `role ${role.roleName}`)),
        trustPolicy: seeded(role.trustPolicy, 'trust', `trust policy of ${role.roleName}`),
        maxSessionDurationSeconds,
      });
    }
    for (const principal of seed.principals ?? []) {
      if (!PRINCIPAL_ARN.test(principal.arn)) throw new Error(`IAM seed: principal arn must be a role or user ARN: ${principal.arn}`);
      if (this.principals.has(principal.accessKeyId)) throw new Error(`IAM seed: duplicate access key ${principal.accessKeyId}`);
      const isRole = principal.arn.split(':')[5]?.startsWith('role/') === true;
      const name = principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
      // A role's key stands for a session of it, as a Lambda's credentials do.
      const callerArn = isRole ? `arn:${partition}:sts::${accountId}:assumed-role/${name}/${principal.accessKeyId}` : principal.arn;
      this.principals.set(principal.accessKeyId, {
        kind: 'seeded',
        arn: callerArn,
        trustArns: isRole ? [principal.arn, callerArn] : [principal.arn],
        identityPolicies: principal.policies.map((policy) => seeded(policy, 'identity', `principal ${principal.accessKeyId}`)),
        isRole,
        userId: isRole ? `${roleIdOf(accountId, name)}:${principal.accessKeyId}` : `AIDA${principal.accessKeyId.slice(4, 21)}`,
      });
    }
  }

  /** The signer, or the error AWS answers for a bad key or token. */
  identify(accessKeyId: string, sessionToken: string | undefined, sts: boolean): Principal {
    const session = this.sessions.find(accessKeyId);
    if (session !== undefined) {
      if (sessionToken !== session.sessionToken) throw iamErrors.invalidClientTokenId();
      if (this.clock() >= session.expiresAtMs) throw iamErrors.expiredToken(sts);
      return session;
    }
    const principal = this.principals.get(accessKeyId);
    if (principal !== undefined) return principal;
    if (this.strict) throw iamErrors.invalidClientTokenId();
    return this.unrestricted;
  }

  findRole(arn: string): ResolvedRole | undefined {
    return this.roles.get(arn);
  }

  now(): number {
    return this.clock();
  }
}

function seeded(policy: PolicyDocument, kind: 'identity' | 'trust', what: string): PolicyDocument {
  try {
    return checkPolicyDocument(policy, kind);
  } catch (error) {
    throw new Error(`IAM seed: ${what}: ${(error as Error).message}`);
  }
}
