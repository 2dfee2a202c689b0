// SPDX-License-Identifier: Apache-2.0
/**
 * API Gateway's request validator for a method body (F-5.5.1), fed by the same schema object the
 * CDK model is built from, so the local gateway refuses exactly what the deployed one does.
 *
 * The model applies only to the content types it is registered for; a body of any other type,
 * or with no Content-Type, is passed through unvalidated (F-5.5.3, "If no matching content type
 * is found, request validation is not performed") and the Lambda answers 415 itself.
 * Media types compare without parameters, so `application/json; charset=utf-8` is validated.
 */
import Ajv, { type ValidateFunction } from 'ajv';

export type BodyValidator = (contentType: string | undefined, body: Buffer) => boolean;

export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

/** Returns a function that is `false` exactly when API Gateway would answer BAD_REQUEST_BODY. */
export function createBodyValidator(models: Readonly<Record<string, object>>): BodyValidator {
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new Map<string, ValidateFunction>();
  for (const [type, schema] of Object.entries(models)) validators.set(type.toLowerCase(), ajv.compile(schema));
  return (contentType, body) => {
    const type = mediaType(contentType);
    const validate = type === undefined ? undefined : validators.get(type);
    if (validate === undefined) return true;
    let value: unknown;
    try {
      // An empty body is not a JSON document: refused, as the contract says (CONTRACT.md, order).
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return false;
    }
    return validate(value);
  };
}
