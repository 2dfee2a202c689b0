// SPDX-License-Identifier: Apache-2.0
/**
 * The Logger, configured in one place. Level and sampling come from the Powertools environment
 * variables (POWERTOOLS_LOG_LEVEL, …).
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const SERVICE_NAME = 'mfa-resync';

export function createLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}
