import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct } from '../../../constructs/product/data-product';
import { testApp } from '../domain/test-app';

const FULL_EXAMPLE = path.join(__dirname, '../../../../shared/odcs/examples/all--full-example.odcs.yaml');

describe('an ODCS document as the source of truth of a DataProduct', () => {
  it('builds the product: Glue columns from the logical types, the document in the manifest', () => {
    const stack = new Stack(testApp(), 'seller');
    const domain = new DataDomain(stack, 'Domain', { domainName: 'seller' });
    const contract = Contract.fromOdcsFile(FULL_EXAMPLE, {
      schema: 'tbl',
      name: 'payments',
      owner: { contact: 'daustin@example.com' },
      classifications: { restricted: 'confidential' },
    });
    const product = new DataProduct(stack, 'Payments', { domain, contract });

    expect(product.tableName).toBe('payments_v1');
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'payments_v1',
        StorageDescriptor: Match.objectLike({
          Columns: [
            { Name: 'txn_ref_dt', Type: 'date', Comment: 'Reference date for transaction' },
            { Name: 'rcvr_id', Type: 'string', Comment: 'A description for column rcvr_id.' },
            { Name: 'rcvr_cntry_code', Type: 'string', Comment: 'Country code' },
          ],
        }),
      }),
    });
    expect(product.entry.contract.odcs?.document.roles).toHaveLength(4);
  });

  it('names the file and every missing item when the document lacks what the mesh needs', () => {
    expect(() => Contract.fromOdcsFile(FULL_EXAMPLE, { schema: 'tbl' })).toThrow(
      `${FULL_EXAMPLE}: 53581432-6c55-4ba2-a65f-72344a91553a: the ODCS document cannot be imported as a product contract (3 items to fix):`,
    );
    expect(() => Contract.fromOdcsFile('no/such/file.odcs.yaml')).toThrow(/^Contract\.fromOdcsFile cannot read "no\/such\/file\.odcs\.yaml": ENOENT/);
  });
});
