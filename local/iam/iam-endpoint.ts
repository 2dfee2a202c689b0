// SPDX-License-Identifier: Apache-2.0
/**
 * The AWS-facing side: one awsQuery request in, one XML answer out, for IAM (Version
 * 2010-05-08) and STS (2011-06-15) alike: both are Query services, told apart by Version.
 * Order of checks: method, signature presence (MissingAuthenticationToken / IncompleteSignature),
 * Action, Version and operation (InvalidAction), the signer (InvalidClientTokenId /
 * ExpiredToken), injected faults, then the action itself, which authorises the signer.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACTIONS } from './actions';
import type { AccessControl } from './auth/access-control';
import type { Principal } from './auth/principals';
import type { CallLog } from './emulator/calls';
import type { FaultRegistry } from './emulator/faults';
import type { IamStore } from './state/store';
import { IamError, iamErrors } from './wire/errors';
import { IAM_API_VERSION, readAccessKeyId, readParams } from './wire/request';
import { STS_ACTIONS, STS_API_VERSION } from './sts/assume-role';
import { IAM_XMLNS, STS_XMLNS, errorDocument } from './wire/xml';

export interface IamEndpointDeps {
  readonly store: IamStore;
  readonly calls: CallLog;
  readonly faults: FaultRegistry;
  readonly access: AccessControl;
  readonly accountId: string;
  readonly partition: string;
}

function send(res: ServerResponse, status: number, requestId: string, body: string): void {
  res
    .writeHead(status, {
      // IAM answers text/xml and names the request in x-amzn-RequestId (F-2.2.1, F-2.3.3).
      'Content-Type': 'text/xml',
      'x-amzn-RequestId': requestId,
      'Content-Length': Buffer.byteLength(body),
      Date: new Date().toUTCString(),
    })
    .end(body);
}

function sendError(res: ServerResponse, requestId: string, error: IamError, xmlns = IAM_XMLNS): void {
  send(res, error.status, requestId, errorDocument(error.type, error.code, error.message, requestId, xmlns));
}

// unref: a delayed answer to a client that already gave up must not keep a test process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function faultError(deps: IamEndpointDeps, kind: string, action: string, accessKeyId: string, userName: string | undefined, principal: Principal): IamError {
  switch (kind) {
    case 'Throttling':
      return iamErrors.throttling();
    case 'ServiceFailure':
      return iamErrors.serviceFailure();
    case 'ConcurrentModification':
      return iamErrors.concurrentModification();
    case 'LimitExceeded':
      return iamErrors.limitExceeded();
    default: {
      const caller =
        principal.kind === 'unrestricted'
          ? (deps.store.findUserByAccessKey(accessKeyId)?.seeded.arn ?? `arn:${deps.partition}:sts::${deps.accountId}:assumed-role/local/${accessKeyId}`)
          : principal.arn;
      const resource = userName === undefined ? '*' : `arn:${deps.partition}:iam::${deps.accountId}:user/${userName}`;
      return iamErrors.accessDenied(caller, action, resource);
    }
  }
}

/**
 * Garbage for the `malformed` fault: the start of a plausible document cut off mid-tag, then
 * bytes no XML parser accepts, so clients exercise their "unparseable response" path.
 */
function garbage(action: string): string {
  return `<${action}Response xmlns="${IAM_XMLNS}"><${action}Result><MFADevices><member><Ser\u0000\u0001 not xml </<<>`;
}

export async function handleIamRequest(deps: IamEndpointDeps, req: IncomingMessage, url: URL, body: string, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    sendError(res, requestId, iamErrors.methodNotAllowed(method));
    return;
  }
  const params = readParams(url.search.replace(/^\?/, ''), method === 'POST' ? body : '');

  let accessKeyId: string;
  try {
    const hasDate = req.headers['x-amz-date'] !== undefined || req.headers['date'] !== undefined;
    accessKeyId = readAccessKeyId(req.headers.authorization, hasDate, params);
  } catch (error) {
    // Unsigned requests never reach an action, so they are neither counted nor logged.
    sendError(res, requestId, error instanceof IamError ? error : iamErrors.serviceFailure());
    return;
  }

  const action = params.get('Action');
  const version = params.get('Version');
  // STS's namespace only for the STS actions; anything else is answered as IAM always did.
  const sts = version === STS_API_VERSION && STS_ACTIONS.has(action ?? '');
  const xmlns = sts ? STS_XMLNS : IAM_XMLNS;
  let status = 200;
  let errorCode: string | undefined;
  let principal: Principal | undefined;
  try {
    if (action === undefined || action === '') throw iamErrors.missingAction();
    const iamHandler = version === IAM_API_VERSION ? ACTIONS.get(action) : undefined;
    const stsHandler = sts ? STS_ACTIONS.get(action) : undefined;
    // A wrong Version is answered like an unknown operation (aws/aws-cli#37 shows the wire form).
    // Decided: a missing Version is reported the same way, naming NO_VERSION_SPECIFIED.
    if (iamHandler === undefined && stsHandler === undefined) throw iamErrors.invalidAction(action, version ?? 'NO_VERSION_SPECIFIED');

    const sessionToken = headerValue(req.headers['x-amz-security-token']) ?? params.get('X-Amz-Security-Token');
    principal = deps.access.identify(accessKeyId, sessionToken, sts);

    const taken = deps.faults.take(action);
    if (taken.latencyMs > 0) await sleep(taken.latencyMs);
    if (taken.fault?.fault === 'malformed') {
      status = taken.fault.status ?? 200;
      errorCode = 'malformed';
      send(res, status, requestId, garbage(action));
      return;
    }
    if (taken.fault !== undefined) throw faultError(deps, taken.fault.fault, action, accessKeyId, params.get('UserName'), principal);

    const body =
      stsHandler !== undefined
        ? stsHandler({ params, requestId, principal, access: deps.access })
        : (iamHandler ?? (() => ''))({ params, requestId, accessKeyId, store: deps.store, principal, access: deps.access });
    send(res, 200, requestId, body);
  } catch (error) {
    const iamError = error instanceof IamError ? error : iamErrors.serviceFailure();
    status = iamError.status;
    errorCode = iamError.code;
    sendError(res, requestId, iamError, xmlns);
  } finally {
    deps.calls.record({
      action: action ?? '',
      accessKeyId,
      status,
      requestId,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(principal === undefined || principal.kind === 'unrestricted' ? {} : { principalArn: principal.arn }),
      ...(principal?.sourceIdentity === undefined ? {} : { sourceIdentity: principal.sourceIdentity }),
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
