// SPDX-License-Identifier: Apache-2.0
/**
 * IAM's error codes, HTTP statuses, fault types and messages. Statuses come from the service
 * model where an error is modeled (BOTO-IAM, research §1.2) and from observed IAM responses or
 * AWS's Common Errors pages otherwise. Messages are IAM's where a source shows them; where none
 * does, the comment says "decided".
 */

export type FaultType = 'Sender' | 'Receiver';

export class IamError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly type: FaultType,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const iamErrors = {
  /** 404, Sender. Message form from a real IAM response quoted in ansible/ansible#45593. */
  noSuchUser: (userName: string) => new IamError('NoSuchEntity', 404, 'Sender', `The user with name ${userName} cannot be found.`),

  /**
   * 404 (modeled, F-1.2). Serial not one of the user's devices, or a FIDO key (research §8: IAM's
   * answer for both is undocumented; NoSuchEntity is the likely one). Message wording decided,
   * patterned on the user message above.
   */
  noSuchDevice: (serialNumber: string) =>
    new IamError('NoSuchEntity', 404, 'Sender', `The MFA device with serial number ${serialNumber} cannot be found.`),

  /**
   * 403 (modeled, F-1.2). Message as IAM gives it for EnableMFADevice codes (console reports and an
   * IAM-compatible test suite found through code search); Resync is assumed to use the same text.
   */
  invalidAuthenticationCode: () =>
    new IamError('InvalidAuthenticationCode', 403, 'Sender', 'Authentication code for device is not valid.'),

  /** 400. Coral-style message, e.g. NixOS/nixops#328; built by `wire/validation.ts`. */
  validation: (message: string) => new IamError('ValidationError', 400, 'Sender', message),

  /**
   * 400, for a request without `UserName` whose signing identity is not an IAM user. Text from IAM
   * XML captured in public test fixtures and reported by many tools (e.g. terraform-provider-aws's
   * access key importer comment, moto's IAM backend).
   */
  nonUserCredentials: () => new IamError('ValidationError', 400, 'Sender', 'Must specify userName when calling with non-User credentials'),

  /**
   * 400. Wire form seen on a query service with an unknown operation or a wrong Version:
   * `Could not find operation X for version V` (aws/aws-cli#37); status from AWS Common Errors.
   */
  invalidAction: (action: string, version: string) =>
    new IamError('InvalidAction', 400, 'Sender', `Could not find operation ${action} for version ${version}`),

  /** 400 per AWS Common Errors ("MissingAction"). Message decided. */
  missingAction: () => new IamError('MissingAction', 400, 'Sender', 'The request must contain the parameter Action.'),

  /**
   * 403, `Request is missing Authentication Token`: an awsQuery (STS) capture in
   * amzn/selling-partner-api-docs#3081; status 403 per AWS Common Errors.
   */
  missingAuthenticationToken: () =>
    new IamError('MissingAuthenticationToken', 403, 'Sender', 'Request is missing Authentication Token'),

  /** 400; message form from a query-service capture in brendanhay/amazonka#316. */
  incompleteSignature: (message: string) => new IamError('IncompleteSignature', 400, 'Sender', message),

  /** 400 "Rate exceeded" (F-1.3.2, legion-platform/legion#807). */
  throttling: () => new IamError('Throttling', 400, 'Sender', 'Rate exceeded'),

  /** 500, Receiver (modeled, F-1.2). Message: the model's description of the error. */
  serviceFailure: () =>
    new IamError('ServiceFailure', 500, 'Receiver', 'The request processing has failed because of an unknown error, exception or failure.'),

  /** 409 (modeled, F-1.2, F-1.2.1). Message paraphrases the model's description. */
  concurrentModification: () =>
    new IamError(
      'ConcurrentModification',
      409,
      'Sender',
      'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
    ),

  /** 409 (modeled). Message: a real IAM LimitExceeded text reported in aws/aws-sdk-go#807 (F-1.2.3). */
  limitExceeded: () =>
    new IamError('LimitExceeded', 409, 'Sender', 'Your account has a large number of updates awaiting replication, please try again later'),

  /** 403, unmodeled (F-1.3.2): the message form `User: <arn> is not authorized to perform: iam:<Action> on resource: <resource>`. */
  accessDenied: (callerArn: string, action: string, resource: string) =>
    new IamError('AccessDenied', 403, 'Sender', `User: ${callerArn} is not authorized to perform: iam:${action} on resource: ${resource}`),

  /**
   * 403 with the context clause of IAM's current messages: `User: <arn> is not authorized to
   * perform: <action> on resource: <resource> because no session policy allows the <action>
   * action` (IAM User Guide, "Troubleshoot access denied error messages"; the SetSourceIdentity
   * form without a clause is quoted in noqdev/iambic#357). `action` carries its service prefix.
   */
  accessDeniedFor: (callerArn: string, action: string, resource: string, because: string) =>
    new IamError('AccessDenied', 403, 'Sender', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}${because}`),

  /** 403, unmodeled (F-1.3.3): an unknown key, or a session key signed without its session token. */
  invalidClientTokenId: () => new IamError('InvalidClientTokenId', 403, 'Sender', 'The security token included in the request is invalid.'),

  /** 403 on IAM (F-1.3.3); STS models it as `ExpiredTokenException`, 400 (BOTO-STS). */
  expiredToken: (sts: boolean) =>
    sts
      ? new IamError('ExpiredTokenException', 400, 'Sender', 'The security token included in the request is expired')
      : new IamError('ExpiredToken', 403, 'Sender', 'The security token included in the request is expired'),

  /** 400 (BOTO-STS `MalformedPolicyDocument`). Messages decided, after IAM's policy errors. */
  malformedPolicyDocument: (detail: string) => new IamError('MalformedPolicyDocument', 400, 'Sender', detail),

  /** Decided: not an IAM behaviour anyone documents; only GET and POST are IAM's methods. */
  methodNotAllowed: (method: string) => new IamError('MethodNotAllowed', 405, 'Sender', `The HTTP method ${method} is not supported.`),
} as const;
