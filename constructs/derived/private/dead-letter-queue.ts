import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../../compliance/acknowledge';
import { FINDINGS } from '../../private/findings';

export interface DeadLetterQueueProps {
  /** Encrypts the messages (SSE-KMS). */
  readonly encryptionKey: kms.IKey;
  readonly retentionPeriod: Duration;
  /** What lands in the queue and what to do about it (the alarm description). */
  readonly description: string;
  /** Actions of the alarm (e.g. an SNS topic). @default - none */
  readonly alarmActions?: readonly cloudwatch.IAlarmAction[];
}

/**
 * A dead-letter queue that cannot go unnoticed: SSE-KMS, TLS-only, and an alarm as soon as one
 * message is visible.
 */
export class DeadLetterQueue extends Construct {
  public readonly queue: sqs.Queue;
  /** ApproximateNumberOfMessagesVisible > 0 (maximum over one minute). */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: props.retentionPeriod,
    });
    this.alarm = new cloudwatch.Alarm(this, 'MessagesVisible', {
      alarmDescription: props.description,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(...(props.alarmActions ?? []));
    const itIsTheDlq = 'This queue is itself a dead-letter queue (an on-failure destination); a dead-letter queue of a dead-letter queue would only move the same messages once more.';
    acknowledge(this.queue, { [FINDINGS.sqsWithoutDlq]: itIsTheDlq, [FINDINGS.guardSqsDlq]: itIsTheDlq });
  }
}
