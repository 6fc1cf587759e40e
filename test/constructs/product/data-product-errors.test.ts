import { Duration, Lazy, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { describe, expect, it } from 'vitest';
import { Contract, col } from '../../../constructs/contract';
import { DataDomain } from '../../../constructs/domain/data-domain';
import { DataProduct, type DataProductProps } from '../../../constructs/product/data-product';
import { testApp } from '../domain/test-app';
import { customerRegistered, orderShipped } from './fixtures/contracts';

/** A domain in a fresh app; the product is built by the test (bundling off, no Lake Formation). */
function setup(meshName = 'shop', domainName = 'orders') {
  const stack = new Stack(testApp(), 'orders');
  const domain = new DataDomain(stack, 'Domain', { meshName, domainName });
  const product = (props: Partial<DataProductProps> = {}, id = 'OrderShipped') =>
    new DataProduct(stack, id, { domain, contract: orderShipped, lakeFormation: false, ...props });
  return { stack, domain, product };
}

describe('DataProduct configuration errors', () => {
  it('rejects a contract of another domain', () => {
    const { product } = setup();
    expect(() => product({ contract: customerRegistered }, 'CustomerRegistered')).toThrow(
      '[orders/CustomerRegistered] Contract "accounts.customer_registered.v1" belongs to domain "accounts", but this DataProduct is in domain "orders" (orders/Domain): ' +
        'add it to the "accounts" DataDomain, or set the contract\'s domain to "orders".',
    );
  });

  it('rejects the same product version defined twice in an app, even in another stack', () => {
    const { stack, product } = setup();
    // One DataDomain per domain in an app (issue 18): the second definition is in another stack of the same domain.
    const { domain } = product();
    const other = new Stack(stack.node.root, 'other');
    expect(() => new DataProduct(other, 'Again', { domain, contract: orderShipped, lakeFormation: false })).toThrow(
      '[other/Again] Data product orders.order_shipped.v1 (mesh "shop") is already defined at "orders/OrderShipped": define each product version once per app, ' +
        "and reference it elsewhere with DataProduct.fromName(this, id, { domain: 'orders', name: 'order_shipped', version: 1 }).",
    );
  });

  it('rejects a delivery stream name over 64 characters, naming the value, the limit and the fix', () => {
    const contract = Contract.fromSpec({ ...orderShipped.spec, name: 'parcel_handed_over_to_the_carrier_at_the_regional_depot' });
    expect(() => setup().product({ contract })).toThrow(
      '[orders/OrderShipped] The Firehose delivery stream name "shop-orders-parcel_handed_over_to_the_carrier_at_the_regional_depot-v1" is 70 characters; AWS allows at most 64. ' +
        'Shorten the mesh name ("shop"), the domain name ("orders") or the product name ("parcel_handed_over_to_the_carrier_at_the_regional_depot").',
    );
  });

  it('rejects a Kinesis stream name over 128 characters', () => {
    const name = `parcel${'_handed_over'.repeat(11)}`;
    const contract = Contract.fromSpec({ ...orderShipped.spec, name });
    expect(() => setup().product({ contract })).toThrow(
      `[orders/OrderShipped] The Kinesis stream name "shop-orders-${name}-v1" is 153 characters; AWS allows at most 128. ` +
        `Shorten the mesh name ("shop"), the domain name ("orders") or the product name ("${name}").`,
    );
  });

  it('rejects buffering below the Firehose minimums for Parquet with dynamic partitioning', () => {
    const { product } = setup();
    expect(() => product({ buffering: { interval: Duration.seconds(30) } })).toThrow(
      '[orders/OrderShipped] buffering.interval (seconds) is 30; it must be between 60 and 900 (Firehose needs at least 60 s with Parquet conversion and dynamic partitioning, e.g. Duration.seconds(60)).',
    );
    expect(() => setup().product({ buffering: { size: Size.mebibytes(32) } })).toThrow(
      '[orders/OrderShipped] buffering.size (MiB) is 32; it must be between 64 and 128 (Firehose needs at least 64 MiB with Parquet conversion and dynamic partitioning, e.g. Size.mebibytes(64)).',
    );
  });

  it('rejects a processor buffer outside 0.2-3 MB and a timeout over 5 minutes', () => {
    expect(() => setup().product({ processor: { bufferSize: Size.mebibytes(4) } })).toThrow(
      '[orders/OrderShipped] processor.bufferSize (MB) is 4; it must be between 0.2 and 3 (Firehose accepts 0.2-3 MB for a Lambda processor, e.g. Size.mebibytes(1)).',
    );
    expect(() => setup().product({ processor: { bufferSize: Size.kibibytes(100) } })).toThrow(/processor.bufferSize \(MB\) is 0.09765625; it must be between 0.2 and 3/);
    expect(() => setup().product({ processor: { timeout: Duration.minutes(10) } })).toThrow(
      '[orders/OrderShipped] processor.timeout (seconds) is 600; it must be between 1 and 300 (Firehose waits at most 5 minutes for a processor, e.g. Duration.minutes(1)).',
    );
    expect(() => setup().product({ processor: { memorySize: 64 } })).toThrow(
      '[orders/OrderShipped] processor.memorySize (MB) is 64; it must be an integer between 128 and 10240 (e.g. 512).',
    );
  });

  it('rejects a processor buffer whose worst-case response would exceed Lambda\'s 6 MB, and defaults below it', () => {
    const contract = Contract.fromSpec({
      ...orderShipped.spec,
      columns: { ...orderShipped.spec.columns, amounts: col.array(col.decimal(18, 6), { description: 'Amounts.' }) },
    });
    expect(() => setup().product({ contract, processor: { bufferSize: Size.mebibytes(1) } })).toThrow(
      '[orders/OrderShipped] processor.bufferSize is 1 MB, but records of orders.order_shipped.v1 can grow up to 5.50x through the processor ' +
        '(decimals sent as JSON numbers come back as padded strings), so a full buffer could exceed Lambda\'s 6000000 byte response limit: ' +
        'set processor.bufferSize to at most Size.kibibytes(759), or leave it unset (the default is chosen from the contract).',
    );
    const { stack, product } = setup();
    product({ contract });
    const parameters = Template.fromStack(stack).findResources('AWS::KinesisFirehose::DeliveryStream');
    const processor = JSON.stringify(Object.values(parameters)[0]);
    expect(processor).toContain('{"ParameterName":"BufferSizeInMBs","ParameterValue":"0.741"}');
  });

  it('rejects shards on an on-demand stream and a retention outside 24 hours to 365 days', () => {
    expect(() => setup().product({ shardCount: 2 })).toThrow(
      '[orders/OrderShipped] shardCount 2 is set but streamMode is ON_DEMAND: set streamMode: StreamMode.PROVISIONED to size the stream in shards, or drop shardCount.',
    );
    expect(() => setup().product({ streamMode: kinesis.StreamMode.PROVISIONED, shardCount: 0 })).toThrow(
      '[orders/OrderShipped] shardCount is 0; it must be an integer between 1 and 10000 (e.g. 2).',
    );
    expect(() => setup().product({ retention: Duration.hours(12) })).toThrow(
      '[orders/OrderShipped] retention (hours) is 12; it must be between 24 and 8760 (e.g. Duration.days(7)).',
    );
  });

  it('rejects a transform entry that does not exist', () => {
    expect(() => setup().product({ transform: { entry: 'no/such/transform.ts' } })).toThrow(
      new RegExp(
        `^\\[orders/OrderShipped\\] transform.entry "no/such/transform.ts" does not exist \\(resolved to .*no/such/transform.ts\\): pass the path, absolute or relative to .*, of a module exporting transform\\(record\\)\\.$`,
      ),
    );
  });

  it('skips checks of values that are tokens', () => {
    // Each of these would be rejected if it were known at synth. (A Size cannot hold a token.)
    const token = (value: number) => Lazy.number({ produce: () => value });
    expect(() =>
      setup().product({
        retention: Duration.hours(token(12)),
        buffering: { interval: Duration.seconds(token(30)) },
        processor: { timeout: Duration.seconds(token(600)), bufferInterval: Duration.seconds(token(1000)), memorySize: token(64) },
      }),
    ).not.toThrow();
  });

  it('rejects a contract whose registry schema would exceed 170,000 characters', () => {
    const columns: Record<string, ReturnType<typeof col.string>> = {
      shipped_at: col.timestamp({ required: true, description: 'When.' }),
    };
    for (let i = 0; i < 200; i++) columns[`c${i}`] = col.string({ description: 'x'.repeat(900) });
    const contract = Contract.of({ ...orderShipped.spec, columns, partitionBy: { column: 'shipped_at' } });
    expect(() => setup().product({ contract })).toThrow(
      /^\[orders\/OrderShipped\] The JSON Schema of orders.order_shipped.v1 is \d+ characters; the Glue Schema Registry allows at most 170000\. Shorten the column descriptions or split the product\.$/,
    );
  });
});
