// SPDX-License-Identifier: Apache-2.0
/** Errors of the HTTP layer itself: the request never reached the domain. */
import type { ProblemCode } from './problems';

export class HttpProblemError extends Error {
  constructor(readonly code: Extract<ProblemCode, 'unsupported-media-type' | 'route-not-found'>) {
    super(`HTTP problem: ${code}`);
    this.name = 'HttpProblemError';
  }
}
