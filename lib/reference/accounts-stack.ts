import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataDomain } from '../../constructs/domain/data-domain';
import { DataProduct } from '../../constructs/product/data-product';
import { customerRegistered } from './contracts';

/** The `accounts` domain of the reference mesh: customer sign-ups (with PII). */
export class AccountsStack extends Stack {
  public readonly domain: DataDomain;
  /** `accounts.customer_registered.v1` (its `email` column is PII) */
  public readonly customerRegistered: DataProduct;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { description: 'cdk-data-mesh reference mesh: the accounts domain', ...props });
    this.domain = new DataDomain(this, 'Domain', { domainName: 'accounts' });
    this.customerRegistered = new DataProduct(this, 'CustomerRegistered', { domain: this.domain, contract: customerRegistered });
  }
}
