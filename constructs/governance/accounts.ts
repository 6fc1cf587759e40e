import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Accounts in the mesh model: each domain, consumer and the governance live in the account (and region) of
 * their stack's `env`. Everything that crosses accounts is derived by comparing those accounts.
 *
 * Token-safe: a stack without an explicit account (`env` left out, the default) has an unresolved
 * `AWS::AccountId`, and unresolved accounts count as the same account. So an environment-agnostic app
 * stays a single-account mesh, with the templates it always had.
 */

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** The resolved account of `scope`'s stack, or `undefined` when the stack is environment-agnostic. */
export function accountOf(scope: IConstruct): string | undefined {
  const account = Stack.of(scope).account;
  return Token.isUnresolved(account) ? undefined : account;
}

/** The resolved region of `scope`'s stack, or `undefined` when the stack is environment-agnostic. */
export function regionOf(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : region;
}

/**
 * Whether two accounts differ: both must be known (resolved) and different. An unknown account is taken to
 * be the same account as any other (the single-account default).
 */
export function differentAccounts(a: string | undefined, b: string | undefined): boolean {
  const known = (x: string | undefined): x is string => x !== undefined && !Token.isUnresolved(x);
  return known(a) && known(b) && a !== b;
}

/** Whether `a` and `b` are in different accounts (see {@link differentAccounts}). */
export function crossesAccounts(a: IConstruct, b: IConstruct): boolean {
  return differentAccounts(accountOf(a), accountOf(b));
}
