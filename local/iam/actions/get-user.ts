// SPDX-License-Identifier: Apache-2.0
/** GetUser (F-1.5.1): the stored user, with its stored case, path, path-bearing ARN and tags. */
import { el, isoSeconds, list, successDocument, type XmlNode } from '../wire/xml';
import { USER_NAME, validate } from '../wire/validation';
import { resolveUser, type ActionHandler } from './context';

export const getUser: ActionHandler = (ctx) => {
  validate(ctx.params, [USER_NAME]);
  const user = resolveUser(ctx, 'GetUser').seeded;
  const fields: XmlNode[] = [
    el('Path', user.path),
    el('UserName', user.userName),
    el('UserId', user.userId),
    el('Arn', user.arn),
    el('CreateDate', isoSeconds(user.createDateMs)),
  ];
  // `Tags` is optional in the model; an untagged user has none rather than an empty list.
  if (user.tags.length > 0) fields.push(list('Tags', user.tags.map(([k, v]) => [el('Key', k), el('Value', v)])));
  return successDocument('GetUser', ctx.requestId, [el('User', fields)]);
};
