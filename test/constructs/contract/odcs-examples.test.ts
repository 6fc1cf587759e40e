import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { col, Contract, ContractError, type OdcsImportOptions } from '../../../constructs/contract';
import { odcsSchemaErrors, pathDiff } from './odcs-helpers';

/** The examples of the ODCS standard's own repository (bitol-io/open-data-contract-standard, docs/examples). */
const EXAMPLES = path.join(__dirname, '../../../../shared/odcs/examples');

const OWNER = { team: 'payments-team', contact: 'payments@example.com' };
const EVENT_TIME = {
  addColumns: { event_time: col.timestamp({ required: true, description: 'When the event happened (UTC).' }) },
  partitionBy: { column: 'event_time' },
};

/**
 * Every example, and what the mesh needed to import it: the options (the document lacks a domain, an owner
 * with an e-mail, an event-time column…), or the refusal when the example is a section fragment without a table.
 */
const CASES: Record<string, { readonly options: OdcsImportOptions } | { readonly refused: RegExp }> = {
  'all--full-example': { options: { schema: 'tbl', name: 'payments', owner: { contact: 'daustin@example.com' }, classifications: { restricted: 'confidential' } } },
  'all--postgresql-adventureworks-contract': {
    options: {
      schema: 'department', name: 'department', domain: 'human_resources', owner: OWNER,
      columnTypes: { name: 'string', groupname: 'string' }, columnDescriptions: { modifieddate: 'When the row was last changed.' },
      partitionBy: { column: 'modifieddate' },
    },
  },
  'data-types--all-data-types': {
    options: {
      domain: 'payments', owner: OWNER,
      columnTypes: { latest_txns: 'array<string>', customer_details: 'map<string,string>' },
      columnDescriptions: {
        account_id: 'Account.', txn_ref_date: 'Reference date.', txn_timestamp: 'Transaction time.', txn_timestamp_tz: 'Transaction time with zone.',
        txn_time: 'Time of day.', amount: 'Amount.', age: 'Age in years.', is_open: 'Whether the account is open.',
        latest_txns: 'Latest transactions.', customer_details: 'Customer details.',
      },
      partitionBy: { column: 'txn_timestamp' },
    },
  },
  'fundamentals--table-column-description': { options: { domain: 'payments', owner: OWNER, partitionBy: { column: 'txn_ref_dt' } } },
  'quality--column-accuracy': { options: { domain: 'environment', owner: OWNER, columnNames: 'snake_case', ...EVENT_TIME } },
  'quality--column-completeness': { options: { domain: 'environment', owner: OWNER, columnNames: 'snake_case', ...EVENT_TIME } },
  'quality--column-custom': { options: { domain: 'environment', owner: OWNER, columnNames: 'snake_case', ...EVENT_TIME } },
  'quality--column-validity': { options: { domain: 'environment', owner: OWNER, columnDescriptions: { air_quality_status: 'Air quality status.' }, ...EVENT_TIME } },
  'roles--service-and-operational-roles': { refused: /the document describes no table: schema: \[ … \] is empty or missing/ },
  'schema--all-schema-types': { options: { schema: 'tbl', domain: 'payments', owner: OWNER, classifications: { restricted: 'confidential' } } },
  'schema--kafka-schema': { options: { name: 'orders', domain: 'orders', version: 1, owner: OWNER, ...EVENT_TIME } },
  'schema--kafka-schemaregistry': { refused: /the document describes no table: no schema object \(Orders\) has properties/ },
  'schema--table-column': { options: { domain: 'payments', owner: OWNER, description: 'Receivers.', ...EVENT_TIME } },
  'schema--table-columns-with-partition': {
    options: { domain: 'payments', owner: OWNER, description: 'Transactions.', ...EVENT_TIME },
  },
  'server--azure-server': { refused: /the document describes no table: schema: \[ … \] is empty or missing/ },
  'server--kafka-server': { refused: /the document describes no table: no schema object \(Orders\) has properties/ },
  'sla--database-table-sla': { refused: /the document describes no table: schema: \[ … \] is empty or missing/ },
  'stakeholders--basic-four-dpo': { refused: /the document describes no table: schema: \[ … \] is empty or missing/ },
};

/**
 * What the export may change in the document: the API version it is written in, and the partition column,
 * which the mesh requires in every record. Everything else of the input must come back unchanged.
 */
const MESH_CHANGES = [/^apiVersion$/, /^schema\.\d+\.properties\.\d+\.required$/];

function read(name: string): string {
  return fs.readFileSync(path.join(EXAMPLES, `${name}.odcs.yaml`), 'utf8');
}

describe('the ODCS standard examples', () => {
  it('are all listed here', () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.odcs.yaml')).map((f) => f.replace('.odcs.yaml', ''));
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, expected] of Object.entries(CASES)) {
    if ('refused' in expected) {
      it(`${name}: refused, it has no table`, () => {
        expect(() => Contract.fromOdcs(read(name))).toThrow(ContractError);
        expect(() => Contract.fromOdcs(read(name))).toThrow(expected.refused);
      });
      continue;
    }
    describe(name, () => {
      it('is refused without options, listing every missing item in ODCS terms', () => {
        expect(() => Contract.fromOdcs(read(name))).toThrow(ContractError);
      });

      it('needs each of its options: without any one of them, it is refused', () => {
        for (const key of Object.keys(expected.options) as (keyof OdcsImportOptions)[]) {
          const { [key]: _left, ...rest } = expected.options;
          expect(() => Contract.fromOdcs(read(name), rest), key).toThrow(ContractError);
        }
      });

      it(`imports with ${Object.keys(expected.options).join(', ')}`, () => {
        const contract = Contract.fromOdcs(read(name), expected.options);
        expect(Object.keys(contract.spec.columns).length).toBeGreaterThan(0);
      });

      it('exports again without losing a field of the document, and the export imports to the same contract', () => {
        const contract = Contract.fromOdcs(read(name), expected.options);
        const exported = contract.toOdcs();
        const changed = pathDiff(parse(read(name)), parse(exported)).filter((p) => !MESH_CHANGES.some((allowed) => allowed.test(p)));
        expect(changed).toEqual([]);
        const again = Contract.fromOdcs(exported);
        expect(again.toOdcs()).toBe(exported);
        expect(withoutSource(again.spec)).toEqual(withoutSource(contract.spec));
      });

      it('exports a document valid against the ODCS v3.1.0 JSON Schema', () => {
        expect(odcsSchemaErrors(parse(Contract.fromOdcs(read(name), expected.options).toOdcs()))).toEqual([]);
      });
    });
  }
});

function withoutSource<T extends { readonly odcs?: unknown }>(spec: T): Omit<T, 'odcs'> {
  const { odcs: _odcs, ...rest } = spec;
  return rest;
}

describe('importing the full example', () => {
  const options = (CASES['all--full-example'] as { readonly options: OdcsImportOptions }).options;
  const contract = Contract.fromOdcs(read('all--full-example'), options);

  it('takes the type from the logical type, refined only by a Glue physicalType', () => {
    expect(contract.spec.columns.rcvr_id).toMatchObject({ type: { kind: 'string' }, primaryKey: true, classification: 'confidential' });
    expect(contract.spec.columns.txn_ref_dt).toMatchObject({ type: { kind: 'date' }, required: true });
    expect(Object.keys(contract.spec.columns)).toEqual(['txn_ref_dt', 'rcvr_id', 'rcvr_cntry_code']);
  });

  it('reads the current owner (role Owner, any case; members who left are skipped), the domain, version and SLA', () => {
    expect(contract.spec).toMatchObject({
      domain: 'seller',
      version: 1,
      owner: { team: 'my-team', contact: 'daustin@example.com' },
      sla: { freshnessMinutes: 4 * 1440, retentionDays: 3 * 365 },
      partitionBy: { column: 'txn_ref_dt', granularity: 'day' },
      tags: ['transactions'],
    });
  });

  it('exports quality, servers, roles, support, price, relationships and the other schema object unchanged', () => {
    const source = parse(read('all--full-example'));
    const exported = parse(contract.toOdcs());
    for (const key of ['servers', 'roles', 'support', 'price', 'authoritativeDefinitions', 'contractCreatedTs', 'tenant', 'dataProduct']) {
      expect(exported[key], key).toEqual(source[key]);
    }
    expect(exported.version).toBe('1.1.0');
    expect(exported.schema[1]).toEqual(source.schema[1]);
    expect(exported.schema[0].quality).toEqual(source.schema[0].quality);
    expect(exported.schema[0].properties[2].quality).toEqual(source.schema[0].properties[2].quality);
    expect(exported.schema[0].relationships).toEqual(source.schema[0].relationships);
    expect(exported.slaProperties).toEqual(source.slaProperties);
  });

  it('writes what the document was silent about into it, and records the options still needed to import it again', () => {
    const exported = parse(contract.toOdcs());
    expect(exported.name).toBe('payments');
    expect(exported.customProperties).toContainEqual({
      property: 'meshImport',
      value: { schema: 'tbl', owner: { contact: 'daustin@example.com' }, classifications: { restricted: 'confidential' } },
    });
  });
});

describe('a refusal', () => {
  it('lists every missing item at once, in ODCS terms, with the field to set and the option', () => {
    expect(() => Contract.fromOdcs(read('schema--kafka-schema'))).toThrow(
      `orders: the ODCS document cannot be imported as a product contract (6 items to fix):
- name "Orders Event Stream" is not a product name (lower-case snake_case): set name: orders_event_stream, or import with { name: 'orders_event_stream' }.
- domain is missing: set domain: orders in the document, or import with { domain: 'orders' }.
- version "0.0.1" has no major version ≥ 1 (the mesh versions tables by it): set version: 1.0.0, or import with { version: 1 }.
- team.name is missing: add team: { name: …, members: [ … ] }, or import with { owner: { team: '…' } }.
- no current team member with role: owner has an e-mail address as username: add a member { username: owner@example.com, role: owner }, or import with { owner: { contact: 'owner@example.com' } }.
- schema "Orders" has no date or timestamp property to partition by (the mesh partitions by event time): add one with partitioned: true, or import with { addColumns: { event_time: col.timestamp({ required: true, description: '…' }) }, partitionBy: { column: 'event_time' } }.`,
    );
  });

  it('names the schema objects of a multi-table document and the option that picks one', () => {
    expect(() => Contract.fromOdcs(read('schema--all-schema-types'))).toThrow(
      "53581432-6c55-4ba2-a65f-72344a91553a: the document has 3 schema objects (tbl, AnObject, AnotherObject) and a product is one table: import with { schema: 'tbl' } (any of them).",
    );
  });
});

describe('columns renamed by columnNames', () => {
  it('read the document’s property name as their record key', () => {
    const options = (CASES['quality--column-accuracy'] as { readonly options: OdcsImportOptions }).options;
    const contract = Contract.fromOdcs(read('quality--column-accuracy'), options);
    expect(contract.spec.columns.data_value).toMatchObject({ field: 'DataValue', type: { kind: 'double' } });
    expect(Object.keys(contract.toJsonSchema().properties as object)).toEqual(['DataValue', 'event_time', 'data_value']);
  });
});
