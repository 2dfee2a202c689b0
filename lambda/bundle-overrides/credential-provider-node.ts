// SPDX-License-Identifier: Apache-2.0
/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundle only (an esbuild alias in
 * lib/lambda-bundling.ts; tests and local tools still get the real package).
 *
 * Lambda hands the function its execution role's credentials as the environment variables
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (Lambda Developer Guide,
 * "Defined runtime environment variables": configuration-envvars.html#configuration-envvars-runtime),
 * and the SDK's default chain tries exactly that source first (the `@aws-sdk/credential-provider-node`
 * README: environment, then SSO, shared ini files, credential_process, web identity, then the
 * container and instance metadata services), so in Lambda the chain always ends at `fromEnv`. Every later
 * link (SSO, shared ini files, credential_process, web identity, the container and instance
 * metadata services, and the STS / SSO / sign-in clients they pull in) is code a Lambda never
 * runs; bundled, it is about 146 KB of the 506 KB bundle and ~40 ms of its import
 * (docs/performance.md). The client memoizes what this returns, as it memoizes the chain.
 *
 * Only `defaultProvider` is provided: it is the one export the SDK clients import
 * (runtimeConfig's `credentialDefaultProvider`); a new importer of another name fails the build.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: FromEnvInit = {}): ReturnType<typeof fromEnv> => fromEnv(init);
