// SPDX-License-Identifier: Apache-2.0
/**
 * The AWS-facing side: one awsQuery request in, one XML answer out. Order of checks:
 * method, signature presence (MissingAuthenticationToken / IncompleteSignature), Action,
 * Version and operation (InvalidAction), injected faults, then the action itself.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACTIONS } from './actions';
import type { CallLog } from './emulator/calls';
import type { FaultRegistry } from './emulator/faults';
import type { IamStore } from './state/store';
import { IamError, iamErrors } from './wire/errors';
import { IAM_API_VERSION, readAccessKeyId, readParams } from './wire/request';
import { IAM_XMLNS, errorDocument } from './wire/xml';

export interface IamEndpointDeps {
  readonly store: IamStore;
  readonly calls: CallLog;
  readonly faults: FaultRegistry;
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

function sendError(res: ServerResponse, requestId: string, error: IamError): void {
  send(res, error.status, requestId, errorDocument(error.type, error.code, error.message, requestId));
}

// unref: a delayed answer to a client that already gave up must not keep a test process alive.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function faultError(deps: IamEndpointDeps, kind: string, action: string, accessKeyId: string, userName: string | undefined): IamError {
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
      const caller = deps.store.findUserByAccessKey(accessKeyId)?.seeded.arn ?? `arn:${deps.partition}:sts::${deps.accountId}:assumed-role/local/${accessKeyId}`;
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
  let status = 200;
  let errorCode: string | undefined;
  try {
    if (action === undefined || action === '') throw iamErrors.missingAction();
    const version = params.get('Version');
    const handler = ACTIONS.get(action);
    // A wrong Version is answered like an unknown operation (aws/aws-cli#37 shows the wire form).
    // Decided: a missing Version is reported the same way, naming NO_VERSION_SPECIFIED.
    if (handler === undefined || version !== IAM_API_VERSION) throw iamErrors.invalidAction(action, version ?? 'NO_VERSION_SPECIFIED');

    const taken = deps.faults.take(action);
    if (taken.latencyMs > 0) await sleep(taken.latencyMs);
    if (taken.fault?.fault === 'malformed') {
      status = taken.fault.status ?? 200;
      errorCode = 'malformed';
      send(res, status, requestId, garbage(action));
      return;
    }
    if (taken.fault !== undefined) throw faultError(deps, taken.fault.fault, action, accessKeyId, params.get('UserName'));

    send(res, 200, requestId, handler({ params, requestId, accessKeyId, store: deps.store }));
  } catch (error) {
    const iamError = error instanceof IamError ? error : iamErrors.serviceFailure();
    status = iamError.status;
    errorCode = iamError.code;
    sendError(res, requestId, iamError);
  } finally {
    deps.calls.record({ action: action ?? '', accessKeyId, status, requestId, ...(errorCode === undefined ? {} : { errorCode }) });
  }
}
