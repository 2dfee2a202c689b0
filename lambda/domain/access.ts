// SPDX-License-Identifier: Apache-2.0
/**
 * From a mapped caller to a directory that may act on their IAM user, with the checks in
 * between. Shared by both use cases so they stay a few lines each.
 */
import { verifyBinding, type BindingPolicy } from './binding';
import { CallerNotMappedError } from './errors';
import type { Caller, Claims } from './identity';
import type { MfaDirectory, MfaDirectoryProvider, ProviderCallOptions, TargetUser } from './ports';

export interface AccessPolicy {
  /** IAM_USER_PATH_PREFIX: in scoped mode the confirmed path must lie under it. */
  readonly iamUserPathPrefix: string;
  readonly binding?: BindingPolicy;
}

export interface CallerAccess {
  readonly user: TargetUser;
  readonly directory: MfaDirectory;
}

export async function openCallerAccess(
  provider: MfaDirectoryProvider,
  policy: AccessPolicy,
  caller: Caller,
  claims: Claims | null | undefined,
  options: ProviderCallOptions,
): Promise<CallerAccess> {
  const user = await provider.resolveUser(caller, options);
  if (user.confirmed !== undefined && !user.confirmed.path.startsWith(policy.iamUserPathPrefix)) {
    // The lookup session only allows GetUser under the prefix, so IAM should already have said
    // AccessDenied; checking again costs nothing and does not depend on the role being right.
    throw new CallerNotMappedError('outside-path-prefix');
  }
  if (policy.binding !== undefined) {
    // Fails closed when the mode cannot see tags (config allows binding in scoped mode only).
    verifyBinding(user.confirmed?.tags, claims, policy.binding);
  }
  return { user, directory: await provider.openDirectory(user, caller, options) };
}

/**
 * Single-role mode: the function role's own directory for every caller. IAM still limits the
 * role to `user<prefix>*`; the claim's name is sent as is (no GetUser, no STS call).
 */
export function singleRoleProvider(directory: MfaDirectory): MfaDirectoryProvider {
  return {
    mode: 'single-role',
    resolveUser: async (caller) => ({ userName: caller.iamUserName }),
    openDirectory: async () => directory,
  };
}
