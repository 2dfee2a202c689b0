// SPDX-License-Identifier: Apache-2.0
import { iamErrors } from '../wire/errors';
import type { QueryParams } from '../wire/request';
import type { IamStore, UserState } from '../state/store';

/** What an action handler gets: the parsed request and the state. It returns the response XML or throws an `IamError`. */
export interface ActionContext {
  readonly params: QueryParams;
  readonly requestId: string;
  /** From the SigV4 credential; a later issue keys session policies on it. */
  readonly accessKeyId: string;
  readonly store: IamStore;
}

export type ActionHandler = (ctx: ActionContext) => string;

/**
 * `UserName` when given (looked up regardless of case, F-3.5.2), else the user that owns the
 * signing access key, as IAM falls back to the caller (F-1.4.1, F-1.5.1).
 */
export function resolveUser(ctx: ActionContext): UserState {
  const userName = ctx.params.get('UserName');
  if (userName === undefined) {
    const caller = ctx.store.findUserByAccessKey(ctx.accessKeyId);
    if (caller === undefined) throw iamErrors.nonUserCredentials();
    return caller;
  }
  const user = ctx.store.findUser(userName);
  // IAM echoes the name as requested, not the stored one (it has none to echo).
  if (user === undefined) throw iamErrors.noSuchUser(userName);
  return user;
}
