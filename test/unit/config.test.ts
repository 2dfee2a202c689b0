// SPDX-License-Identifier: Apache-2.0
import { ConfigError, loadConfig } from '../../lambda/config';

const base = { AWS_REGION: 'eu-west-1' };

function configError(env: NodeJS.ProcessEnv): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe('loading the configuration', () => {
  it('applies the documented defaults', () => {
    // Act
    const config = loadConfig(base);

    // Assess
    expect(config).toEqual({
      mappingClaim: 'custom:iam_username',
      iamUserPathPrefix: '/',
      tokenUse: 'id',
      allowedOrigins: [],
      region: 'eu-west-1',
      iamBudgetMs: 8000,
      metricsNamespace: 'MfaResync',
    });
  });

  it('reads every variable', () => {
    // Act
    const config = loadConfig({
      ...base,
      MAPPING_CLAIM: 'email',
      MAPPING_PATTERN: '^([^@]+)@example\\.com$',
      IAM_USER_PATH_PREFIX: '/people/',
      REQUIRED_GROUP: 'mfa-self-service',
      TOKEN_USE: 'access',
      REQUIRED_SCOPE: 'mfa-resync/self',
      ALLOWED_ORIGINS: 'https://portal.example.com, http://localhost:5173',
      IAM_ENDPOINT: 'http://127.0.0.1:4566',
      IAM_BUDGET_MS: '5000',
    });

    // Assess
    expect(config).toMatchObject({
      mappingClaim: 'email',
      iamUserPathPrefix: '/people/',
      requiredGroup: 'mfa-self-service',
      tokenUse: 'access',
      requiredScope: 'mfa-resync/self',
      allowedOrigins: ['https://portal.example.com', 'http://localhost:5173'],
      iamEndpoint: 'http://127.0.0.1:4566',
      iamBudgetMs: 5000,
    });
    expect(config.mappingPattern?.exec('bob@example.com')?.[1]).toBe('bob');
  });

  it('treats empty variables as unset', () => {
    // Act
    const config = loadConfig({ ...base, MAPPING_CLAIM: '', REQUIRED_GROUP: '', REQUIRED_SCOPE: '', ALLOWED_ORIGINS: '' });

    // Assess
    expect(config).toMatchObject({ mappingClaim: 'custom:iam_username', allowedOrigins: [] });
    expect(config.requiredGroup).toBeUndefined();
  });

  it('reads ALLOWED_ORIGINS=* as every origin', () => {
    // Act
    const config = loadConfig({ ...base, ALLOWED_ORIGINS: '*' });

    // Assess
    expect(config.allowedOrigins).toBe('*');
  });

  it.each([
    ['TOKEN_USE', { TOKEN_USE: 'refresh' }],
    ['REQUIRED_SCOPE', { TOKEN_USE: 'access' }],
    ['REQUIRED_SCOPE', { REQUIRED_SCOPE: 'mfa-resync/self' }],
    ['REQUIRED_SCOPE', { TOKEN_USE: 'access', REQUIRED_SCOPE: 'a b' }],
    ['MAPPING_PATTERN', { MAPPING_PATTERN: '([a-z]+' }],
    ['MAPPING_CLAIM', { MAPPING_CLAIM: 'custom:iam username' }],
    ['IAM_USER_PATH_PREFIX', { IAM_USER_PATH_PREFIX: 'people/' }],
    ['IAM_USER_PATH_PREFIX', { IAM_USER_PATH_PREFIX: '/people' }],
    ['IAM_USER_PATH_PREFIX', { IAM_USER_PATH_PREFIX: '/peo ple/' }],
    ['IAM_USER_PATH_PREFIX', { IAM_USER_PATH_PREFIX: '/people/*/' }],
    ['REQUIRED_GROUP', { REQUIRED_GROUP: 'a,b' }],
    ['REQUIRED_GROUP', { REQUIRED_GROUP: '[admins]' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://portal.example.com/' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'portal.example.com' }],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://a.example.com,*' }],
    ['IAM_ENDPOINT', { IAM_ENDPOINT: 'localhost:4566' }],
    ['IAM_BUDGET_MS', { IAM_BUDGET_MS: '15000' }],
    ['IAM_BUDGET_MS', { IAM_BUDGET_MS: '8s' }],
    ['IAM_BUDGET_MS', { IAM_BUDGET_MS: '0' }],
    ['IAM_BUDGET_MS', { IAM_BUDGET_MS: '1e4' }],
  ])('fails fast naming %s for %p', (variable, overrides) => {
    // Act
    const message = configError({ ...base, ...overrides });

    // Assess
    expect(message).toContain(variable);
  });

  it('fails fast without AWS_REGION', () => {
    // Act
    const message = configError({});

    // Assess
    expect(message).toContain('AWS_REGION');
  });
});
