// SPDX-License-Identifier: Apache-2.0
/**
 * Scoped mode's `MfaDirectoryProvider`: per request, two executor sessions, each narrowed by an
 * inline session policy (the effective rights are the intersection with the executor role's
 * policy, F-4.4.1), both carrying the caller as SourceIdentity (F-4.4.6, F-4.4.7):
 *
 * 1. lookup: only `iam:GetUser` on `user<prefix>*`, to read the canonical ARN, path, stored-case
 *    name and tags of the mapped user;
 * 2. user: only `iam:ListMFADevices` and `iam:ResyncMFADevice` on exactly that ARN, escaped.
 *
 * The IAM calls themselves go through the one IAM adapter, `IamMfaDirectory`; only the
 * credentials differ from single-role mode.
 */
import { UpstreamUnavailableError } from '../domain/errors';
import type { CallerIdentity, MfaDirectory, MfaDirectoryProvider, ProviderCallOptions, TargetUser } from '../domain/ports';
import { expectedUserArn, lookupSessionPolicyText, userSessionPolicyText, type UserScope } from '../domain/session-policy';
import { roleSessionNameOf, sourceIdentityOf } from '../domain/source-identity';
import { IamMfaDirectory, type IamClients, type SessionCredentials } from './iam-directory';
import type { SessionIssuer } from './sts-sessions';

export interface ScopedProviderDependencies {
  readonly sessions: SessionIssuer;
  /** IAM clients signed with one session's credentials (`createIamClientFactory`). */
  readonly clientsFor: (credentials: SessionCredentials) => IamClients;
  readonly scope: UserScope;
}

export class ScopedDirectoryProvider implements MfaDirectoryProvider {
  readonly mode = 'scoped';
  private readonly lookupPolicy: string;

  constructor(private readonly dependencies: ScopedProviderDependencies) {
    // The same for every request: built once.
    this.lookupPolicy = lookupSessionPolicyText(dependencies.scope);
  }

  async resolveUser(caller: CallerIdentity, options: ProviderCallOptions = {}): Promise<TargetUser> {
    const credentials = await this.assume(this.lookupPolicy, caller, options);
    const user = await this.directoryFor(credentials).getUser(caller.iamUserName, { ...(options.signal === undefined ? {} : { signal: options.signal }) });
    // GetUser answered for the account and partition of the executor role, with the path in the
    // ARN (F-1.5.2); an ARN of any other shape cannot be scoped safely.
    if (user.arn !== expectedUserArn(this.dependencies.scope, user.path, user.userName)) {
      throw new UpstreamUnavailableError('unexpected-user-arn');
    }
    return { userName: user.userName, confirmed: user };
  }

  async openDirectory(user: TargetUser, caller: CallerIdentity, options: ProviderCallOptions = {}): Promise<MfaDirectory> {
    // resolveUser always confirms; a user without an ARN here is a programming error.
    if (user.confirmed === undefined) throw new Error('scoped mode needs a user confirmed by GetUser');
    const credentials = await this.assume(userSessionPolicyText(user.confirmed.arn), caller, options);
    return this.directoryFor(credentials);
  }

  private assume(policy: string, caller: CallerIdentity, options: ProviderCallOptions): Promise<SessionCredentials> {
    return this.dependencies.sessions.assume({
      policy,
      sourceIdentity: sourceIdentityOf(caller),
      sessionName: roleSessionNameOf(options.requestId ?? 'unknown'),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  private directoryFor(credentials: SessionCredentials): IamMfaDirectory {
    return new IamMfaDirectory(this.dependencies.clientsFor(credentials));
  }
}
