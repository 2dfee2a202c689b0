// SPDX-License-Identifier: Apache-2.0
/**
 * What the warm benchmark needs from the handler module: the same source as the deployed entry
 * (importing it also runs its module-level setup), plus the factory, so that each row's bundle
 * can be given an IAM directory that answers at once.
 */
export { createHandler } from '../lambda/handler';
export { loadConfig } from '../lambda/config';
export { createLogger } from '../lambda/logger';
