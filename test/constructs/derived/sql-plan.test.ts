import { describe, expect, it } from 'vitest';
import { planSqlProduct, type PlanSource } from '../../../constructs/derived/sql-plan';
import type { Contract } from '../../../constructs/contract/contract';
import { customerOrders, customerRegistered, orderPlaced } from '../../../lib/reference/contracts';
import { CUSTOMER_ORDERS_SQL } from '../../../lib/reference/marketing-stack';

const source = (contract: Contract, databaseName: string, tableName: string): PlanSource => ({
  productId: contract.id,
  databaseName,
  tableName,
  contract: contract.spec,
  piiColumns: contract.piiColumns,
});
const SOURCES = [source(orderPlaced, 'orders', 'order_placed_v1'), source(customerRegistered, 'accounts', 'customer_registered_v1')];

describe('planSqlProduct: the reference SQL product marketing.customer_orders', () => {
  it('is planned with output types matching its contract', () => {
    expect(planSqlProduct(CUSTOMER_ORDERS_SQL, SOURCES, customerOrders.spec)).toEqual({
      columns: [
        { name: 'customer_id', type: 'varchar' },
        { name: 'country', type: 'varchar' },
        { name: 'currency', type: 'varchar' },
        { name: 'order_count', type: 'bigint' },
        { name: 'revenue', type: 'decimal(14,2)' },
        { name: 'order_date', type: 'date' },
      ],
    });
  });

  it('refuses sum(...) producing a double into its decimal(14,2) revenue column', () => {
    const sql = CUSTOMER_ORDERS_SQL.replace('CAST(sum(o.total) AS decimal(14, 2))', 'sum(CAST(o.total AS double))');
    expect(() => planSqlProduct(sql, SOURCES, customerOrders.spec)).toThrow(
      'The SQL returns "revenue" as double (line 5, column 40), which cannot be written to the contract\'s decimal(14,2) column without loss: CAST(… AS decimal(14,2)) in the SELECT if every value fits, or declare the column double in the contract.',
    );
  });
});
