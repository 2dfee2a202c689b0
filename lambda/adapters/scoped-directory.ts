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
 * credentials differ from single-role mode, and two refusals mean something else here:
 * - `AccessDenied` in the user session: GetUser already confirmed the user under the prefix and
 *   the session policy names exactly that ARN, so only the deployment (an SCP, a permissions
 *   boundary, the executor role's policy) can deny it: a 500 that counts as a server error, not
 *   `caller-not-mapped`. In the lookup session it still means a user outside the prefix.
 * - STS `PackedPolicyTooLarge` for the user session: this user's ARN (a very long path) cannot
 *   be scoped, which is `caller-not-mapped` (`unscopable-user`), not a misconfiguration.
 */
import { CallerNotMappedError, ExecutorMisconfiguredError, UpstreamUnavailableError } from '../domain/errors';
import type {
  CallerIdentity,
  DirectoryCallOptions,
  MfaDevicePage,
  MfaDirectory,
  MfaDirectoryProvider,
  ProviderCallOptions,
  ResyncCommand,
  TargetUser,
} from '../domain/ports';
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
    let credentials: SessionCredentials;
    try {
      credentials = await this.assume(userSessionPolicyText(user.confirmed.arn), caller, options);
    } catch (error) {
      if (error instanceof ExecutorMisconfiguredError && PACKED_POLICY_TOO_LARGE.has(error.errorCode)) {
        throw new CallerNotMappedError('unscopable-user');
      }
      throw error;
    }
    return new UserSessionDirectory(this.directoryFor(credentials));
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

/** STS's codes for a session policy (with the session's other data) too large once packed (F-4.4.2). */
const PACKED_POLICY_TOO_LARGE = new Set(['PackedPolicyTooLarge', 'PackedPolicyTooLargeException']);

/** The user session's directory: `AccessDenied` there is a deployment problem (see the top). */
class UserSessionDirectory implements MfaDirectory {
  constructor(private readonly directory: MfaDirectory) {}

  listMfaDevices(userName: string, marker?: string, options?: DirectoryCallOptions): Promise<MfaDevicePage> {
    return this.directory.listMfaDevices(userName, marker, options).catch(rethrowAccessDenied);
  }

  resyncMfaDevice(command: ResyncCommand, options?: DirectoryCallOptions): Promise<void> {
    return this.directory.resyncMfaDevice(command, options).catch(rethrowAccessDenied);
  }
}

function rethrowAccessDenied(error: unknown): never {
  // The shared adapter turns IAM's AccessDenied (and AccessDeniedException) into this reason only.
  if (error instanceof CallerNotMappedError && error.reason === 'iam-access-denied') {
    throw new ExecutorMisconfiguredError('AccessDenied', 'iam');
  }
  throw error;
}
