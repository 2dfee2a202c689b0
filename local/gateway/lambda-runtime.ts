// SPDX-License-Identifier: Apache-2.0
/**
 * Runs the deployed bundle (`dist/lambda/index.mjs`) the way the Lambda runtime does, inside the
 * stack's process:
 *
 * - the function's environment is set before the bundle is imported, because the handler reads
 *   its configuration at module load (cold start); credentials of the developer's own shell are
 *   removed first, so nothing real can reach the local IAM endpoint;
 * - each invocation gets a Lambda-like context whose `getRemainingTimeInMillis()` counts down
 *   from the function timeout; an invocation still running at the timeout is a function error
 *   ("Task timed out"), as in AWS;
 * - everything the function writes is prefixed `[lambda]` (see ../output).
 *
 * Known difference: AWS runs concurrent requests in separate execution environments; here they
 * share one module instance, so module-level state is shared between overlapping requests.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { asLambda } from '../output';

export interface LambdaRuntimeOptions {
  readonly bundlePath: string;
  readonly functionName: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly region: string;
  readonly accountId: string;
}

export type InvokeOutcome =
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'function-error' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'init-error' };

export interface LambdaRuntime {
  invoke(event: APIGatewayProxyEvent, awsRequestId: string): Promise<InvokeOutcome>;
}

type Handler = (event: APIGatewayProxyEvent, context: Context, callback: (error?: unknown, result?: unknown) => void) => unknown;

/** Variables that would point the SDK at real AWS credentials or profiles. */
const HOST_CREDENTIAL_VARIABLES = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
];

export async function loadLambda(options: LambdaRuntimeOptions): Promise<LambdaRuntime> {
  for (const name of HOST_CREDENTIAL_VARIABLES) delete process.env[name];
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    ...options.env,
  });

  let handler: Handler | undefined;
  try {
    const module = (await asLambda(() => import(pathToFileURL(options.bundlePath).href))) as { handler?: unknown };
    if (typeof module.handler !== 'function') throw new Error(`${options.bundlePath} exports no handler function`);
    handler = module.handler as Handler;
  } catch (error) {
    // Like a crashed init in AWS: every invocation then fails until the stack is restarted.
    asLambda(() => console.error(`INIT_FAILURE ${(error as Error).message}`));
  }

  const logStream = `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;

  return {
    async invoke(event, awsRequestId) {
      if (handler === undefined) return { kind: 'init-error' };
      const deadline = Date.now() + options.timeoutMs;
      let settle: (outcome: InvokeOutcome) => void = () => undefined;
      const outcome = new Promise<InvokeOutcome>((resolve) => (settle = resolve));
      const context: Context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName: options.functionName,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
        memoryLimitInMB: String(options.memoryMb),
        awsRequestId,
        logGroupName: `/aws/lambda/${options.functionName}`,
        logStreamName: logStream,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: (error?: Error, result?: unknown) => settle(error ? { kind: 'function-error' } : { kind: 'result', result }),
        fail: () => settle({ kind: 'function-error' }),
        succeed: (result: unknown) => settle({ kind: 'result', result }),
      };
      const timer = setTimeout(() => {
        asLambda(() => console.error(`${new Date().toISOString()} ${awsRequestId} Task timed out after ${options.timeoutMs / 1000} seconds`));
        settle({ kind: 'timeout' });
      }, options.timeoutMs);
      process.env._X_AMZN_TRACE_ID = event.headers['X-Amzn-Trace-Id'] ?? '';
      asLambda(() => {
        try {
          const returned = handler?.(event, context, (error, result) => context.done(error as Error | undefined, result));
          if (returned !== undefined && typeof (returned as Promise<unknown>).then === 'function') {
            (returned as Promise<unknown>).then(
              (result) => settle({ kind: 'result', result }),
              (error: unknown) => {
                console.error(`${awsRequestId} Invoke Error ${(error as Error)?.name ?? 'Error'}`);
                settle({ kind: 'function-error' });
              },
            );
          }
        } catch (error) {
          console.error(`${awsRequestId} Invoke Error ${(error as Error)?.name ?? 'Error'}`);
          settle({ kind: 'function-error' });
        }
      });
      try {
        return await outcome;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
