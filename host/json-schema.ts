// node-llama-cpp turns a JSON schema into a grammar, but quietly accepts what it does not
// understand (an unknown "type" constrains nothing). Check the subset it supports first, so a
// typo is an error that names the place, not output that ignores the schema.
import { ApiError } from '../core/api/contract.js';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const KEYS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties', 'items', 'prefixItems',
  'minItems', 'maxItems', 'enum', 'const', 'oneOf', 'anyOf', 'minLength', 'maxLength', 'format', 'description',
  'title', '$defs', '$ref', '$schema', 'default', 'examples',
]);

export function checkJsonSchema(schema: unknown, at = '/'): void {
  if (typeof schema === 'boolean') return;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new ApiError('invalid-argument', `the JSON schema at ${at} must be an object`);
  }
  const s = schema as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!KEYS.has(key)) throw new ApiError('invalid-argument', `the JSON schema cannot be used: "${key}" at ${at} is not supported`);
  }
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  for (const type of types) {
    if (typeof type !== 'string' || !TYPES.has(type)) {
      throw new ApiError('invalid-argument', `the JSON schema cannot be used: type ${JSON.stringify(type)} at ${at} is not a JSON type`);
    }
  }
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null) {
      throw new ApiError('invalid-argument', `the JSON schema cannot be used: "properties" at ${at} must be an object`);
    }
    for (const [name, sub] of Object.entries(s.properties)) checkJsonSchema(sub, `${at}properties/${name}/`);
  }
  if (s.items !== undefined) checkJsonSchema(s.items, `${at}items/`);
  for (const key of ['prefixItems', 'oneOf', 'anyOf'] as const) {
    const list = s[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ApiError('invalid-argument', `the JSON schema cannot be used: "${key}" at ${at} must be a list`);
    list.forEach((sub, i) => checkJsonSchema(sub, `${at}${key}/${i}/`));
  }
  if (s.$defs !== undefined && typeof s.$defs === 'object' && s.$defs !== null) {
    for (const [name, sub] of Object.entries(s.$defs)) checkJsonSchema(sub, `${at}$defs/${name}/`);
  }
  if (typeof s.additionalProperties === 'object') checkJsonSchema(s.additionalProperties, `${at}additionalProperties/`);
}
