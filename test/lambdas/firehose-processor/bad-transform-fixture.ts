/** A transform module that forgot to export `transform`: the processor must refuse to start. */
export const transfrom = (record: Record<string, unknown>): Record<string, unknown> => record;
