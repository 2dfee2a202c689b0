// SPDX-License-Identifier: Apache-2.0
/**
 * Output of the local stack. The Lambda runs in this process, so its stdout and stderr (the
 * Powertools JSON logs) would mix with the stack's own lines. Every write made while a Lambda
 * invocation or its module initialisation is running (tracked with AsyncLocalStorage, so
 * concurrent requests do not confuse it) is prefixed with `[lambda] `, line by line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const lambdaScope = new AsyncLocalStorage<true>();
let installed = false;

/** Runs `work` so that everything it writes to stdout/stderr is marked as Lambda output. */
export function asLambda<T>(work: () => T): T {
  return lambdaScope.run(true, work);
}

export function installLambdaLogPrefix(prefix = '[lambda] '): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    let atLineStart = true;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      if (lambdaScope.getStore() !== true) {
        atLineStart = String(chunk).endsWith('\n');
        return original(chunk, ...rest);
      }
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const prefixed = (atLineStart ? prefix : '') + text.replace(/\n(?=.)/gs, `\n${prefix}`);
      atLineStart = text.endsWith('\n');
      return original(prefixed, ...rest);
    }) as typeof stream.write;
  }
}

/** The stack's own messages. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}
