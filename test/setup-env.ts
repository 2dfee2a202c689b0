// Powertools loggers print pretty, synchronous output in dev mode and nothing below WARN in tests
// unless a test captures logs on purpose.
process.env.POWERTOOLS_DEV ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_REGION ??= 'us-east-1';
