/**
 * The floor: what any Firehose processor must do for each record and nothing else — base64 decode,
 * JSON.parse, JSON.stringify, base64 encode — plus building the response record.
 */
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';

export async function floorHandler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const records: FirehoseTransformationResultRecord[] = new Array(event.records.length);
  for (let i = 0; i < event.records.length; i++) {
    const { recordId, data } = event.records[i];
    const value: unknown = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    records[i] = { recordId, result: 'Ok', data: Buffer.from(JSON.stringify(value), 'utf8').toString('base64') };
  }
  return { records };
}
