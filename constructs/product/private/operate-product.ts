import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { Contract } from '../../contract/contract';
import { ProductOperations } from '../../operations/product-operations';
import type { ProductOperationsOptions } from '../data-product-props';
import type { DerivationConfig } from '../derivation-binding';

/** Acknowledgement id of `ProductOperations`' warning that a contract declares no freshness SLA. */
const OPERATIONS_NO_FRESHNESS_WARNING = 'Annotation::cdk-data-mesh:operations-no-freshness';

/** What the operations of a product watch. */
export interface OperatedParts {
  readonly productId: string;
  readonly contract: Contract;
  readonly stream: kinesis.IStream;
  readonly deliveryStreamName: string;
  readonly processor: lambda.IFunction;
  readonly bufferingInterval: Duration;
  /** Encrypts the alarm topic unless the options say otherwise. */
  readonly encryptionKey: kms.IKey;
  /** What the product's derivation created, for a derived product. */
  readonly derived?: DerivationConfig;
}

/**
 * The product's dashboard, alarms and alarm topic (`Operations` in the product's scope), encrypted with the
 * domain key. A derived product's pipeline alarms notify the same topic (on alarm and on recovery) and join
 * the dashboard with the pipeline's health. Each dead-letter queue keeps exactly the one alarm its pipeline
 * gives it (with the runbook of what its messages mean): the operations construct is not handed the queues.
 */
export function operateProduct(scope: Construct, parts: OperatedParts, options: ProductOperationsOptions = {}): ProductOperations {
  const { derived } = parts;
  const streamingConsumers = derived?.streamingConsumers ?? [];
  const operations = new ProductOperations(scope, 'Operations', {
    ...options,
    topicEncryptionKey: options.topicEncryptionKey ?? parts.encryptionKey,
    product: {
      productId: parts.productId,
      contract: parts.contract,
      stream: parts.stream,
      deliveryStreamName: parts.deliveryStreamName,
      processor: parts.processor,
      bufferingInterval: parts.bufferingInterval,
      ...(streamingConsumers.length > 0 && { streamingConsumers }),
    },
  });
  if (parts.contract.spec.sla.freshnessMinutes === undefined) {
    // Declaring a freshness SLA is the contract's choice (the mesh policies say what contracts must declare):
    // without one there is nothing to alarm on, which should not fail a strict synth of every such product.
    Validations.of(operations).acknowledge({
      id: OPERATIONS_NO_FRESHNESS_WARNING,
      reason: `The contract of ${parts.productId} declares no sla.freshnessMinutes, so there is no freshness to alarm on; the product's other alarms stand. Declare it in the contract to get a freshness alarm.`,
    });
  }
  if (derived !== undefined) {
    const period = options.period ?? Duration.minutes(5);
    const notify = new cloudwatchActions.SnsAction(operations.topic);
    for (const alarm of derived.alarms) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
    operations.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Pipeline alarms', alarms: [...derived.alarms], width: 12, height: 6 }),
      derived.healthWidget(period),
    );
  }
  return operations;
}
