import type { Contract } from '../contract/contract';

/**
 * The Glue Schema Registry reads JSON Schema drafts 04, 06 and 07. The contract's schema uses only
 * keywords that mean the same in draft-07 (type, properties, required, items, anyOf,
 * additionalProperties, pattern, format, minimum, maximum, multipleOf, description, title, $id), so it
 * is registered under the draft-07 dialect.
 */
export const REGISTRY_JSON_SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** The registry schema definition of a contract: its JSON Schema under the draft-07 dialect. */
export function registrySchemaDefinition(contract: Contract): string {
  return JSON.stringify({ ...contract.toJsonSchema(), $schema: REGISTRY_JSON_SCHEMA_DIALECT });
}
