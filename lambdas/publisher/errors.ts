/**
 * Which Kinesis errors are worth another attempt.
 *
 * A per-entry `ErrorCode` in a PutRecords response is, per the API reference, either
 * `ProvisionedThroughputExceededException` or `InternalFailure`: both transient. Whole-request
 * errors are transient when they are throttling, a server fault or a network failure; they are
 * permanent when the request itself cannot succeed (missing stream, no permission, disabled key),
 * where another attempt only delays the report.
 */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);

/** True when sending the same entry again may succeed. Unknown codes count as transient: retrying an
 * unknown failure costs a little time, giving up on a transient one loses a record to the dead-letter path. */
export function isRetryable(errorCode: string): boolean {
  return !PERMANENT_ERRORS.has(errorCode);
}

/** The error code and message of whatever a failed `send` threw (SDK service exception or network error). */
export function describeError(error: unknown): { errorCode: string; errorMessage: string } {
  if (error instanceof Error) {
    const named = error as Error & { code?: string; Code?: string };
    const errorCode = named.name && named.name !== 'Error' ? named.name : (named.code ?? named.Code ?? 'Error');
    return { errorCode, errorMessage: error.message || errorCode };
  }
  return { errorCode: 'Error', errorMessage: String(error) };
}
