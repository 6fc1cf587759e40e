/** The cold-start baseline: a handler that loads nothing. */
export const handler = async (): Promise<{ records: never[] }> => ({ records: [] });
