import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCloudAssemblies, diffMeshMetadata, formatDifferences, normaliseTemplate } from '../../../lib/reference/template-diff';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function lambdaTemplate(hash: string, memorySize: number) {
  return {
    Resources: {
      Processor: {
        Type: 'AWS::Lambda::Function',
        Properties: { Code: { S3Bucket: 'assets', S3Key: `${hash}.zip` }, MemorySize: memorySize },
        Metadata: { 'aws:asset:path': `asset.${hash}`, 'aws:asset:property': 'Code', 'cdk_nag': { rules_to_suppress: [] } },
      },
    },
  };
}

function assembly(templates: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-diff-'));
  for (const [name, template] of Object.entries(templates)) fs.writeFileSync(path.join(dir, name), JSON.stringify(template));
  return dir;
}

describe('template diff', () => {
  it('ignores asset hashes and the aws:asset metadata, and keeps other metadata', () => {
    expect(normaliseTemplate(lambdaTemplate(HASH_A, 512))).toEqual(normaliseTemplate(lambdaTemplate(HASH_B, 512)));
    expect(normaliseTemplate(lambdaTemplate(HASH_A, 512))).toMatchObject({
      Resources: { Processor: { Properties: { Code: { S3Key: '<asset>' } }, Metadata: { cdk_nag: { rules_to_suppress: [] } } } },
    });
  });

  it('finds a changed property, ignoring key order', () => {
    const before = assembly({ 'orders.template.json': lambdaTemplate(HASH_A, 512) });
    const after = assembly({ 'orders.template.json': lambdaTemplate(HASH_B, 1024) });
    const differences = diffCloudAssemblies(before, after);
    expect(formatDifferences(differences)).toBe('orders.template.json Resources.Processor.Properties.MemorySize: 512 -> 1024');
    const reordered = assembly({ 'orders.template.json': { Resources: { Processor: { Metadata: {}, Type: 'AWS::Lambda::Function', Properties: { MemorySize: 512, Code: { S3Key: `${HASH_B}.zip`, S3Bucket: 'assets' } } } } } });
    const withoutMetadata = assembly({ 'orders.template.json': { Resources: { Processor: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: 'assets', S3Key: `${HASH_A}.zip` }, MemorySize: 512 }, Metadata: {} } } } });
    expect(diffCloudAssemblies(withoutMetadata, reordered)).toEqual([]);
  });

  it('reports a template present on one side only, and a resource added', () => {
    const before = assembly({ 'orders.template.json': lambdaTemplate(HASH_A, 512) });
    const after = assembly({ 'orders.template.json': { Resources: { ...lambdaTemplate(HASH_A, 512).Resources, Extra: { Type: 'AWS::SQS::Queue' } } }, 'new.template.json': {} });
    expect(formatDifferences(diffCloudAssemblies(before, after))).toBe(
      'new.template.json (template): false -> true\norders.template.json Resources.Extra: (absent) -> {"Type":"AWS::SQS::Queue"}',
    );
  });

  it("compares the mesh's manifest metadata and ignores CDK's own", () => {
    const entry = (streamName: string) => ({
      '/orders/OrderPlaced': [
        { type: 'cdk-data-mesh:manifest', data: { kind: 'product', physical: { streamName } } },
        { type: 'aws:cdk:logicalId', data: 'OrderPlacedStream', trace: ['at x'] },
      ],
    });
    const before = assembly({ 'orders.metadata.json': entry('shop-orders-order_placed-v1') });
    const same = assembly({ 'orders.metadata.json': { '/orders/OrderPlaced': [entry('shop-orders-order_placed-v1')['/orders/OrderPlaced'][0]] } });
    const renamed = assembly({ 'orders.metadata.json': entry('shop-orders-order_placed-v2') });
    expect(diffMeshMetadata(before, same)).toEqual([]);
    expect(formatDifferences(diffMeshMetadata(before, renamed))).toBe(
      'orders.metadata.json /orders/OrderPlaced[0].data.physical.streamName: "shop-orders-order_placed-v1" -> "shop-orders-order_placed-v2"',
    );
  });
});
