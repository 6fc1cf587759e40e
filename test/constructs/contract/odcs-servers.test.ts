import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Contract, contractToOdcsObject, type OdcsServerFacts } from '../../../constructs/contract';
import { FLAT } from './fixtures';
import { odcsSchemaErrors } from './odcs-helpers';

const NAMES: OdcsServerFacts = { streamName: 'shop-orders-order_placed-v1', databaseName: 'orders', tableName: 'order_placed_v1', dataPrefix: 'order_placed_v1/' };
const DEPLOYED: OdcsServerFacts = {
  ...NAMES,
  account: '123456789012',
  region: 'eu-west-1',
  bucketName: 'shop-orders-data-123456789012-eu-west-1',
  athenaStagingDir: 's3://shop-results-123456789012-eu-west-1/analysts/',
};

describe('the mesh servers of an ODCS export', () => {
  it('are left out without facts', () => {
    expect(contractToOdcsObject(Contract.of(FLAT).spec).servers).toBeUndefined();
  });

  it('name the stream when only the names are known (an environment-agnostic stack)', () => {
    expect(contractToOdcsObject(Contract.of(FLAT).spec, { servers: NAMES }).servers).toEqual([
      {
        server: 'mesh-kinesis',
        type: 'kinesis',
        description: 'Kinesis data stream shop-orders-order_placed-v1: producers put one JSON record per event.',
        format: 'json',
        customProperties: [{ property: 'streamName', value: 'shop-orders-order_placed-v1' }],
      },
    ]);
  });

  it('add s3, glue and athena with the real names when the environment is known, valid ODCS', () => {
    const doc = contractToOdcsObject(Contract.of(FLAT).spec, { servers: DEPLOYED });
    expect(doc.servers.map((s: { type: string }) => s.type)).toEqual(['kinesis', 's3', 'glue', 'athena']);
    expect(doc.servers[1]).toMatchObject({ location: 's3://shop-orders-data-123456789012-eu-west-1/order_placed_v1/', format: 'parquet' });
    expect(doc.servers[2]).toMatchObject({ account: '123456789012', database: 'orders' });
    expect(doc.servers[3]).toMatchObject({ schema: 'orders', stagingDir: DEPLOYED.athenaStagingDir, regionName: 'eu-west-1' });
    expect(odcsSchemaErrors(doc)).toEqual([]);
  });

  it('replace the mesh servers of an imported document and keep its own', () => {
    const source = Contract.of(FLAT).toOdcs() + 'servers:\n  - server: warehouse\n    type: postgres\n    host: db\n    port: 5432\n    database: dw\n    schema: public\n';
    const imported = Contract.fromOdcs(source);
    const once = contractToOdcsObject(imported.spec, { servers: NAMES });
    expect(once.servers.map((s: { server: string }) => s.server)).toEqual(['warehouse', 'mesh-kinesis']);
    const again = Contract.fromOdcs(Contract.fromOdcs(source).toOdcs({ servers: DEPLOYED }));
    expect(contractToOdcsObject(again.spec, { servers: NAMES }).servers).toEqual(once.servers);
  });

  it('do not make a lock read back as an imported document (the contract alone is the same)', () => {
    const contract = Contract.of(FLAT);
    const read = Contract.fromOdcs(stringify(contractToOdcsObject(contract.spec, { servers: DEPLOYED })));
    expect(read.spec).toEqual(contract.spec);
    expect(parse(read.toOdcs()).servers).toBeUndefined();
  });
});
