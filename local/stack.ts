// SPDX-License-Identifier: Apache-2.0
/**
 * Starts the whole local API: IAM emulator, token issuer, the deployed Lambda bundle and the
 * gateway in front of it, then writes the session file. `start.ts` is the command around it.
 */
import { localAccessSeed } from './access-seed';
import { ensureBundle, BUNDLE_PATH } from './bundle';
import type { LocalConfig } from './config';
import { readApiDefinition } from './gateway/api-definition';
import { loadLambda } from './gateway/lambda-runtime';
import { startGateway } from './gateway/server';
import { startIamEmulator, type IamEmulator } from './iam';
import { startIssuer } from './issuer/server';
import { installLambdaLogPrefix, say } from './output';
import { ACCOUNT_ID, CLIENT_ID, COGNITO_USERS, iamSeed, REGION, USER_POOL_ID, userClaims } from './seed';
import { removeSession, writeSession, type Session, type SessionDevice, type SessionUser } from './session';

export interface RunningStack {
  readonly session: Session;
  readonly iam: IamEmulator;
  /** Closes every server and removes the session file this stack wrote (its tokens die with it). */
  close(): Promise<void>;
}

/** Fake credentials: the SDK signs with them; the emulator keys the function role's policies on the id, never checks the secret. */
const LOCAL_ACCESS_KEY_ID = 'AKIALOCALMFARESYNC00';
const LOCAL_SECRET_ACCESS_KEY = 'local-secret-access-key-not-a-real-secret';

export async function startStack(config: LocalConfig): Promise<RunningStack> {
  installLambdaLogPrefix();
  if (await ensureBundle()) say(`bundled the handler into ${BUNDLE_PATH}`);

  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const access = localAccessSeed({
      accountId: ACCOUNT_ID,
      scoped: config.scopedCredentials,
      pathPrefix: config.iamUserPathPrefix ?? '/',
      functionAccessKeyId: LOCAL_ACCESS_KEY_ID,
    });
    const iam = await startIamEmulator({ port: config.iamPort, seed: { ...iamSeed(config.fixedSecrets), ...access } });
    closers.push(() => iam.close());

    const api = readApiDefinition({
      region: REGION,
      accountId: ACCOUNT_ID,
      userPoolId: USER_POOL_ID,
      stageName: 'prod',
      tokenUse: config.tokenUse,
      ...(config.requiredScope === undefined ? {} : { requiredScope: config.requiredScope }),
      // ID tokens of the local app client only, as a deployment with a created pool (F-5.1.2).
      ...(config.tokenUse === 'id' ? { allowedClientIds: [CLIENT_ID] } : {}),
      ...(config.mappingClaim === undefined ? {} : { mappingClaim: config.mappingClaim }),
      ...(config.mappingPattern === undefined ? {} : { mappingPattern: config.mappingPattern }),
      ...(config.iamUserPathPrefix === undefined ? {} : { iamUserPathPrefix: config.iamUserPathPrefix }),
      ...(config.requiredGroup === undefined ? {} : { requiredGroup: config.requiredGroup }),
      allowedOrigins: [...config.allowedOrigins],
      logLevel: config.logLevel,
      scopedCredentials: config.scopedCredentials,
      // Not emulated locally: see the report in local/README.md ("Differences from AWS").
      webAcl: false,
    });

    const issuer = await startIssuer({
      port: config.issuerPort,
      clientId: CLIENT_ID,
      tokenUse: config.tokenUse,
      defaultScope: ['openid', 'email', ...(config.requiredScope === undefined ? [] : [config.requiredScope])].join(' '),
    });
    closers.push(() => issuer.close());

    const { NODE_OPTIONS: nodeOptions, ...handlerEnvironment } = api.handlerEnvironment;
    // The function runs with --enable-source-maps; this process cannot restart with it, so the
    // same switch is turned on at run time.
    if (nodeOptions?.includes('--enable-source-maps')) process.setSourceMapsEnabled(true);
    const lambda = await loadLambda({
      bundlePath: BUNDLE_PATH,
      functionName: 'mfa-resync-local-Handler',
      timeoutMs: api.timeoutMs,
      memoryMb: api.memoryMb,
      region: REGION,
      accountId: ACCOUNT_ID,
      env: {
        ...handlerEnvironment,
        ...(config.iamBudgetMs === undefined ? {} : { IAM_BUDGET_MS: String(config.iamBudgetMs) }),
        IAM_ENDPOINT: iam.url,
        // Scoped mode assumes the executor role through STS; the emulator is the local STS too.
        ...(config.scopedCredentials ? { STS_ENDPOINT: iam.url } : {}),
        AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
      },
    });

    const gateway = await startGateway({
      port: config.apiPort,
      api,
      lambda,
      issuer: issuer.url,
      jwksUri: issuer.jwksUri,
      allowedOrigins: config.allowedOrigins,
      groupsFormat: config.groupsFormat,
      accountId: ACCOUNT_ID,
      apiId: 'local000000',
      onAccess: ({ method, path, status, requestId, ms }) => say(`[gateway] ${method} ${path} -> ${status} (${ms} ms, ${requestId})`),
    });
    closers.push(() => gateway.close());

    const users: SessionUser[] = [];
    for (const user of COGNITO_USERS) {
      const claims = userClaims(user);
      const devices: SessionDevice[] = iam
        .devices()
        .filter((device) => device.userName.toLowerCase() === user.iamUserName.toLowerCase())
        .map((device) => ({ serialNumber: device.serialNumber, type: device.kind, ...(device.secret === undefined ? {} : { secret: device.secret }) }));
      users.push({
        username: user.username,
        iamUserName: user.iamUserName,
        idToken: await issuer.issueIdToken(claims, config.sessionTokenTtlSeconds),
        ...(config.tokenUse === 'access' ? { accessToken: await issuer.issueAccessToken(claims, config.sessionTokenTtlSeconds) } : {}),
        devices,
      });
    }
    const session: Session = {
      apiUrl: gateway.url,
      iamEndpoint: iam.url,
      issuer: issuer.url,
      jwksUri: issuer.jwksUri,
      tokenEndpoint: issuer.tokenEndpoint,
      tokenUse: config.tokenUse,
      users,
    };
    const written = writeSession(config.sessionFile, session);
    closers.push(async () => removeSession(config.sessionFile, written));
    return { session, iam, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
