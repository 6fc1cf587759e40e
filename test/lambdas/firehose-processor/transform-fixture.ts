/** A product transform used by the tests: drops test orders, masks e-mails, fails loudly on demand. */
export function transform(record: Record<string, unknown>): Record<string, unknown> | null {
  if (record.currency === 'XTS') return null; // ISO 4217 code for testing
  if (record.order_id === 'boom') throw new Error('order "boom" cannot be enriched');
  if (record.order_id === 'break-contract') return { ...record, total: 'lots' };
  if (record.order_id === 'shift') return { ...record, placed_at: '2026-11-21T23:30:00-02:00' };
  return { ...record, customer_email: typeof record.customer_email === 'string' ? '***' : undefined };
}
