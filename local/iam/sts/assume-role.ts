// SPDX-License-Identifier: Apache-2.0
/**
 * STS AssumeRole (API version 2011-06-15) on the emulator's endpoint.
 *
 * Order of checks: parameters (ValidationError, Coral-style like IAM's), the session policy
 * (MalformedPolicyDocument), then authorisation: the caller's own policies must allow
 * `sts:AssumeRole` on the role, and `sts:SetSourceIdentity` when a SourceIdentity is given
 * (`sts:TagSession` with tags); the role's trust policy must allow the same actions to the caller
 * (F-4.4.4, F-4.4.6). A role that does not exist is refused like one that does not trust the
 * caller. Then the duration (role chaining caps it at 1 h, F-4.4.3).
 */
import { accessDenied, authorize, type Principal } from '../auth/principals';
import { checkPolicyDocument, evaluate, type PolicyDocument } from '../auth/policy';
import type { AccessControl } from '../auth/access-control';
import { iamErrors } from '../wire/errors';
import type { QueryParams } from '../wire/request';
import { validate, type IntegerConstraint, type StringConstraint } from '../wire/validation';
import { el, STS_XMLNS, successDocument } from '../wire/xml';

export const STS_API_VERSION = '2011-06-15';

export interface StsContext {
  readonly params: QueryParams;
  readonly requestId: string;
  readonly principal: Principal;
  readonly access: AccessControl;
}

// Shapes from BOTO-STS (research §4.4, §9).
// The model's RoleArn pattern spans all of Unicode; only the lengths matter here.
const ROLE_ARN: StringConstraint = { kind: 'string', param: 'RoleArn', required: true, min: 20, max: 2048, pattern: '[\\s\\S]+' };
const ROLE_SESSION_NAME: StringConstraint = { kind: 'string', param: 'RoleSessionName', required: true, min: 2, max: 64, pattern: '[\\w+=,.@-]*' };
const SOURCE_IDENTITY: StringConstraint = { kind: 'string', param: 'SourceIdentity', required: false, min: 2, max: 64, pattern: '[\\w+=,.@-]*' };
const POLICY: StringConstraint = { kind: 'string', param: 'Policy', required: false, min: 1, max: 2048, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' };
const DURATION: IntegerConstraint = { kind: 'integer', param: 'DurationSeconds', required: false, min: 900, max: 43200 };

const DEFAULT_DURATION_SECONDS = 3600;
const CHAINED_MAX_SECONDS = 3600;

export function assumeRole(ctx: StsContext): string {
  validate(ctx.params, [ROLE_ARN, ROLE_SESSION_NAME, DURATION, POLICY, SOURCE_IDENTITY]);
  const roleArn = ctx.params.get('RoleArn') ?? '';
  const sessionName = ctx.params.get('RoleSessionName') ?? '';
  const requestedSourceIdentity = ctx.params.get('SourceIdentity');
  // F-4.4.6: a SourceIdentity cannot begin with `aws:` (the pattern already excludes `:`).
  if (requestedSourceIdentity !== undefined && /^aws:/i.test(requestedSourceIdentity)) {
    throw iamErrors.validation('SourceIdentity cannot begin with the prefix aws:');
  }
  const sessionPolicy = readSessionPolicy(ctx.params.get('Policy'));
  const hasTags = [...ctx.params.keys()].some((key) => key.startsWith('Tags.member.'));

  // F-4.4.6: once set, the SourceIdentity carries through role chaining.
  const sourceIdentity = requestedSourceIdentity ?? ctx.principal.sourceIdentity;
  const keys: Record<string, string> = { 'sts:rolesessionname': sessionName };
  if (requestedSourceIdentity !== undefined) keys['sts:sourceidentity'] = requestedSourceIdentity;
  if (ctx.principal.sourceIdentity !== undefined) keys['aws:sourceidentity'] = ctx.principal.sourceIdentity;

  const actions = ['sts:AssumeRole', ...(requestedSourceIdentity === undefined ? [] : ['sts:SetSourceIdentity']), ...(hasTags ? ['sts:TagSession'] : [])];
  const role = ctx.access.findRole(roleArn);
  for (const action of actions) {
    const request = { action, resource: roleArn, keys };
    const identity = authorize(ctx.principal, request);
    if (!identity.allowed) throw accessDenied(ctx.principal, action, roleArn, {});
    const trusted =
      role !== undefined &&
      evaluate([role.trustPolicy], { ...request, principal: { arns: ctx.principal.trustArns, accountId: ctx.access.accountId } }) === 'allow';
    // AWS names no policy type when the trust policy refuses (noqdev/iambic#357).
    if (!trusted) throw accessDenied(ctx.principal, action, roleArn, {});
  }
  if (role === undefined) throw accessDenied(ctx.principal, 'sts:AssumeRole', roleArn, {});

  const durationParam = ctx.params.get('DurationSeconds');
  const durationSeconds = durationParam === undefined ? DEFAULT_DURATION_SECONDS : Number(durationParam);
  // Messages as STS words them for these two limits (decided where no capture was at hand).
  if (ctx.principal.isRole && durationSeconds > CHAINED_MAX_SECONDS) {
    throw iamErrors.validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (durationSeconds > role.maxSessionDurationSeconds) {
    throw iamErrors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  const nowMs = ctx.access.now();
  ctx.access.sessions.prune(nowMs - 3_600_000);
  const session = ctx.access.sessions.issue({
    role,
    sessionName,
    durationSeconds,
    ...(sessionPolicy === undefined ? {} : { sessionPolicy }),
    ...(sourceIdentity === undefined ? {} : { sourceIdentity }),
    nowMs,
    accountId: ctx.access.accountId,
    partition: ctx.access.partition,
  });
  const rawPolicy = ctx.params.get('Policy');
  const result = [
    el('Credentials', [
      el('AccessKeyId', session.accessKeyId),
      el('SecretAccessKey', session.secretAccessKey),
      el('SessionToken', session.sessionToken),
      el('Expiration', new Date(session.expiresAtMs).toISOString()),
    ]),
    el('AssumedRoleUser', [el('AssumedRoleId', session.userId), el('Arn', session.arn)]),
    // Decided: the packed size is not public; report the plaintext's share of its limit (F-4.4.2).
    ...(rawPolicy === undefined ? [] : [el('PackedPolicySize', Math.max(1, Math.ceil((rawPolicy.replace(/\s+/g, '').length / 2048) * 100)))]),
    ...(sourceIdentity === undefined ? [] : [el('SourceIdentity', sourceIdentity)]),
  ];
  return successDocument('AssumeRole', ctx.requestId, result, STS_XMLNS);
}

/** GetCallerIdentity: who the emulator thinks signed the request (handy when a test is denied). */
export function getCallerIdentity(ctx: StsContext): string {
  return successDocument(
    'GetCallerIdentity',
    ctx.requestId,
    [el('UserId', ctx.principal.userId), el('Account', ctx.access.accountId), el('Arn', ctx.principal.arn)],
    STS_XMLNS,
  );
}

function readSessionPolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw iamErrors.malformedPolicyDocument('The policy is not in the valid JSON format.');
  }
  try {
    return checkPolicyDocument(parsed, 'identity');
  } catch (error) {
    throw iamErrors.malformedPolicyDocument(`Syntax errors in policy: ${(error as Error).message}`);
  }
}

export const STS_ACTIONS: ReadonlyMap<string, (ctx: StsContext) => string> = new Map([
  ['AssumeRole', assumeRole],
  ['GetCallerIdentity', getCallerIdentity],
]);
