/**
 * Open Data Contract Standard (ODCS) v3.1.0 export and import.
 *
 * The mapping, field by field (ODCS names on the left):
 * - `id` `<domain>.<name>.v<version>`, `name` the product name, `version` `<major>.0.0`, `domain`,
 *   `status` `active` or `deprecated`, `description.purpose`, `tags`;
 * - `team` `{ name: owner.team, members: [{ username: owner.contact, role: owner }] }`;
 * - `schema[0]` the product's table (`physicalName` `<name>_v<version>`, `physicalType: table`,
 *   `logicalType: object`), its `properties` the columns: `logicalType` (string, integer, number,
 *   boolean, date, timestamp, time, array, object), `physicalType` (the Glue type string), `required`,
 *   `primaryKey`/`primaryKeyPosition`, `partitioned`/`partitionKeyPosition` (the partition column),
 *   `classification`, `description`, `examples`, and `items` / `properties` for nested types;
 * - `slaProperties`: `latency` (freshness, minutes) and `retention` (days);
 * - `customProperties` for what ODCS has no field for: the product classification, deprecation
 *   (sunset, successor), declared volume and example queries; on the schema object the partition key
 *   and granularity; on a map column its value type (ODCS 3.1 has no map logical type).
 *
 * A contract imported from a document written elsewhere keeps that document: the export is the document
 * with the contract's values merged in (merge.ts), so nothing the mesh does not model is lost.
 * Export is deterministic (fixed key order, no timestamps) so that export → import → export is byte-stable
 * and lock files diff cleanly.
 */
export { ODCS_API_VERSION, MESH_CUSTOM } from './names';
export { contractToOdcs, contractToOdcsObject, type OdcsExportOptions } from './export';
export { meshServers, MESH_SERVER_PREFIX, type OdcsServerFacts } from './servers';
export { odcsLogicalType } from './render';
export { contractFromOdcs, contractFromOdcsObject, readOdcs } from './import';
export { ODCS_LOGICAL_TYPES } from './property-reader';
