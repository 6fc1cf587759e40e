import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Contract } from '../../../constructs/contract';
import { manifestOf } from '../../../lib/manifest/read-manifest';
import { runPublish } from '../../../lib/cli/publish';
import { customerRegistered, orderPlaced, productEntry } from './fake-assembly';

const manifest = manifestOf([productEntry(orderPlaced), productEntry(customerRegistered)]);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-publish-'));
const file = path.join(dir, 'events.jsonl');
fs.writeFileSync(file, '{"order_id":"o-1"}\n');

/** The AWS environment of the test process, cleared so that no real credentials or region can be found. */
const AWS_VARIABLES = [
  'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE',
];
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of AWS_VARIABLES) delete process.env[name];
  process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const options = { file, aws: true, lake: path.join(dir, 'lake'), buildDir: path.join(dir, 'build') };

describe('mesh publish --aws', () => {
  it('stops with a clear message when there are no credentials', async () => {
    await expect(runPublish(manifest, 'orders.order_placed', { ...options, region: 'eu-west-1' })).rejects.toThrow(
      /^Cannot publish to AWS: .*\. Configure credentials and a region \(AWS_PROFILE \/ `aws sso login` \/ AWS_ACCESS_KEY_ID…, AWS_REGION or --region\), or drop --aws to publish to the local lake\.$/,
    );
  });

  it('stops with a clear message when there is no region', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example';
    await expect(runPublish(manifest, 'orders.order_placed', options)).rejects.toThrow(/^Cannot publish to AWS: Region is missing\./);
  });
});

describe('mesh publish product names', () => {
  it('asks for the version when the mesh has several', async () => {
    const v2 = productEntry(Contract.of({ ...orderPlaced.spec, version: 2 }));
    const versions = manifestOf([productEntry(orderPlaced), v2]);
    await expect(runPublish(versions, 'orders.order_placed', options)).rejects.toThrow(
      '"orders.order_placed" has 2 versions in the mesh; name one: orders.order_placed.v1, orders.order_placed.v2.',
    );
  });

  it('names the known products when the product is unknown', async () => {
    await expect(runPublish(manifest, 'orders.nope', options)).rejects.toThrow(
      'No product "orders.nope" in the mesh. Known products: accounts.customer_registered.v1, orders.order_placed.v1.',
    );
  });
});
