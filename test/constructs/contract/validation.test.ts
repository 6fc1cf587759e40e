import { describe, expect, it } from 'vitest';
import {
  col,
  Contract,
  ContractError,
  personalDataToken,
  SQL_RESERVED_WORDS,
  suggestSnakeCase,
  type ColumnSpec,
  type ContractProps,
} from '../../../constructs/contract';
import { ALL_FIXTURES, FLAT, NESTED } from './fixtures';

/** FLAT with some top-level props replaced. */
function flat(overrides: Partial<Record<keyof ContractProps, unknown>>): ContractProps {
  return { ...FLAT, ...overrides } as ContractProps;
}

/** FLAT with columns added (or replaced). */
function withColumns(columns: Record<string, unknown>, overrides: Partial<Record<keyof ContractProps, unknown>> = {}): ContractProps {
  return flat({ columns: { ...FLAT.columns, ...columns }, ...overrides });
}

function messageOf(props: ContractProps): string {
  try {
    Contract.of(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as Error).message;
  }
  throw new Error('expected a ContractError, the contract was accepted');
}

describe('validateContract', () => {
  it('accepts the fixtures', () => {
    for (const props of Object.values(ALL_FIXTURES)) expect(() => Contract.of(props)).not.toThrow();
  });

  describe('names', () => {
    it('rejects a product name that is not snake_case', () => {
      expect(messageOf(flat({ name: 'OrderPlaced' }))).toBe(
        'orders.OrderPlaced: product name "OrderPlaced" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): use e.g. "order_placed".',
      );
    });

    it('rejects a missing product name', () => {
      expect(messageOf(flat({ name: undefined }))).toBe(
        "orders.(unnamed): product name is missing: add name: 'order_placed' (lower-case snake_case).",
      );
    });

    it('rejects a domain that is not snake_case', () => {
      expect(messageOf(flat({ domain: 'Order-Service' }))).toBe(
        'Order-Service.order_placed: domain "Order-Service" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): use e.g. "order_service".',
      );
    });

    it('rejects a domain that is a reserved word', () => {
      expect(messageOf(flat({ domain: 'order' }))).toBe(
        'order.order_placed: domain "order" is an SQL reserved word in Athena (it names the Glue database): rename it, e.g. "order_domain".',
      );
    });

    it('rejects a product name whose table name exceeds 255 bytes', () => {
      const name = `p${'_x'.repeat(127)}`; // 255 bytes, table name `<name>_v1` is 258
      expect(messageOf(flat({ name }))).toBe(
        `orders.${name}: product name "${name.slice(0, 40)}…" makes a 258-byte table name: Glue names are at most 255 bytes; shorten it.`,
      );
    });

    it('rejects a column name that is not snake_case', () => {
      expect(messageOf(withColumns({ 'Order-Total': col.int({ description: 'Total.' }) }))).toBe(
        'orders.order_placed: column "Order-Total" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): rename it, e.g. "order_total".',
      );
    });

    it('names a nested field by its path (struct inside array)', () => {
      const props = withColumns({
        line_items: col.array(col.struct({ skuCode: col.string({ description: 'SKU.' }) }), { description: 'Items.' }),
      });
      expect(messageOf(props)).toBe(
        'orders.order_placed: column "line_items[].skuCode" must be lower-case snake_case (a-z, 0-9 and single underscores, starting with a letter): rename it, e.g. "sku_code".',
      );
    });

    it('rejects a column name longer than 255 bytes', () => {
      const name = `c${'é'.repeat(128)}`; // 1 + 256 bytes
      expect(messageOf(withColumns({ [name]: col.int({ description: 'Long.' }) }))).toBe(
        `orders.order_placed: column "${name.slice(0, 40)}…" is 257 bytes long: Glue column names are at most 255 bytes; shorten it.`,
      );
    });

    it('rejects a reserved word as column name', () => {
      expect(messageOf(withColumns({ date: col.date({ description: 'A day.' }) }))).toBe(
        'orders.order_placed: column "date" is an SQL reserved word in Athena ("date"): rename it, e.g. "event_date".',
      );
    });

    it('rejects a reserved word as nested struct field name', () => {
      const props = withColumns({ shipping: col.struct({ user: col.string({ description: 'Who.' }) }, { description: 'Shipping.' }) });
      expect(messageOf(props)).toBe(
        'orders.order_placed: column "shipping.user" is an SQL reserved word in Athena ("user"): rename it, e.g. "event_user".',
      );
    });

    it('covers Hive DDL and Trino DML reserved words', () => {
      for (const word of ['select', 'timestamp', 'partition', 'map', 'unnest', 'json_table', 'current_user']) {
        expect(SQL_RESERVED_WORDS.has(word)).toBe(true);
      }
      expect(SQL_RESERVED_WORDS.has('order_id')).toBe(false);
    });

    it('rejects duplicate columns case-insensitively (Glue lower-cases names)', () => {
      expect(messageOf(withColumns({ Order_Id: col.string({ description: 'Again.' }) }))).toBe(
        'orders.order_placed: columns "order_id" and "Order_Id" collide: Glue lower-cases names, so both name the same column; rename or remove one.',
      );
    });

    it('rejects duplicate nested fields', () => {
      const props = withColumns({
        shipping: col.struct(
          { city: col.string({ description: 'City.' }), CITY: col.string({ description: 'City again.' }) },
          { description: 'Shipping.' },
        ),
      });
      expect(messageOf(props)).toBe(
        'orders.order_placed: columns "shipping.city" and "shipping.CITY" collide: Glue lower-cases names, so both name the same column; rename or remove one.',
      );
    });

    it('rejects a column named like the dt partition key', () => {
      expect(messageOf(withColumns({ dt: col.string({ description: 'Day.' }) }))).toBe(
        'orders.order_placed: column "dt" collides with the "dt" partition key every product table has: rename it, e.g. "event_date".',
      );
    });
  });

  describe('types', () => {
    it('rejects a decimal precision above 38', () => {
      expect(messageOf(withColumns({ total: col.decimal(40, 2, { description: 'Total.' }) }))).toBe(
        'orders.order_placed: column "total" has decimal precision 40: use an integer from 1 to 38 (the Glue/Athena maximum), e.g. col.decimal(18, 2).',
      );
    });

    it('rejects a decimal precision of 0', () => {
      expect(messageOf(withColumns({ total: col.decimal(0, 0, { description: 'Total.' }) }))).toBe(
        'orders.order_placed: column "total" has decimal precision 0: use an integer from 1 to 38 (the Glue/Athena maximum), e.g. col.decimal(18, 2).',
      );
    });

    it('rejects a decimal scale above the precision', () => {
      expect(messageOf(withColumns({ total: col.decimal(4, 6, { description: 'Total.' }) }))).toBe(
        'orders.order_placed: column "total" has decimal scale 6 for precision 4: use an integer from 0 to 4, e.g. col.decimal(4, 2).',
      );
    });

    it('rejects a negative decimal scale inside an array', () => {
      expect(messageOf(withColumns({ prices: col.array(col.decimal(10, -1), { description: 'Prices.' }) }))).toBe(
        'orders.order_placed: column "prices[]" has decimal scale -1 for precision 10: use an integer from 0 to 10, e.g. col.decimal(10, 2).',
      );
    });

    it('rejects a builder that was not called', () => {
      expect(messageOf(withColumns({ note: col.string }))).toBe(
        "orders.order_placed: column \"note\" is not a column: build it with a col.* builder, e.g. col.string({ description: '…' }).",
      );
    });

    it('rejects an unknown type', () => {
      expect(messageOf(withColumns({ note: { type: { kind: 'text' }, required: false, description: 'Note.' } }))).toBe(
        'orders.order_placed: column "note" has unknown type "text": use one of string, boolean, int, bigint, float, double, decimal, date, timestamp, array, struct, map.',
      );
    });

    it('rejects a struct without fields', () => {
      expect(messageOf(withColumns({ empty: col.struct({}, { description: 'Nothing.' }) }))).toBe(
        "orders.order_placed: column \"empty\" is a struct without fields: declare at least one, e.g. col.struct({ id: col.string({ description: '…' }) }).",
      );
    });

    it('rejects a non-boolean required flag', () => {
      expect(messageOf(withColumns({ note: { type: { kind: 'string' }, required: 'yes', description: 'Note.' } }))).toBe(
        'orders.order_placed: column "note" has required "yes": use true or false.',
      );
    });
  });

  describe('partition', () => {
    it('rejects a missing partition column', () => {
      expect(messageOf(flat({ partitionBy: undefined }))).toBe(
        "orders.order_placed: partitionBy.column is missing: name the required date or timestamp column the \"dt\" partition is derived from, e.g. partitionBy: { column: 'placed_at' }.",
      );
    });

    it('rejects a partition column that does not exist', () => {
      expect(messageOf(flat({ partitionBy: { column: 'placed' } }))).toBe(
        'orders.order_placed: partition column "placed" is not a column: partition by one of: placed_at, delivery_day.',
      );
    });

    it('rejects an optional partition column', () => {
      expect(messageOf(flat({ partitionBy: { column: 'delivery_day' } }))).toBe(
        'orders.order_placed: partition column "delivery_day" is optional: mark it required: true (every record needs it to land in a "dt" partition).',
      );
    });

    it('rejects a partition column that is not a date or timestamp', () => {
      expect(messageOf(flat({ partitionBy: { column: 'item_count' } }))).toBe(
        'orders.order_placed: partition column "item_count" is an int: partition by one of: placed_at, delivery_day.',
      );
    });

    it('rejects an unknown granularity', () => {
      expect(messageOf(flat({ partitionBy: { column: 'placed_at', granularity: 'week' } }))).toBe(
        "orders.order_placed: partitionBy.granularity \"week\" is not valid: use 'day' or 'hour'.",
      );
    });

    it('rejects a partitionBy.since that is not a calendar date, and a future tolerance that is not whole hours', () => {
      expect(messageOf(flat({ partitionBy: { column: 'placed_at', since: '2015-02-30' } }))).toBe(
        "orders.order_placed: partitionBy.since \"2015-02-30\" is not a date: use yyyy-MM-dd, e.g. since: '2015-01-01'.",
      );
      expect(messageOf(flat({ partitionBy: { column: 'placed_at', futureToleranceHours: -1 } }))).toBe(
        'orders.order_placed: partitionBy.futureToleranceHours -1 is not valid: use a whole number of hours from 0 to 8760, e.g. 24.',
      );
      expect(() => Contract.of(flat({ partitionBy: { column: 'placed_at', since: '2015-01-01', futureToleranceHours: 0 } }))).not.toThrow();
    });

    it('rejects hourly partitions of a date column', () => {
      const props = withColumns({ placed_on: col.date({ required: true, description: 'Day.' }) }, { partitionBy: { column: 'placed_on', granularity: 'hour' } });
      expect(messageOf(props)).toBe(
        "orders.order_placed: partition column \"placed_on\" is a date, which has no hour: use granularity 'day' or partition by a timestamp column.",
      );
    });
  });

  describe('descriptions', () => {
    it('requires a product description', () => {
      expect(messageOf(flat({ description: '  ' }))).toBe(
        "orders.order_placed: the product has no description: add description: '…' saying what one record means.",
      );
    });

    it('requires a column description', () => {
      expect(messageOf(withColumns({ note: col.string() }))).toBe(
        "orders.order_placed: column \"note\" has no description: add description: '…' saying what it means.",
      );
    });

    it('requires descriptions of nested fields', () => {
      const props = withColumns({ shipping: col.struct({ city: col.string() }, { description: 'Shipping.' }) });
      expect(messageOf(props)).toBe(
        "orders.order_placed: column \"shipping.city\" has no description: add description: '…' saying what it means.",
      );
    });
  });

  describe('classification', () => {
    it('requires a classification on personal-data names', () => {
      expect(messageOf(withColumns({ customer_email: col.string({ description: 'E-mail.' }) }))).toBe(
        "orders.order_placed: column \"customer_email\" looks like personal data (\"email\") but has no classification: add classification: 'pii' (or 'confidential', 'internal' or 'public' if it is not personal data).",
      );
    });

    it('requires a classification on nested personal data', () => {
      const props = withColumns({
        recipients: col.array(col.struct({ date_of_birth: col.date({ description: 'Birthday.' }) }), { description: 'Who gets it.' }),
      });
      expect(messageOf(props)).toBe(
        "orders.order_placed: column \"recipients[].date_of_birth\" looks like personal data (\"date_of_birth\") but has no classification: add classification: 'pii' (or 'confidential', 'internal' or 'public' if it is not personal data).",
      );
    });

    it('matches personal data by snake_case tokens, not substrings', () => {
      expect(personalDataToken('customer_email')).toBe('email');
      expect(personalDataToken('client_ip_address')).toBe('ip_address');
      expect(personalDataToken('last_name')).toBe('last_name');
      expect(personalDataToken('billing_address_line')).toBe('address');
      expect(personalDataToken('credit_card_number')).toBe('credit_card');
      expect(personalDataToken('ship_date')).toBeUndefined();
      expect(personalDataToken('emails_sent')).toBeUndefined(); // token "emails", not "email"
      expect(personalDataToken('shipping')).toBeUndefined(); // contains "ip" only as a substring
    });

    it('accepts personal data with any classification', () => {
      expect(() => Contract.of(withColumns({ customer_email: col.string({ description: 'E-mail.', classification: 'confidential' }) }))).not.toThrow();
    });

    it('rejects an unknown column classification', () => {
      expect(messageOf(withColumns({ note: col.string({ description: 'Note.', classification: 'secret' as never }) }))).toBe(
        'orders.order_placed: column "note" has classification "secret": use one of public, internal, confidential, pii.',
      );
    });

    it('rejects an unknown product classification', () => {
      expect(messageOf(flat({ classification: 'restricted' }))).toBe(
        'orders.order_placed: classification "restricted" is not valid: use one of public, internal, confidential, pii.',
      );
    });
  });

  describe('product fields', () => {
    it('requires a positive integer version', () => {
      expect(messageOf(flat({ version: 0 }))).toBe(
        'orders.order_placed: version 0 is not valid: use a positive integer major version, e.g. version: 1.',
      );
      expect(messageOf(flat({ version: 1.5 }))).toBe(
        'orders.order_placed: version 1.5 is not valid: use a positive integer major version, e.g. version: 1.',
      );
    });

    it('requires an owner', () => {
      expect(messageOf(flat({ owner: undefined }))).toBe(
        "orders.order_placed: owner is missing: add owner: { team: 'orders-team', contact: 'orders@example.com' }.",
      );
    });

    it('requires an owner team', () => {
      expect(messageOf(flat({ owner: { team: '', contact: 'orders@example.com' } }))).toBe(
        "orders.order_placed: owner.team is empty: name the owning team, e.g. owner: { team: 'orders-team', … }.",
      );
    });

    it('requires an owner contact that is an e-mail address', () => {
      expect(messageOf(flat({ owner: { team: 'orders-team', contact: '#orders' } }))).toBe(
        "orders.order_placed: owner.contact \"#orders\" is not an e-mail address: give the address that reaches the owning team (alarms go there), e.g. contact: 'orders@example.com'.",
      );
      expect(messageOf(flat({ owner: { team: 'orders-team' } }))).toBe(
        "orders.order_placed: owner.contact is empty: give the e-mail address that reaches the owning team, e.g. contact: 'orders@example.com'.",
      );
    });

    it('requires positive SLA numbers', () => {
      expect(messageOf(flat({ sla: { freshnessMinutes: 0 } }))).toBe(
        'orders.order_placed: sla.freshnessMinutes 0 is not valid: use a positive number of minutes, e.g. sla: { freshnessMinutes: 60 }.',
      );
      expect(messageOf(flat({ sla: { retentionDays: -7 } }))).toBe(
        'orders.order_placed: sla.retentionDays -7 is not valid: use a positive number of days, e.g. sla: { retentionDays: 365 }.',
      );
    });

    it('requires non-empty tags', () => {
      expect(messageOf(flat({ tags: ['sales', ''] }))).toBe(
        "orders.order_placed: tag \"\" is not valid: tags are non-empty strings, e.g. tags: ['sales'].",
      );
    });

    it('requires positive volume numbers', () => {
      expect(messageOf(flat({ volume: { eventsPerSecond: 10, meanEventBytes: 0 } }))).toBe(
        'orders.order_placed: volume.meanEventBytes 0 is not valid: use a positive number, e.g. volume: { eventsPerSecond: 10, meanEventBytes: 512 }.',
      );
    });

    it('requires an ISO sunset date', () => {
      expect(messageOf(flat({ deprecated: { sunset: '2027-02-30' } }))).toBe(
        "orders.order_placed: deprecated.sunset \"2027-02-30\" is not a date: use an ISO date (YYYY-MM-DD), e.g. deprecated: { sunset: '2027-03-01', successor: 'orders.order_placed.v2' }.",
      );
    });

    it('requires a successor that is another product id', () => {
      expect(messageOf(flat({ deprecated: { sunset: '2027-03-01', successor: 'order_placed_v2' } }))).toBe(
        "orders.order_placed: deprecated.successor \"order_placed_v2\" is not a product id: use <domain>.<product>.v<major>, e.g. 'orders.order_placed.v2'.",
      );
      expect(messageOf(flat({ deprecated: { sunset: '2027-03-01', successor: 'orders.order_placed.v1' } }))).toBe(
        "orders.order_placed: deprecated.successor \"orders.order_placed.v1\" is this very version: name the version that replaces it, e.g. 'orders.order_placed.v2'.",
      );
    });

    it('requires example queries with a name and SQL', () => {
      expect(messageOf(flat({ exampleQueries: [{ name: 'All', sql: '' }] }))).toBe(
        "orders.order_placed: example query 1 needs a non-empty name and sql: use e.g. { name: 'Orders per day', sql: 'SELECT …' }.",
      );
    });

    it('requires at least one column', () => {
      expect(messageOf(flat({ columns: {} }))).toBe(
        'orders.order_placed: the contract has no columns: declare at least one in columns: { … }.',
      );
    });
  });

  describe('errors', () => {
    it('lists every problem when several rules are broken', () => {
      let error: ContractError | undefined;
      try {
        Contract.of(withColumns({ note: col.string(), date: col.date({ description: 'Day.' }) }, { version: 0 }));
      } catch (e) {
        error = e as ContractError;
      }
      expect(error?.problems).toEqual([
        'orders.order_placed: version 0 is not valid: use a positive integer major version, e.g. version: 1.',
        "orders.order_placed: column \"note\" has no description: add description: '…' saying what it means.",
        'orders.order_placed: column "date" is an SQL reserved word in Athena ("date"): rename it, e.g. "event_date".',
      ]);
      expect(error?.message).toBe(`orders.order_placed breaks 3 contract rules:\n${error?.problems.map((p) => `- ${p}`).join('\n')}`);
    });

    it('throws a ContractError, not a TypeError, for missing or malformed props', () => {
      expect(() => Contract.of(undefined as unknown as ContractProps)).toThrow(
        new ContractError('Contract.of needs a props object, got undefined: pass { name, domain, owner, description, columns, partitionBy }.'),
      );
      expect(messageOf(flat({ columns: undefined }))).toBe(
        'orders.order_placed: the contract has no columns: declare at least one in columns: { … }.',
      );
      expect(messageOf(withColumns({ broken: null as unknown as ColumnSpec }))).toBe(
        "orders.order_placed: column \"broken\" is not a column: build it with a col.* builder, e.g. col.string({ description: '…' }).",
      );
      expect(messageOf({ columns: { x: { type: null } } } as unknown as ContractProps)).toContain('(unnamed).(unnamed) breaks');
    });

    it('validates specs read back from elsewhere (fromSpec)', () => {
      const spec = Contract.of(NESTED).spec;
      expect(Contract.fromSpec(spec).spec).toEqual(spec);
      expect(() => Contract.fromSpec({ ...spec, version: -1 })).toThrow(ContractError);
    });
  });

  it('suggests snake_case names', () => {
    expect(suggestSnakeCase('orderId')).toBe('order_id');
    expect(suggestSnakeCase('Order--ID ')).toBe('order_id');
    expect(suggestSnakeCase('1st_place')).toBe('c_1st_place');
  });
});
