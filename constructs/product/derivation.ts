import type { IDerivation } from './derivation-binding';
import { SqlDerivation, type SqlDerivationProps } from './sql-derivation';
import { StreamingDerivation, type StreamingDerivationProps } from './streaming-derivation';

export * from './derivation-binding';
export * from './sql-derivation';
export * from './streaming-derivation';

/**
 * How a derived product is built from other products: one prop, `derivation`, holding one of these
 * strategies (as Firehose's `destination` holds one destination). What a derivation needs is its props'
 * type: a streaming derivation has a handler, a SQL one a query and a schedule, and no product has both.
 *
 * @example
 * new DataProduct(this, 'ProductViews', {
 *   domain,
 *   contract: productViews,
 *   derivation: Derivation.streaming({ from: [pageViewedV1], handler: { entry: PRODUCT_VIEWS_HANDLER } }),
 * });
 */
export abstract class Derivation {
  /** Derived in real time: the team's transform runs on every record of the products in `from` (a `StreamingPipeline`). */
  public static streaming(props: StreamingDerivationProps): IDerivation {
    return new StreamingDerivation(props);
  }

  /** Built on a schedule: an Athena query over the tables of the products in `from` (a `SqlPipeline`). */
  public static sql(props: SqlDerivationProps): IDerivation {
    return new SqlDerivation(props);
  }
}
