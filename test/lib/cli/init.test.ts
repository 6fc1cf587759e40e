import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInitDomain, runInitPlatform } from '../../../lib/cli/init';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-init-'));

describe('mesh init domain', () => {
  it('writes the app, its workflows and the lock of its contract', async () => {
    const dir = path.join(tmp(), 'orders');
    const { files } = await runInitDomain('orders', { mesh: 'shop', dir, library: '^9.9.9' });
    expect(files).toEqual([
      '.github/workflows/ci.yml',
      '.github/workflows/deploy.yml',
      '.gitignore',
      'README.md',
      'bin/app.ts',
      'cdk.json',
      'contracts/orders.example_event.v1.odcs.yaml',
      'lib/contracts.ts',
      'lib/orders-stack.ts',
      'package.json',
      'test/app.test.ts',
      'tsconfig.json',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies['cdk-data-mesh']).toBe('^9.9.9');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8')).context['cdk-data-mesh:meshName']).toBe('shop');
    expect(fs.readFileSync(path.join(dir, 'contracts/orders.example_event.v1.odcs.yaml'), 'utf8')).toContain('id: orders.example_event.v1');
  });

  it('refuses a directory that is not empty, and names that are not snake_case', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    await expect(runInitDomain('orders', { dir })).rejects.toThrow(`${dir} is not empty: mesh init writes a new app; pass an empty or new directory with --dir.`);
    await expect(runInitDomain('Orders', { dir: path.join(dir, 'x') })).rejects.toThrow(
      'The domain name "Orders" must be lower-case letters, digits and _, starting with a letter (e.g. "orders").',
    );
  });
});

describe('mesh init platform', () => {
  it('writes governance and consumers for the listed domains', () => {
    const dir = path.join(tmp(), 'platform');
    runInitPlatform({ domains: 'orders, accounts', mesh: 'shop', dir });
    expect(fs.readFileSync(path.join(dir, 'lib/governance-stack.ts'), 'utf8')).toContain("export const DOMAINS = ['orders', 'accounts'];");
    expect(fs.readFileSync(path.join(dir, 'lib/consumers-stack.ts'), 'utf8')).toContain("roleName: 'shop-analytics'");
  });

  it('names an empty domain list', () => {
    expect(() => runInitPlatform({ domains: ' , ', dir: path.join(tmp(), 'p') })).toThrow(
      "--domains lists no domain: name the mesh's domains, e.g. --domains orders,accounts.",
    );
  });
});
