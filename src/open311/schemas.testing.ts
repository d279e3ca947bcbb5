/**
 * Test support: the Open311 community's JSON Schemas (../shared/data/open311-schemas/, read from there,
 * never copied) compiled with ajv, and an XML reader for the same fields.
 *
 * The schemas are "draft-04 style" but use nothing whose meaning changed after draft-04 (no `id`, no
 * boolean exclusiveMinimum/Maximum), and declare no `$schema`; ajv-draft-04 is not installed, so ajv 8
 * (draft-07) compiles them as they are, with `strict: false` because they put `minItems` inside `items`
 * and `required` without `type: object` (both ignored, as a draft-04 validator ignores them too).
 * requests.json and services.json `$ref` their item schema by file name, so each file is added under its
 * own name. The Swagger file's RequestResponse and TokenResponse definitions (no schema file exists for
 * them) are compiled from swagger.json, with its non-standard formats `uid`, `uint`, `double` accepted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { projectRoot } from '../platform/config/config.js';

export const SCHEMA_DIR = join(projectRoot(), '..', 'shared', 'data', 'open311-schemas');
const read = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as Record<string, unknown>;

// ajv-formats is CommonJS; under NodeNext the default import is module.exports, whose .default is the plugin.
const addFormats = (addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }).default;

export interface Open311Validators {
  requests: ValidateFunction;
  services: ValidateFunction;
  serviceDefinition: ValidateFunction;
  /** swagger.json's RequestResponse, as an array (the POST answer). */
  receipts: ValidateFunction;
  /** swagger.json's TokenResponse, as an array. */
  tokens: ValidateFunction;
}

export function open311Validators(): Open311Validators {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['uid', 'uint', 'double']) ajv.addFormat(f, true);
  for (const name of ['request.json', 'service.json']) ajv.addSchema(read(name), name);
  const swagger = read('swagger.json') as { definitions: Record<string, Record<string, unknown>> };
  const strictly = (s: Record<string, unknown>) => ({ ...s, type: 'object' });
  return {
    requests: ajv.compile(read('requests.json')),
    services: ajv.compile(read('services.json')),
    serviceDefinition: ajv.compile(read('service-definition.json')),
    receipts: ajv.compile({ type: 'array', items: strictly(swagger.definitions.RequestResponse!) }),
    tokens: ajv.compile({
      type: 'array',
      items: { ...strictly(swagger.definitions.TokenResponse!), required: ['service_request_id', 'token'] },
    }),
  };
}

/** Ajv's errors as one line, for assertion messages. */
export const errorsOf = (v: ValidateFunction): string => JSON.stringify(v.errors ?? []);

/** Parses an Open311 XML answer; every leaf stays a string (the spec's XML has no types). */
export function parseXml(xml: string): Record<string, unknown> {
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    ignoreDeclaration: true,
    trimValues: false,
    htmlEntities: true,
  });
  return parser.parse(xml, true) as Record<string, unknown>;
}

/** A list element's items: fast-xml-parser gives one object for one child and an array for several. */
export function xmlItems(parent: unknown, item: string): Array<Record<string, unknown>> {
  if (parent === '' || parent === undefined || parent === null) return [];
  const v = (parent as Record<string, unknown>)[item];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as Array<Record<string, unknown>>;
}
