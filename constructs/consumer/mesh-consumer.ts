import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MeshGovernanceError } from '../governance/errors';
import { resolveMeshName } from '../naming/mesh-name';
import { CONSUMER_NAME } from './data-consumer';
import type { IMeshConsumer } from './types';

export interface MeshConsumerFromRoleProps {
  /** The reader's name in the mesh, e.g. `product_views-pipeline`. */
  readonly consumerName: string;
  /** The service role to grant to (it gets the Glue reads and `lakeformation:GetDataAccess` with each grant). */
  readonly role: iam.IRole;
  /** @default - the `cdk-data-mesh:meshName` context value, else `mesh` */
  readonly meshName?: string;
  /**
   * The id of the derived product this role builds (e.g. `marketing.customer_orders.v1`): its reads are then
   * recorded as that product's lineage rather than as a separate consumer.
   * @default - a reader of its own
   */
  readonly derives?: string;
}

/**
 * A reader that is not a team: a service role (a derived product's pipeline, a job) that products
 * are granted to with `grantProductRead`. Creates no resources; grants to it live under it.
 */
export class MeshConsumer extends Construct implements IMeshConsumer {
  public static fromRole(scope: Construct, id: string, props: MeshConsumerFromRoleProps): IMeshConsumer {
    return new MeshConsumer(scope, id, props);
  }

  public readonly consumerName: string;
  public readonly meshName: string;
  public readonly role: iam.IRole;
  public readonly derives?: string;

  private constructor(scope: Construct, id: string, props: MeshConsumerFromRoleProps) {
    super(scope, id);
    if (!CONSUMER_NAME.test(props.consumerName)) {
      throw new MeshGovernanceError(
        this,
        `Consumer name "${props.consumerName}" must be 1-64 lower-case letters, digits, "_" or "-", starting with a letter (e.g. "product_views-pipeline").`,
      );
    }
    this.consumerName = props.consumerName;
    this.meshName = resolveMeshName(this, props.meshName);
    this.role = props.role;
    this.derives = props.derives;
  }
}
