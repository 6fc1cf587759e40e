import { createHash } from 'node:crypto';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type { Construct } from 'constructs';
import type { Contract } from '../contract/contract';
import { DataMeshError } from '../domain/errors';
import { registrySchemaDefinition } from './schema-registry';

/** A registry schema definition holds at most this many characters. */
const SCHEMA_DEFINITION_LIMIT = 170_000;

export interface ProductSchemaProps {
  readonly productId: string;
  readonly contract: Contract;
  /** The domain's registry. */
  readonly registry: glue.CfnRegistry;
  /** The schema's name in the registry, e.g. `order_placed_v1`. */
  readonly schemaName: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The product version's schema in the domain's Glue Schema Registry (`Schema` in the product's scope): JSON,
 * BACKWARD compatibility, and one schema version per contract revision (`SchemaVersion-<hash>`), which
 * producers validate records against before publishing.
 */
export class ProductSchema {
  /** The registry schema of this version (JSON, BACKWARD compatibility). */
  public readonly schema: glue.CfnSchema;
  /** The registry schema version holding the contract's current JSON Schema. */
  public readonly schemaVersion: glue.CfnSchemaVersion;

  constructor(scope: Construct, props: ProductSchemaProps) {
    const schemaDefinition = registrySchemaDefinition(props.contract);
    if (schemaDefinition.length > SCHEMA_DEFINITION_LIMIT) {
      throw new DataMeshError(
        scope,
        `The JSON Schema of ${props.productId} is ${schemaDefinition.length} characters; the Glue Schema Registry allows at most ${SCHEMA_DEFINITION_LIMIT}. Shorten the column descriptions or split the product.`,
      );
    }
    this.schema = new glue.CfnSchema(scope, 'Schema', {
      name: props.schemaName,
      registry: { arn: props.registry.attrArn },
      dataFormat: 'JSON',
      compatibility: 'BACKWARD',
      description: `JSON Schema of data product ${props.productId}: producers validate records against it before publishing.`.slice(0, 1000),
    });
    this.schema.applyRemovalPolicy(props.removalPolicy);
    // A schema's definition cannot be updated in place: each contract revision registers a new version
    // (Glue checks BACKWARD compatibility), and earlier versions stay registered as history.
    const definitionHash = createHash('sha256').update(schemaDefinition).digest('hex').slice(0, 12);
    this.schemaVersion = new glue.CfnSchemaVersion(scope, `SchemaVersion-${definitionHash}`, {
      schema: { schemaArn: this.schema.attrArn },
      schemaDefinition,
    });
    this.schemaVersion.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
