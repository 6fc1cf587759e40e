/**
 * What a team would otherwise write: the same contract as a zod schema, in a straightforward handler
 * (parse, validate, re-serialise what the schema keeps, derive dt from the event time).
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import { z } from 'zod';

const decimal = (precision: number, scale: number) =>
  z.union([
    z.string().regex(new RegExp(`^-?\\d{1,${precision - scale}}(\\.\\d{1,${scale}})?$`)),
    z.number().min(-(10 ** (precision - scale))).max(10 ** (precision - scale)),
  ]);

const OrderPlaced = z.object({
  order_id: z.string(),
  customer_id: z.string(),
  line_items: z.array(
    z.object({
      sku: z.string(),
      quantity: z.int32(),
      unit_price: decimal(10, 2),
    }),
  ),
  total: decimal(12, 2),
  currency: z.string(),
  placed_at: z.iso.datetime({ offset: true }),
});

export async function zodHandler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const records: FirehoseTransformationResultRecord[] = event.records.map(({ recordId, data }) => {
    try {
      const parsed = OrderPlaced.safeParse(JSON.parse(Buffer.from(data, 'base64').toString('utf8')));
      if (!parsed.success) {
        return { recordId, result: 'ProcessingFailed', data };
      }
      const dt = new Date(parsed.data.placed_at).toISOString().slice(0, 10);
      return {
        recordId,
        result: 'Ok',
        data: Buffer.from(`${JSON.stringify(parsed.data)}\n`).toString('base64'),
        metadata: { partitionKeys: { dt } },
      };
    } catch {
      return { recordId, result: 'ProcessingFailed', data };
    }
  });
  return { records };
}
