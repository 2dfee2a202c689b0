// SPDX-License-Identifier: Apache-2.0
/**
 * Converts the shared request schema (`lambda/schemas/resync-request.ts`, plain JSON Schema)
 * into CDK's `JsonSchema` for an API Gateway model, which must be draft 4 (F-5.5.1).
 *
 * Only the keywords the shared schema promises to stay within are accepted (type, title,
 * properties, required, additionalProperties, pattern, minLength, maxLength). Anything else
 * throws, so that a keyword API Gateway ignores or rejects (F-5.5.2) cannot slip into the
 * model silently and leave the gateway validating less than the Lambda.
 */
import { JsonSchemaType, JsonSchemaVersion, type JsonSchema } from 'aws-cdk-lib/aws-apigateway';

const SCHEMA_TYPES: Readonly<Record<string, JsonSchemaType>> = {
  object: JsonSchemaType.OBJECT,
  string: JsonSchemaType.STRING,
  number: JsonSchemaType.NUMBER,
  integer: JsonSchemaType.INTEGER,
  boolean: JsonSchemaType.BOOLEAN,
  array: JsonSchemaType.ARRAY,
  null: JsonSchemaType.NULL,
};

const SUPPORTED_KEYWORDS = new Set([
  'type',
  'title',
  'properties',
  'required',
  'additionalProperties',
  'pattern',
  'minLength',
  'maxLength',
]);

/** The top-level model: the converted schema, declared as draft 4. */
export function toApiGatewayModelSchema(schema: object): JsonSchema {
  return { schema: JsonSchemaVersion.DRAFT4, ...convert(schema, '#') };
}

function convert(schema: object, where: string): JsonSchema {
  const source = schema as Record<string, unknown>;
  for (const keyword of Object.keys(source)) {
    if (!SUPPORTED_KEYWORDS.has(keyword)) {
      throw new Error(`json schema keyword "${keyword}" at ${where} is not supported in an api gateway model; keep the shared schema within ${[...SUPPORTED_KEYWORDS].join(', ')}`);
    }
  }
  const result: { -readonly [K in keyof JsonSchema]: JsonSchema[K] } = {};
  if (source.type !== undefined) {
    const type = SCHEMA_TYPES[String(source.type)];
    if (type === undefined) throw new Error(`json schema type "${String(source.type)}" at ${where} is not a single draft-4 type`);
    result.type = type;
  }
  if (typeof source.title === 'string') result.title = source.title;
  if (typeof source.pattern === 'string') result.pattern = source.pattern;
  if (typeof source.minLength === 'number') result.minLength = source.minLength;
  if (typeof source.maxLength === 'number') result.maxLength = source.maxLength;
  if (Array.isArray(source.required)) result.required = source.required.map(String);
  if (typeof source.additionalProperties === 'boolean') {
    result.additionalProperties = source.additionalProperties;
  } else if (source.additionalProperties !== undefined) {
    throw new Error(`additionalProperties at ${where} must be a boolean`);
  }
  if (source.properties !== undefined) {
    result.properties = Object.fromEntries(
      Object.entries(source.properties as Record<string, object>).map(([name, property]) => [
        name,
        convert(property, `${where}/properties/${name}`),
      ]),
    );
  }
  return result;
}
