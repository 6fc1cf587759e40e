/**
 * The AWS side of `mesh replay --aws`: the SDK v3 S3 and Kinesis clients adapted to what aws-replay.ts needs,
 * and the product's domain bucket found from its stream. Unverified against a real account (no AWS in CI): the
 * tests run aws-replay.ts against in-memory clients of the same interfaces.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { ProductEntry } from '../../constructs/manifest/manifest';
import { dataBucketName } from '../../constructs/naming/naming';
import type { ErrorBucketClient } from './aws-replay';

/** The SDK's S3 client as an {@link ErrorBucketClient}. */
export function s3ErrorBucket(client: S3Client): ErrorBucketClient {
  return {
    listObjectsV2: (input) => client.send(new ListObjectsV2Command(input)),
    getObjectText: async (input) => {
      const output = await client.send(new GetObjectCommand(input));
      if (output.Body === undefined) throw new Error(`s3://${input.Bucket}/${input.Key} has no body.`);
      return output.Body.transformToString('utf-8');
    },
    putObject: async (input) => {
      await client.send(new PutObjectCommand(input));
    },
  };
}

export interface AwsReplayTarget {
  readonly s3: S3Client;
  readonly kinesis: KinesisClient;
  readonly bucketName: string;
  readonly region: string;
}

/**
 * Clients for the product's account and region, and its domain bucket: named by the convention
 * (`<mesh>-<domain>-data-<account>-<region>`) with the account and region of the product's stream, read with
 * DescribeStreamSummary (which also checks the stream exists and the credentials reach it).
 */
export async function awsReplayTarget(product: ProductEntry, options: { region?: string; bucket?: string } = {}): Promise<AwsReplayTarget> {
  const config = options.region !== undefined ? { region: options.region } : {};
  const kinesis = new KinesisClient(config);
  let streamArn: string | undefined;
  try {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: product.physical.streamName }));
    streamArn = summary.StreamDescriptionSummary?.StreamARN;
  } catch (error) {
    kinesis.destroy();
    throw new Error(
      `Cannot replay ${product.id} in AWS: describing its stream ${product.physical.streamName} failed (${error instanceof Error ? error.message : String(error)}). ` +
        'Configure credentials and the region it is deployed to (AWS_PROFILE / `aws sso login`, AWS_REGION or --region), or drop --aws to replay the local lake.',
    );
  }
  const [, , , region, account] = (streamArn ?? '').split(':');
  if (region === undefined || account === undefined) {
    kinesis.destroy();
    throw new Error(`Kinesis returned no usable ARN for ${product.physical.streamName} (got ${JSON.stringify(streamArn)}); pass --bucket <domain bucket>.`);
  }
  const bucketName = options.bucket ?? dataBucketName(product.mesh, product.contract.domain, account, region);
  return { s3: new S3Client({ region }), kinesis, bucketName, region };
}
