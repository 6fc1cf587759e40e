import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { col, Contract, type ContractProps, type ContractSpec } from '../../../constructs/contract';
import { MANIFEST_METADATA_TYPE, type ProductEntry, type ProductPhysicalNames } from '../../../constructs/manifest/manifest';
import { dataPrefix, databaseName, deliveryStreamName, errorPrefix, streamName, tableName } from '../../../constructs/naming/naming';

export const ORDER_PLACED: ContractProps = {
  name: 'order_placed',
  domain: 'orders',
  version: 1,
  owner: { team: 'orders-team', contact: 'orders@example.com' },
  description: 'An order a customer placed.',
  columns: {
    order_id: col.string({ required: true, primaryKey: true, description: 'Order id.' }),
    placed_at: col.timestamp({ required: true, description: 'When.' }),
    total: col.decimal(10, 2, { required: true, description: 'Total.' }),
    gift_note: col.string({ description: 'Gift note.' }),
    shipping: col.struct({ city: col.string({ required: true, description: 'City.' }) }, { description: 'Shipping.' }),
  },
  partitionBy: { column: 'placed_at' },
};

export const PAGE_VIEWED: ContractProps = {
  name: 'page_viewed',
  domain: 'storefront',
  owner: { team: 'web-team', contact: 'web@example.com' },
  description: 'A page a visitor viewed.',
  columns: {
    view_id: col.string({ required: true, description: 'View id.' }),
    viewed_at: col.timestamp({ required: true, description: 'When.' }),
  },
  partitionBy: { column: 'viewed_at' },
};

export function spec(props: ContractProps, overrides: Partial<ContractProps> = {}): ContractSpec {
  return Contract.of({ ...props, ...overrides }).spec;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Writes a cloud assembly whose only content is a stack carrying the product manifest entries. */
export function writeAssembly(dir: string, specs: readonly ContractSpec[]): string {
  const assembly = path.join(dir, 'cdk.out');
  fs.mkdirSync(assembly, { recursive: true });
  const entries = specs.map((contract): ProductEntry => {
    const id = `${contract.domain}.${contract.name}.v${contract.version}`;
    return {
      kind: 'product',
      id,
      mesh: 'shop',
      path: `Mesh/${contract.domain}/${contract.name}`,
      stackName: 'Mesh',
      contract,
      physical: productPhysicalNamesForTest(contract),
    };
  });
  const manifest = {
    version: '55.0.0',
    artifacts: {
      Mesh: {
        type: 'aws:cloudformation:stack',
        metadata: Object.fromEntries(entries.map((entry) => [`/${entry.path}`, [{ type: MANIFEST_METADATA_TYPE, data: entry }]])),
      },
    },
  };
  fs.writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return assembly;
}

/** The physical names a product of mesh `shop` gets, built with the naming module as the constructs do. */
export function productPhysicalNamesForTest(contract: ContractSpec): ProductPhysicalNames {
  const parts = { mesh: 'shop', domain: contract.domain, product: contract.name, version: contract.version };
  return {
    streamName: streamName(parts),
    deliveryStreamName: deliveryStreamName(parts),
    databaseName: databaseName(contract.domain),
    tableName: tableName(contract.name, contract.version),
    dataPrefix: dataPrefix(contract.name, contract.version),
    errorPrefix: errorPrefix(contract.name, contract.version),
  };
}
