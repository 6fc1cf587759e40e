import { describe, expect, it } from 'vitest';
import { AccessDeniedError, checkQueryAccess, type QueryAccess } from '../../../lib/local/query-access';
import { customerRegistered, orderPlaced, productEntry } from './fake-assembly';

const customers = productEntry(customerRegistered);
const orders = productEntry(orderPlaced);
const products = [customers, orders];

/** Management as the reference mesh grants it: customers without the PII column, no orders. */
const management: QueryAccess = {
  who: 'management',
  principals: ['consumers/Management/Role'],
  columns: new Map([[customers.id, ['customer_id', 'country', 'registered_on', 'dt']]]),
  via: new Map([[customers.id, ['consumers/Management/Role: consumers/Management/Read/Select (AWS::LakeFormation::PrincipalPermissions)']]]),
};

const refusal = (sql: string) => {
  try {
    checkQueryAccess(sql, products, management);
  } catch (error) {
    expect(error).toBeInstanceOf(AccessDeniedError);
    return (error as Error).message;
  }
  return undefined;
};

describe('checkQueryAccess', () => {
  it('refuses a withheld PII column, naming the column, the table, the grant and the fix', () => {
    expect(refusal('SELECT email FROM accounts.customer_registered_v1')).toBe(
      'management may not read column "email" of accounts.customer_registered_v1 (accounts.customer_registered.v1): its grant ' +
        '(consumers/Management/Role: consumers/Management/Read/Select (AWS::LakeFormation::PrincipalPermissions)) excludes it, a PII column ' +
        'granted only with a reason. It may read customer_id, country, registered_on, dt. To read it, grant the column with a reason in the ' +
        "CDK app: `product.grantRead(consumer, { pii: { columns: ['email'], reason: '<why management needs email>' } })`, then `npx cdk synth` and query again.",
    );
  });

  it('finds the column anywhere in the statement, quoted or not', () => {
    expect(refusal('SELECT count(*) FROM accounts.customer_registered_v1 WHERE "email" LIKE \'%@example.com\'')).toMatch(/column "email"/);
    expect(refusal('SELECT c.EMAIL FROM accounts.customer_registered_v1 c')).toMatch(/column "email"/);
  });

  it('refuses a table without a grant, naming it and how to grant it', () => {
    expect(refusal('SELECT count(*) FROM orders.order_placed_v1')).toBe(
      'management may not read orders.order_placed_v1 (orders.order_placed.v1): no Lake Formation SELECT grant on it reaches ' +
        'consumers/Management/Role. To read it, grant it in the CDK app — the product\'s grantRead on the consumer management ' +
        '(e.g. `product.grantRead(consumer)`) — then `npx cdk synth` and query again.',
    );
  });

  it('lets granted columns, SELECT *, aliases and string literals through', () => {
    expect(refusal('SELECT country, count(*) AS n FROM accounts.customer_registered_v1 GROUP BY country')).toBeUndefined();
    expect(refusal('SELECT * FROM accounts.customer_registered_v1')).toBeUndefined();
    expect(refusal("SELECT customer_id AS email FROM accounts.customer_registered_v1 WHERE country <> 'email'")).toBeUndefined();
  });
});
