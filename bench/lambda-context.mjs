// SPDX-License-Identifier: Apache-2.0
/** The Lambda context the bench children pass to a handler; `remainingMs` counts down the timeout. */
export function benchContext(remainingMs) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'mfa-resync-bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:mfa-resync-bench',
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8aabbccdd',
    logGroupName: '/aws/lambda/mfa-resync-bench',
    logStreamName: '2026/01/05/[$LATEST]bench',
    getRemainingTimeInMillis: remainingMs,
  };
}
