// SPDX-License-Identifier: Apache-2.0
import type { AccessControl } from '../auth/access-control';
import { accessDenied, authorize, type Principal } from '../auth/principals';
import { iamErrors } from '../wire/errors';
import type { QueryParams } from '../wire/request';
import type { IamStore, UserState } from '../state/store';

/** What an action handler gets: the parsed request and the state. It returns the response XML or throws an `IamError`. */
export interface ActionContext {
  readonly params: QueryParams;
  readonly requestId: string;
  /** From the SigV4 credential. */
  readonly accessKeyId: string;
  readonly store: IamStore;
  /** Who signed: seeded principal, AssumeRole session, or the default unrestricted principal. */
  readonly principal: Principal;
  readonly access: AccessControl;
}

export type ActionHandler = (ctx: ActionContext) => string;

/**
 * `UserName` when given (looked up regardless of case, F-3.5.2), else the user that owns the
 * signing access key, as IAM falls back to the caller (F-1.4.1, F-1.5.1); in both cases only
 * after the signer is authorised for `iam:<action>` on that user.
 *
 * The resource is the stored user ARN, with its path and stored case (F-1.5.2; policy ARN
 * matching is case-sensitive, F-3.5.2). For a user that does not exist it is
 * `user/<name as requested>`: IAM authorises before it looks, so a caller who may not act on a
 * name learns AccessDenied, never whether the user exists.
 */
export function resolveUser(ctx: ActionContext, action: string): UserState {
  const userName = ctx.params.get('UserName');
  if (userName === undefined) {
    const caller = ctx.store.findUserByAccessKey(ctx.accessKeyId);
    if (caller === undefined) throw iamErrors.nonUserCredentials();
    authorizeOnUser(ctx, action, caller.seeded.arn);
    return caller;
  }
  const user = ctx.store.findUser(userName);
  authorizeOnUser(ctx, action, user?.seeded.arn ?? `arn:${ctx.access.partition}:iam::${ctx.access.accountId}:user/${userName}`);
  // IAM echoes the name as requested, not the stored one (it has none to echo).
  if (user === undefined) throw iamErrors.noSuchUser(userName);
  return user;
}

function authorizeOnUser(ctx: ActionContext, action: string, userArn: string): void {
  const iamAction = `iam:${action}`;
  const keys: Record<string, string> = {};
  if (ctx.principal.sourceIdentity !== undefined) keys['aws:sourceidentity'] = ctx.principal.sourceIdentity;
  const authorization = authorize(ctx.principal, { action: iamAction, resource: userArn, keys });
  if (!authorization.allowed) throw accessDenied(ctx.principal, iamAction, userArn, authorization);
}
