// SPDX-License-Identifier: Apache-2.0
/**
 * Reads an awsQuery request: parameters from a form body or a query string, and the caller's
 * access key id from the SigV4 credential. Signatures are deliberately not verified; the emulator
 * only needs to refuse requests that IAM would refuse before looking at them.
 */
import { iamErrors } from './errors';

export const IAM_API_VERSION = '2010-05-08';

export type QueryParams = ReadonlyMap<string, string>;

/**
 * IAM accepts GET and POST for every action (IAM User Guide, "Calling the IAM API using HTTP
 * query requests", docs.aws.amazon.com/IAM/latest/UserGuide/programming.html). POST carries the
 * parameters form-encoded in the body (F-2.1.2). Query-string parameters are merged in first so
 * that body values win, which is what a form POST to a URL with a query string means to most
 * servers; IAM's own precedence is undocumented (decided).
 */
export function readParams(queryString: string, body: string): QueryParams {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(queryString)) params.set(key, value);
  for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  return params;
}

/**
 * SigV4 arrives either as an `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request,
 * SignedHeaders=…, Signature=…` header or, for presigned GETs, as `X-Amz-Algorithm`,
 * `X-Amz-Credential`, `X-Amz-SignedHeaders` and `X-Amz-Signature` parameters.
 * Returns the access key id, or throws the error IAM would answer with.
 */
export function readAccessKeyId(authorization: string | undefined, hasDateHeader: boolean, params: QueryParams): string {
  if (authorization === undefined || authorization.trim() === '') {
    const credential = params.get('X-Amz-Credential');
    if (params.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && credential !== undefined) {
      if (!params.has('X-Amz-Signature') || !params.has('X-Amz-SignedHeaders') || !params.has('X-Amz-Date')) {
        throw iamErrors.incompleteSignature('AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders and X-Amz-Date.');
      }
      return accessKeyFromCredential(credential, `X-Amz-Credential=${credential}`);
    }
    throw iamErrors.missingAuthenticationToken();
  }

  const header = authorization.trim();
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header);
  if (match === null) {
    // Decided: IAM's exact text for a non-SigV4 scheme is not in the sources; reuse the
    // "requires … parameter" sentences AWS gives for a header that lacks them (amazonka#316).
    throw iamErrors.incompleteSignature(`${missingParts(new Map(), hasDateHeader)}Authorization=${header}`);
  }
  const parts = new Map<string, string>();
  for (const piece of (match[1] ?? '').split(',')) {
    const eq = piece.indexOf('=');
    if (eq < 0) {
      // Same form as the captures in aws/aws-sdk-go#289 and jenkinsci/aws-credentials-plugin#72.
      throw iamErrors.incompleteSignature(`'${piece.trim()}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    }
    parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const missing = missingParts(parts, hasDateHeader);
  if (missing !== '') throw iamErrors.incompleteSignature(`${missing}Authorization=${header}`);
  return accessKeyFromCredential(parts.get('Credential') ?? '', header);
}

function missingParts(parts: ReadonlyMap<string, string>, hasDateHeader: boolean): string {
  let text = '';
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!parts.has(name)) text += `Authorization header requires '${name}' parameter. `;
  }
  if (!hasDateHeader) text += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  return text;
}

function accessKeyFromCredential(credential: string, context: string): string {
  // The scope is AKID/yyyymmdd/region/service/aws4_request; only the key id matters here.
  const scope = credential.split('/');
  const accessKeyId = scope[0] ?? '';
  if (scope.length !== 5 || accessKeyId === '' || scope[4] !== 'aws4_request') {
    // Decided wording; IAM answers a malformed credential scope with IncompleteSignature.
    throw iamErrors.incompleteSignature(`Credential should be scoped to a valid region, service and aws4_request terminator. ${context}`);
  }
  return accessKeyId;
}
