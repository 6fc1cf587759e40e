import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  col,
  Contract,
  ContractError,
  contractFromOdcs,
  contractToOdcs,
  contractToOdcsObject,
  odcsLogicalType,
} from '../../../constructs/contract';
import { ALL_FIXTURES, FLAT, MONEY_PII, NESTED } from './fixtures';
import { odcsSchemaErrors } from './odcs-helpers';

/**
 * Keys ODCS v3.1.0 defines for each object we write (from the standard's JSON Schema, which sets
 * `additionalProperties: false` / `unevaluatedProperties: false` on all of them).
 */
const ODCS_KEYS = {
  root: ['version', 'kind', 'apiVersion', 'id', 'name', 'tenant', 'tags', 'status', 'servers', 'dataProduct', 'description', 'domain', 'schema', 'support', 'price', 'team', 'roles', 'slaDefaultElement', 'slaProperties', 'authoritativeDefinitions', 'customProperties', 'contractCreatedTs'],
  description: ['usage', 'purpose', 'limitations', 'authoritativeDefinitions', 'customProperties'],
  team: ['name', 'description', 'members', 'tags', 'customProperties', 'authoritativeDefinitions'],
  member: ['username', 'name', 'description', 'role', 'dateIn', 'dateOut', 'replacedByUsername', 'tags', 'customProperties', 'authoritativeDefinitions'],
  schemaObject: ['name', 'physicalType', 'description', 'businessName', 'authoritativeDefinitions', 'tags', 'customProperties', 'logicalType', 'physicalName', 'dataGranularityDescription', 'properties', 'relationships', 'quality'],
  property: ['name', 'physicalType', 'description', 'businessName', 'authoritativeDefinitions', 'tags', 'customProperties', 'primaryKey', 'primaryKeyPosition', 'logicalType', 'logicalTypeOptions', 'physicalName', 'required', 'unique', 'partitioned', 'partitionKeyPosition', 'classification', 'encryptedName', 'transformSourceObjects', 'transformLogic', 'transformDescription', 'examples', 'criticalDataElement', 'relationships', 'quality', 'properties', 'items'],
  sla: ['property', 'value', 'valueExt', 'unit', 'element', 'driver', 'description', 'scheduler', 'schedule'],
  custom: ['property', 'value', 'description'],
  logicalTypes: ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'],
};

type Node = Record<string, any>;

function expectKeys(node: Node, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(node)) expect(allowed, `${where}.${key}`).toContain(key);
}

function checkProperty(property: Node, where: string): void {
  expectKeys(property, ODCS_KEYS.property, where);
  expect(ODCS_KEYS.logicalTypes).toContain(property.logicalType);
  if (property.items !== undefined) checkProperty(property.items, `${where}.items`);
  for (const nested of property.properties ?? []) checkProperty(nested, `${where}.${nested.name}`);
  for (const custom of property.customProperties ?? []) {
    expectKeys(custom, ODCS_KEYS.custom, `${where}.customProperties`);
    if (custom.property === 'mapValues') checkProperty(custom.value, `${where}{}`);
  }
}

describe('contractToOdcs', () => {
  it('writes the ODCS v3.1.0 fundamentals', () => {
    const doc = parse(Contract.of(FLAT).toOdcs());
    expect(doc).toMatchObject({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: 'orders.order_placed.v1',
      name: 'order_placed',
      version: '1.0.0',
      status: 'active',
      domain: 'orders',
      description: { purpose: 'An order a customer placed.' },
      tags: ['sales', 'core'],
      team: { name: 'orders-team', members: [{ username: 'orders@example.com', role: 'owner' }] },
      slaProperties: [
        { property: 'latency', value: 15, unit: 'min', element: 'order_placed_v1.placed_at' },
        { property: 'retention', value: 400, unit: 'd' },
      ],
      customProperties: [{ property: 'classification', value: 'internal' }],
    });
  });

  it('describes the table and its columns with logical and Glue physical types', () => {
    const [table] = contractToOdcsObject(Contract.of(FLAT).spec).schema as Node[];
    expect(table).toMatchObject({
      name: 'order_placed_v1',
      physicalName: 'order_placed_v1',
      logicalType: 'object',
      physicalType: 'table',
      customProperties: [
        { property: 'partitionKey', value: 'dt' },
        { property: 'partitionGranularity', value: 'day' },
      ],
    });
    const byName = Object.fromEntries((table.properties as Node[]).map((p) => [p.name, p]));
    expect(byName.order_id).toEqual({
      name: 'order_id',
      logicalType: 'string',
      physicalType: 'string',
      description: 'Order identifier.',
      required: true,
      primaryKey: true,
      primaryKeyPosition: 1,
      examples: ['o-1001'],
    });
    expect(byName.placed_at).toMatchObject({ logicalType: 'timestamp', physicalType: 'timestamp', partitioned: true, partitionKeyPosition: 1 });
    expect(byName.item_count).toMatchObject({ logicalType: 'integer', physicalType: 'int', logicalTypeOptions: { format: 'i32' } });
    expect(byName.sequence).toMatchObject({ logicalType: 'integer', physicalType: 'bigint', logicalTypeOptions: { format: 'i64' } });
    expect(byName.weight_kg).toMatchObject({ logicalType: 'number', physicalType: 'float', logicalTypeOptions: { format: 'f32' } });
    expect(byName.distance_km).toMatchObject({ logicalType: 'number', physicalType: 'double', logicalTypeOptions: { format: 'f64' } });
    expect(byName.delivery_day).toMatchObject({ logicalType: 'date', physicalType: 'date', required: false });
    expect(byName.gift).toMatchObject({ logicalType: 'boolean', physicalType: 'boolean' });
    expect(byName.gift.partitioned).toBeUndefined();
  });

  it('writes nested types as items / properties, and map values as a custom property', () => {
    const [table] = contractToOdcsObject(Contract.of(NESTED).spec).schema as Node[];
    const byName = Object.fromEntries((table.properties as Node[]).map((p) => [p.name, p]));
    expect(byName.line_items).toMatchObject({
      logicalType: 'array',
      physicalType: 'array<struct<sku:string,quantity:int,dimensions:struct<width_cm:double,height_cm:double>>>',
      required: true,
      items: {
        logicalType: 'object',
        properties: [
          { name: 'sku', logicalType: 'string', required: true, description: 'Stock keeping unit.' },
          { name: 'quantity', logicalType: 'integer', required: true },
          { name: 'dimensions', logicalType: 'object', properties: [{ name: 'width_cm' }, { name: 'height_cm' }] },
        ],
      },
    });
    expect(byName.shipping).toMatchObject({ logicalType: 'object', physicalType: 'struct<city:string,carrier:string>' });
    expect(byName.attributes).toMatchObject({
      logicalType: 'object',
      physicalType: 'map<string,struct<score:double>>',
      customProperties: [{ property: 'mapValues', value: { logicalType: 'object', properties: [{ name: 'score', logicalType: 'number' }] } }],
    });
    expect(byName.batches).toMatchObject({ logicalType: 'array', items: { logicalType: 'array', items: { logicalType: 'integer', physicalType: 'bigint' } } });
    expect(table.customProperties).toContainEqual({ property: 'partitionGranularity', value: 'hour' });
  });

  it('writes decimals, classifications, deprecation, volume and example queries', () => {
    const doc = parse(Contract.of(MONEY_PII).toOdcs());
    expect(doc.status).toBe('deprecated');
    expect(doc.version).toBe('2.0.0');
    const byName = Object.fromEntries((doc.schema[0].properties as Node[]).map((p) => [p.name, p]));
    expect(byName.amount).toMatchObject({ logicalType: 'number', physicalType: 'decimal(12,2)', examples: ['19.99'] });
    expect(byName.captured_on).toMatchObject({ logicalType: 'date', partitioned: true });
    expect(byName.customer_email).toMatchObject({ classification: 'pii' });
    expect(byName.card_holder.properties[0]).toMatchObject({ name: 'full_name', classification: 'pii' });
    expect(doc.customProperties).toEqual([
      { property: 'classification', value: 'pii' },
      { property: 'deprecation', value: { sunset: '2027-03-01', successor: 'payments.payment_captured.v3' } },
      { property: 'volume', value: { eventsPerSecond: 25, meanEventBytes: 700 } },
      { property: 'exampleQueries', value: [MONEY_PII.exampleQueries![0]] },
    ]);
  });

  it('uses only fields ODCS v3.1.0 defines', () => {
    for (const props of Object.values(ALL_FIXTURES)) {
      const doc = contractToOdcsObject(Contract.of(props).spec) as Node;
      expectKeys(doc, ODCS_KEYS.root, 'root');
      expectKeys(doc.description, ODCS_KEYS.description, 'description');
      expectKeys(doc.team, ODCS_KEYS.team, 'team');
      for (const member of doc.team.members) expectKeys(member, ODCS_KEYS.member, 'team.members');
      for (const table of doc.schema) {
        expectKeys(table, ODCS_KEYS.schemaObject, 'schema');
        for (const property of table.properties) checkProperty(property, `schema.${property.name}`);
      }
      for (const sla of doc.slaProperties ?? []) expectKeys(sla, ODCS_KEYS.sla, 'slaProperties');
      for (const custom of doc.customProperties) expectKeys(custom, ODCS_KEYS.custom, 'customProperties');
      expect(['required', 'version', 'apiVersion', 'kind', 'id', 'status'].every((k) => k === 'required' || k in doc)).toBe(true);
    }
  });

  it('quotes date-like strings so YAML 1.1 readers keep them strings', () => {
    expect(Contract.of(MONEY_PII).toOdcs()).toContain('sunset: "2027-03-01"');
  });

  it('maps every contract type to an ODCS logical type', () => {
    expect(odcsLogicalType({ kind: 'decimal', precision: 10, scale: 2 })).toBe('number');
    expect(odcsLogicalType({ kind: 'map', keys: { kind: 'string' }, values: { kind: 'int' } })).toBe('object');
    expect(odcsLogicalType({ kind: 'bigint' })).toBe('integer');
  });
});

describe('contractFromOdcs', () => {
  for (const [name, props] of Object.entries(ALL_FIXTURES)) {
    it(`round-trips the ${name} contract: export → import → export is byte-stable and the spec is unchanged`, () => {
      const contract = Contract.of(props);
      const yaml = contract.toOdcs();
      const imported = Contract.fromOdcs(yaml);
      expect(imported.toOdcs()).toBe(yaml);
      expect(Contract.fromOdcs(imported.toOdcs()).toOdcs()).toBe(yaml);
      expect(imported.spec).toEqual(contract.spec);
    });
  }

  it('reads a hand-written document without physical types', () => {
    const props = contractFromOdcs(`
apiVersion: v3.0.2
kind: DataContract
id: shop.visits.v3
name: visits
version: 3.1.4
status: active
domain: shop
description:
  purpose: A page visit.
team:
  name: web-team
  members:
    - username: web@example.com
schema:
  - name: visits
    properties:
      - name: visit_id
        logicalType: string
        required: true
        description: Visit id.
      - name: seen_at
        logicalType: timestamp
        required: true
        partitioned: true
        description: When.
      - name: hits
        logicalType: integer
        logicalTypeOptions: { format: i64 }
        description: Hits.
      - name: ratio
        logicalType: number
        description: Ratio.
      - name: page
        physicalType: VARCHAR(200)
        logicalType: string
        description: Page.
slaProperties:
  - property: latency
    value: 2
    unit: h
  - property: retention
    value: 1
    unit: y
`);
    const contract = Contract.of(props);
    expect(contract.spec).toMatchObject({
      name: 'visits',
      domain: 'shop',
      version: 3,
      owner: { team: 'web-team', contact: 'web@example.com' },
      sla: { freshnessMinutes: 120, retentionDays: 365 },
      partitionBy: { column: 'seen_at', granularity: 'day' },
    });
    expect(contract.spec.columns.hits.type).toEqual({ kind: 'bigint' });
    expect(contract.spec.columns.ratio.type).toEqual({ kind: 'double' });
    expect(contract.spec.columns.page.type).toEqual({ kind: 'string' });
  });

  it('rejects documents it cannot read, naming the problem', () => {
    expect(() => contractFromOdcs('a: [')).toThrow(ContractError);
    expect(() => contractFromOdcs('kind: DataContract\napiVersion: v2.2.2\nid: x')).toThrow(
      'x: apiVersion "v2.2.2" is not supported: use v3.1.0 (any v3.x is read).',
    );
    expect(() => contractFromOdcs('kind: Other\napiVersion: v3.1.0\nid: x')).toThrow(
      'x: kind "Other" is not supported: an ODCS contract has kind: DataContract.',
    );
    expect(() => contractFromOdcs('kind: DataContract\napiVersion: v3.1.0\nid: x\nschema: []')).toThrow(
      'x: the document describes no table: schema: [ … ] is empty or missing. A product contract needs one schema object with properties: [ … ], its columns.',
    );
  });

  it('keeps a physicalType that is not a Glue type as documentation: the logical type decides', () => {
    const sourceType = contractToOdcs(Contract.of(FLAT).spec).replace('physicalType: int\n', 'physicalType: NUMBER(4)\n');
    const contract = Contract.fromOdcs(sourceType);
    expect(contract.spec.columns.item_count.type).toEqual({ kind: 'int' });
    expect(contract.toOdcs()).toBe(sourceType);
  });

  it('lists a missing column description in ODCS terms, with the option that supplies it', () => {
    const yaml = Contract.of(FLAT).toOdcs().replace(/\n +description: Order identifier\./, '');
    expect(() => Contract.fromOdcs(yaml)).toThrow(
      `orders.order_placed.v1: the ODCS document cannot be imported as a product contract (1 item to fix):
- schema "order_placed_v1".properties "order_id" has no description: add description: … (or businessName: …) to the property, or import with { columnDescriptions: { order_id: '…' } }.`,
    );
    expect(Contract.fromOdcs(yaml, { columnDescriptions: { order_id: 'Order identifier.' } }).spec.columns.order_id.description).toBe('Order identifier.');
  });
});

describe('ODCS exports and the official JSON Schema', () => {
  for (const [name, props] of Object.entries(ALL_FIXTURES)) {
    it(`the ${name} contract's export validates against ODCS v3.1.0`, () => {
      expect(odcsSchemaErrors(contractToOdcsObject(Contract.of(props).spec))).toEqual([]);
    });
  }

  it('the validator refuses what the standard refuses (the check can fail)', () => {
    const doc = contractToOdcsObject(Contract.of(FLAT).spec);
    expect(odcsSchemaErrors({ ...doc, status: undefined, team: 'orders-team' })).not.toEqual([]);
  });
});

describe('an imported contract edited in code', () => {
  const source = `
apiVersion: v3.0.2
kind: DataContract
id: 0b7e-visits
name: visits
version: 3.1.4
status: active
domain: shop
description:
  purpose: A page visit.
  usage: Funnel analysis.
team:
  - username: web@example.com
    role: Owner
  - username: former@example.com
    role: Owner
    dateOut: "2024-01-01"
schema:
  - name: visits
    physicalName: visits_raw
    quality:
      - metric: rowCount
        mustBeGreaterThan: 0
    properties:
      - name: visit_id
        logicalType: string
        physicalType: varchar(36)
        businessName: Visit id
        required: true
        quality:
          - metric: nullValues
            mustBe: 0
      - name: seen_at
        logicalType: timestamp
        physicalType: timestamptz
        required: true
        partitioned: true
        description: When.
      - name: hits
        logicalType: integer
        physicalType: NUMBER(10)
        description: Hits.
`;

  it('reads the ODCS 3.0 team array: the current owner, in any case', () => {
    const contract = Contract.fromOdcs(source, { owner: { team: 'web-team' } });
    expect(contract.spec.owner).toEqual({ team: 'web-team', contact: 'web@example.com' });
    expect(contract.spec.version).toBe(3);
    expect(contract.spec.columns.visit_id).toMatchObject({ type: { kind: 'string' }, description: 'Visit id' });
  });

  it('exports the code’s values and keeps everything else of the document', () => {
    const imported = Contract.fromOdcs(source, { owner: { team: 'web-team' } });
    const { hits, ...columns } = imported.spec.columns;
    const edited = Contract.of({
      ...imported.spec,
      columns: { ...columns, hits: { ...hits, type: { kind: 'bigint' } }, referrer: col.string({ description: 'Where the visitor came from.' }) },
    });
    const doc = parse(edited.toOdcs());
    const byName = Object.fromEntries((doc.schema[0].properties as Node[]).map((p) => [p.name, p]));
    expect(byName.hits).toEqual({ name: 'hits', logicalType: 'integer', physicalType: 'bigint', logicalTypeOptions: { format: 'i64' }, description: 'Hits.' });
    expect(byName.visit_id.physicalType).toBe('varchar(36)');
    expect(byName.visit_id.quality).toEqual([{ metric: 'nullValues', mustBe: 0 }]);
    expect(byName.referrer).toMatchObject({ logicalType: 'string', physicalType: 'string', required: false });
    expect(doc.schema[0].quality).toEqual([{ metric: 'rowCount', mustBeGreaterThan: 0 }]);
    expect(doc.description).toEqual({ purpose: 'A page visit.', usage: 'Funnel analysis.' });
    expect(doc.version).toBe('3.1.4');
    expect(doc.team).toHaveLength(2);
    const again = Contract.fromOdcs(edited.toOdcs());
    expect(again.spec.columns).toEqual(edited.spec.columns);
    expect(again.toOdcs()).toBe(edited.toOdcs());
    expect(odcsSchemaErrors(doc)).toEqual([]);
  });
});
