// SPDX-License-Identifier: Apache-2.0
/**
 * Reads the resync body: media type, base64, JSON, then the one schema.
 *
 * Written here rather than with `@middy/http-json-body-parser` because the contract needs what
 * that parser does not give: malformed JSON and an empty JSON body are 400 `invalid-request`
 * (the parser answers 415 for both), the 415 applies only to a non-empty body, and the parser
 * attaches the raw body (the codes) to its errors, where a log line could pick it up.
 */
import type { ValidateFunction } from 'ajv';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidRequestError } from '../domain/errors';
import type { ResyncRequestBody } from '../schemas/resync-request';
import { validate as generatedValidate } from '../schemas/resync-request.validator';
import { HttpProblemError } from './http-errors';

/** `application/json` or any `application/<something>+json`, with or without parameters such as charset. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json[ \t]*(?:;|$)/i;

export type ResyncBodyParser = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>) => ResyncRequestBody;

/**
 * The schema as ajv compiles it with `{ strict: true, allErrors: false }` (strict mode refuses
 * unknown keywords, so the shared schema cannot silently stop validating), compiled ahead of
 * time by scripts/generate-resync-validator.ts: compiling at cold start cost the bundle all of
 * ajv and the cold start its code generation (docs/performance.md).
 */
const validate = generatedValidate as unknown as ValidateFunction<ResyncRequestBody>;

/** Returns the parser. Headers must be lower-cased. */
export function createResyncBodyParser(): ResyncBodyParser {

  return (event) => {
    const text = decodeBody(event);
    const contentType = event.headers?.['content-type'];
    if (text === '') {
      throw new InvalidRequestError('The body is empty. ' + DETAIL_SUFFIX);
    }
    if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
      throw new HttpProblemError('unsupported-media-type');
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // The parser's own message quotes the body, so it is dropped.
      throw new InvalidRequestError('The body is not valid JSON. ' + DETAIL_SUFFIX);
    }
    // JSON.parse makes `__proto__` an own property, never the prototype; the schema's
    // `additionalProperties: false` then refuses it, as it does `constructor`.
    if (!validate(body)) {
      throw new InvalidRequestError(describeSchemaError(validate.errors?.[0]?.instancePath));
    }
    return body;
  };
}

const DETAIL_SUFFIX =
  'Send a JSON object with code1 and code2, each a string of six digits, and optionally serialNumber; no other fields.';

function decodeBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string {
  if (event.body === null || event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Names only schema-defined fields; property names and values from the body never reach the detail. */
function describeSchemaError(instancePath: string | undefined): string {
  switch (instancePath) {
    case '/code1':
    case '/code2':
      return `${instancePath.slice(1)} must be a string of six digits, such as "123456" or "123 456".`;
    case '/serialNumber':
      return 'serialNumber must be the serial number of one of your MFA devices, as listed by GET /v1/me/mfa-devices.';
    default:
      return DETAIL_SUFFIX;
  }
}
