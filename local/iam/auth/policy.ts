// SPDX-License-Identifier: Apache-2.0
/**
 * A small IAM policy evaluator: enough of the grammar to enforce this project's policies, and
 * strict about the rest (a document using anything else is refused when seeded or sent, so a
 * policy the emulator cannot judge never silently allows).
 *
 * - `Effect` Allow or Deny; an explicit Deny wins, otherwise one Allow is needed (implicit deny,
 *   F-4.5.5).
 * - `Action`: case-insensitive, with `*` and `?` wildcards.
 * - `Resource`: case-sensitive (F-3.5.2), `*` matches any run of characters including `/`
 *   (F-4.3.1), `?` exactly one. With `Version` `2012-10-17`, `${*}`, `${?}` and `${$}` are the
 *   literal characters (F-1.5.3) and any other `${…}` is a policy variable; the emulator knows no
 *   variable values, so such a Resource matches nothing, as a variable without a value does
 *   (F-4.2.1). With another or no Version, `${` is literal text (F-4.2.2).
 * - `Principal` (trust policies): `*`, `{"AWS": "*"}`, an exact ARN, or an account (`123…` or
 *   `arn:…:iam::123…:root`), which matches any principal of that account.
 * - `Condition`: `Null`, `StringEquals`, `StringLike` (and their `…IfExists` forms are not
 *   supported). A key missing from the request is `null`.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

export interface RequestContext {
  /** e.g. `iam:ListMFADevices`, `sts:AssumeRole`. */
  readonly action: string;
  readonly resource: string;
  /** Condition keys, lower-cased; absent keys are simply not there. */
  readonly keys?: Readonly<Record<string, string>>;
  /** For resource-based (trust) policies: the ARNs the caller may be named by, and its account. */
  readonly principal?: { readonly arns: readonly string[]; readonly accountId: string };
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

const SUPPORTED_STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'Resource', 'Condition']);
const SUPPORTED_OPERATORS = new Set(['null', 'stringequals', 'stringlike']);

/** Throws with a sentence when the document uses grammar this evaluator does not implement. */
export function checkPolicyDocument(document: unknown, kind: 'identity' | 'trust'): PolicyDocument {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error('a policy must be a JSON object');
  const doc = document as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (key !== 'Version' && key !== 'Statement' && key !== 'Id') throw new Error(`unsupported policy element ${key}`);
  if (doc['Version'] !== undefined && typeof doc['Version'] !== 'string') throw new Error('Version must be a string');
  const statements = Array.isArray(doc['Statement']) ? (doc['Statement'] as unknown[]) : [doc['Statement']];
  if (statements.length === 0 || doc['Statement'] === undefined) throw new Error('a policy needs at least one Statement');
  for (const statement of statements) {
    if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) throw new Error('each Statement must be an object');
    const s = statement as Record<string, unknown>;
    for (const key of Object.keys(s)) if (!SUPPORTED_STATEMENT_KEYS.has(key)) throw new Error(`unsupported statement element ${key}`);
    if (s['Effect'] !== 'Allow' && s['Effect'] !== 'Deny') throw new Error('Effect must be Allow or Deny');
    if (!isStringOrList(s['Action'])) throw new Error('Action must be a string or a list of strings');
    if (kind === 'identity') {
      if (!isStringOrList(s['Resource'])) throw new Error('Resource must be a string or a list of strings');
      if (s['Principal'] !== undefined) throw new Error('an identity or session policy has no Principal');
    } else if (s['Principal'] === undefined) {
      throw new Error('a trust policy statement needs a Principal');
    }
    const condition = s['Condition'];
    if (condition !== undefined) {
      if (typeof condition !== 'object' || condition === null) throw new Error('Condition must be an object');
      for (const [operator, block] of Object.entries(condition)) {
        if (!SUPPORTED_OPERATORS.has(operator.toLowerCase())) throw new Error(`unsupported condition operator ${operator}`);
        if (typeof block !== 'object' || block === null) throw new Error(`condition ${operator} must map keys to values`);
        for (const value of Object.values(block as Record<string, unknown>)) {
          if (!isStringOrList(value)) throw new Error(`condition ${operator} values must be strings`);
        }
      }
    }
  }
  return document as PolicyDocument;
}

function isStringOrList(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string'));
}

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/** Evaluates one set of policies of one type (identity, session or trust). */
export function evaluate(policies: readonly PolicyDocument[], request: RequestContext): Decision {
  let allowed = false;
  for (const policy of policies) {
    const statements = Array.isArray(policy.Statement) ? (policy.Statement as readonly PolicyStatement[]) : [policy.Statement as PolicyStatement];
    for (const statement of statements) {
      if (!statementApplies(statement, policy.Version, request)) continue;
      if (statement.Effect === 'Deny') return 'explicit-deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function statementApplies(statement: PolicyStatement, version: string | undefined, request: RequestContext): boolean {
  if (!asList(statement.Action).some((pattern) => wildcardRegExp(pattern, 'i').test(request.action))) return false;
  if (request.principal === undefined) {
    if (!asList(statement.Resource).some((pattern) => resourceMatches(pattern, request.resource, version))) return false;
  } else if (!principalMatches(statement.Principal, request.principal)) {
    return false;
  }
  return conditionsHold(statement.Condition, request.keys ?? {});
}

function wildcardRegExp(pattern: string, flags = ''): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${body}$`, `s${flags}`);
}

/** Exported for tests: does an IAM `Resource` pattern match this ARN? */
export function resourceMatches(pattern: string, arn: string, version: string | undefined): boolean {
  if (version !== '2012-10-17') return wildcardRegExp(pattern).test(arn);
  let body = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '$' && pattern.charAt(i + 1) === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end < 0) return false; // an unterminated variable: IAM rejects such policies; match nothing
      const name = pattern.slice(i + 2, end);
      if (name === '*' || name === '?' || name === '$') body += `\\${name}`;
      else return false; // a policy variable without a value matches nothing (F-4.2.1)
      i = end;
    } else if (c === '*') body += '.*';
    else if (c === '?') body += '.';
    else body += c.replace(/[.+^${}()|[\]\\]/g, (x) => `\\${x}`);
  }
  return new RegExp(`^${body}$`, 's').test(arn);
}

function principalMatches(principal: PolicyStatement['Principal'], caller: NonNullable<RequestContext['principal']>): boolean {
  if (principal === '*') return true;
  if (principal === undefined) return false;
  return asList(principal['AWS']).some((entry) => {
    if (entry === '*') return true;
    if (entry === caller.accountId) return true;
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(entry);
    if (root !== null) return root[1] === caller.accountId;
    return caller.arns.includes(entry);
  });
}

function conditionsHold(condition: PolicyStatement['Condition'], keys: Readonly<Record<string, string>>): boolean {
  if (condition === undefined) return true;
  return Object.entries(condition).every(([operator, block]) =>
    Object.entries(block).every(([key, expected]) => {
      const actual = keys[key.toLowerCase()];
      const values = asList(expected);
      switch (operator.toLowerCase()) {
        case 'null':
          // "true": the key must be absent; "false": it must be present.
          return values.some((value) => (value === 'true') === (actual === undefined));
        case 'stringequals':
          return actual !== undefined && values.includes(actual);
        case 'stringlike':
          return actual !== undefined && values.some((value) => wildcardRegExp(value).test(actual));
        default:
          return false;
      }
    }),
  );
}
