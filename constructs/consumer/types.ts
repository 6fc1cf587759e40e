import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * Who reads mesh data: a `DataConsumer` (a team querying through Athena) or any service role wrapped
 * with `MeshConsumer.fromRole` (e.g. a derived product's pipeline). Grants to it are created inside it
 * (in its stack), so a consumer stack depends on the products it reads, never the other way round.
 */
export interface IMeshConsumer extends IConstruct {
  /** The consumer's name in the mesh, e.g. `marketing` (used in grant records and the catalog). */
  readonly consumerName: string;
  /** The mesh it belongs to: it may only be granted products of that mesh. */
  readonly meshName: string;
  /** The IAM role Lake Formation grants to (the `DataLakePrincipalIdentifier`). */
  readonly role: iam.IRole;
  /** The id of the derived product this reader builds, when it is that product's pipeline. */
  readonly derives?: string;
}
