// SPDX-License-Identifier: Apache-2.0
/**
 * Who signed a request: a seeded principal (an access key with identity policies, such as a
 * Lambda function role's), a session that `AssumeRole` issued (role policies intersected with an
 * inline session policy, F-4.4.1), or, for keys nobody seeded, the emulator's default
 * unrestricted principal (so that seeds written before policies existed keep working), unless
 * the seed asks for `strictAccessKeys`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { iamErrors, type IamError } from '../wire/errors';
import { evaluate, type Decision, type PolicyDocument, type RequestContext } from './policy';

export interface ResolvedRole {
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  readonly roleId: string;
  readonly policies: readonly PolicyDocument[];
  readonly trustPolicy: PolicyDocument;
  readonly maxSessionDurationSeconds: number;
}

export interface Principal {
  readonly kind: 'unrestricted' | 'seeded' | 'session';
  /** As AccessDenied messages name the caller: a user ARN or an `assumed-role` ARN. */
  readonly arn: string;
  /** ARNs a trust policy may name to mean this caller: the role ARN for role sessions, and the caller ARN. */
  readonly trustArns: readonly string[];
  /** `unrestricted` has none and is allowed everything. */
  readonly identityPolicies: readonly PolicyDocument[];
  readonly sessionPolicy?: PolicyDocument;
  readonly sourceIdentity?: string;
  /** A role (session): its AssumeRole calls are role chaining, capped at 1 h (F-4.4.3). */
  readonly isRole: boolean;
  readonly userId: string;
}

export interface Session extends Principal {
  readonly kind: 'session';
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAtMs: number;
  readonly role: ResolvedRole;
  readonly sessionName: string;
}

export interface Authorization {
  readonly allowed: boolean;
  /** Which policy type refused, for IAM's message (`because no session policy allows …`). */
  readonly because?: string;
}

/**
 * Identity policies, then the session policy (both must allow, F-4.4.1); an explicit Deny in
 * either refuses. `unrestricted` skips both.
 */
export function authorize(principal: Principal, request: RequestContext): Authorization {
  if (principal.kind === 'unrestricted') return { allowed: true };
  const identity = evaluate(principal.identityPolicies, request);
  if (identity !== 'allow') return { allowed: false, because: reason(identity, 'identity-based') };
  if (principal.sessionPolicy !== undefined) {
    const session = evaluate([principal.sessionPolicy], request);
    if (session !== 'allow') return { allowed: false, because: reason(session, 'session') };
  }
  return { allowed: true };
}

function reason(decision: Decision, type: string): string {
  // The two forms of IAM's access denied messages (IAM User Guide, "Troubleshoot access denied
  // error messages"): "with an explicit deny in a <type> policy", "because no <type> policy
  // allows the <action> action".
  return decision === 'explicit-deny' ? `with an explicit deny in a ${type} policy` : `because no ${type} policy allows the`;
}

/** IAM's AccessDenied for an action it authorised and refused. */
export function accessDenied(principal: Principal, action: string, resource: string, authorization: Pick<Authorization, 'because'>): IamError {
  const because = authorization.because === undefined ? '' : authorization.because.endsWith('allows the') ? ` ${authorization.because} ${action} action` : ` ${authorization.because}`;
  return iamErrors.accessDeniedFor(principal.arn, action, resource, because);
}

export interface IssueSessionInput {
  readonly role: ResolvedRole;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly sessionPolicy?: PolicyDocument;
  readonly sourceIdentity?: string;
  readonly nowMs: number;
  readonly accountId: string;
  readonly partition: string;
}

/** Temporary credentials: `ASIA` keys, as STS issues them, kept until they expire. */
export class SessionRegistry {
  private sessions = new Map<string, Session>();

  issue(input: IssueSessionInput): Session {
    const accessKeyId = `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;
    const sessionArn = `arn:${input.partition}:sts::${input.accountId}:assumed-role/${input.role.roleName}/${input.sessionName}`;
    const session: Session = {
      kind: 'session',
      arn: sessionArn,
      trustArns: [input.role.arn, sessionArn],
      identityPolicies: input.role.policies,
      ...(input.sessionPolicy === undefined ? {} : { sessionPolicy: input.sessionPolicy }),
      ...(input.sourceIdentity === undefined ? {} : { sourceIdentity: input.sourceIdentity }),
      isRole: true,
      userId: `${input.role.roleId}:${input.sessionName}`,
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `FwoGZXIvYXdzEL${randomBytes(96).toString('base64')}`,
      expiresAtMs: input.nowMs + input.durationSeconds * 1000,
      role: input.role,
      sessionName: input.sessionName,
    };
    this.sessions.set(accessKeyId, session);
    return session;
  }

  find(accessKeyId: string): Session | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Drops expired sessions; called on each issue so a long-running stack stays small. */
  prune(nowMs: number): void {
    for (const [key, session] of this.sessions) if (session.expiresAtMs <= nowMs) this.sessions.delete(key);
  }

  clear(): void {
    this.sessions = new Map();
  }
}

/** `AROA` + 17 characters derived from the account and role name: stable across restarts. */
export function roleIdOf(accountId: string, roleName: string): string {
  const digest = createHash('sha256').update(`role:${accountId}:${roleName}`).digest('hex').toUpperCase();
  return `AROA${digest.replace(/[^A-Z2-7]/g, '').padEnd(17, 'Q').slice(0, 17)}`;
}
