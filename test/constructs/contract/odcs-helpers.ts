import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';

/** The official ODCS v3.1.0 JSON Schema (bitol-io/open-data-contract-standard, schema/). */
const SCHEMA_FILE = path.join(__dirname, '../../../../shared/odcs/odcs-json-schema-v3.1.0.json');

const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i);
const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));

/** Every way `document` breaks the ODCS v3.1.0 JSON Schema, one `<path> <message>` each (empty when valid). */
export function odcsSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

/** The leaf paths of `before` (`schema.0.properties.2.required`) whose value `after` does not have at that path. */
export function pathDiff(before: unknown, after: unknown, prefix = ''): string[] {
  const isContainer = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.keys(v).length > 0;
  if (!isContainer(before)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
  }
  if (!isContainer(after) || Array.isArray(before) !== Array.isArray(after)) return [prefix];
  return Object.entries(before).flatMap(([key, value]) =>
    pathDiff(value, (after as Record<string, unknown>)[key], prefix === '' ? key : `${prefix}.${key}`),
  );
}
