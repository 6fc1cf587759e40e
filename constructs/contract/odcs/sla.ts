import type { ContractSpec, SlaSpec } from '../types';
import { SLA_LATENCY, SLA_RETENTION } from './names';
import { isObject, show, type OdcsNode } from './private/nodes';

const MINUTES_PER_UNIT: Readonly<Record<string, number>> = {
  min: 1, m: 1, minute: 1, minutes: 1, h: 60, hr: 60, hour: 60, hours: 60, d: 1440, day: 1440, days: 1440,
};
const DAYS_PER_UNIT: Readonly<Record<string, number>> = {
  d: 1, day: 1, days: 1, w: 7, week: 7, weeks: 7, y: 365, yr: 365, year: 365, years: 365,
};

function isLatency(item: OdcsNode): boolean {
  return ['latency', 'ly', 'freshness'].includes(String(item.property).toLowerCase()) && typeof item.value === 'number';
}

function isRetention(item: OdcsNode): boolean {
  return ['retention', 're'].includes(String(item.property).toLowerCase()) && typeof item.value === 'number';
}

/** The freshness and retention the mesh models, from ODCS `slaProperties` (the first latency / retention item). */
export function slaOf(value: unknown, problems: string[]): SlaSpec {
  const items = Array.isArray(value) ? value.filter(isObject) : [];
  const latency = items.find(isLatency);
  const retention = items.find(isRetention);
  const sla: { freshnessMinutes?: number; retentionDays?: number } = {};
  if (latency !== undefined) {
    const factor = MINUTES_PER_UNIT[String(latency.unit ?? 'min').toLowerCase()];
    if (factor === undefined) problems.push(`slaProperties latency has unit ${show(latency.unit)}: use min, h or d.`);
    else sla.freshnessMinutes = latency.value * factor;
  }
  if (retention !== undefined) {
    const factor = DAYS_PER_UNIT[String(retention.unit ?? 'd').toLowerCase()];
    if (factor === undefined) problems.push(`slaProperties retention has unit ${show(retention.unit)}: use d, w or y.`);
    else sla.retentionDays = retention.value * factor;
  }
  return sla;
}

/** The mesh's own `slaProperties` items: latency (freshness) and retention. */
export function meshSlaProperties(spec: ContractSpec, table: string): OdcsNode[] {
  const sla: OdcsNode[] = [];
  if (spec.sla.freshnessMinutes !== undefined) {
    sla.push({
      property: SLA_LATENCY,
      value: spec.sla.freshnessMinutes,
      unit: 'min',
      element: `${table}.${spec.partitionBy.column}`,
      description: 'Freshness: maximum age of the newest data in the table.',
    });
  }
  if (spec.sla.retentionDays !== undefined) {
    sla.push({ property: SLA_RETENTION, value: spec.sla.retentionDays, unit: 'd', description: 'How long data is kept.' });
  }
  return sla;
}

/**
 * The document's `slaProperties` with the mesh's freshness and retention: an item that already says the
 * same stays as written; one that says otherwise is replaced in place; a missing one is appended;
 * every other item is kept.
 */
export function mergeSlaProperties(source: unknown, spec: ContractSpec, table: string): OdcsNode[] {
  const items: unknown[] = Array.isArray(source) ? [...source] : [];
  const current = slaOf(items, []);
  const [latency, retention] = [SLA_LATENCY, SLA_RETENTION].map((name) => meshSlaProperties(spec, table).find((i) => i.property === name));
  const place = (test: (item: OdcsNode) => boolean, same: boolean, mesh: OdcsNode | undefined) => {
    const index = items.findIndex((i) => isObject(i) && test(i));
    if (same) return;
    if (index >= 0 && mesh !== undefined) items[index] = mesh;
    else if (index >= 0) items.splice(index, 1);
    else if (mesh !== undefined) items.push(mesh);
  };
  place(isLatency, current.freshnessMinutes === spec.sla.freshnessMinutes, latency);
  place(isRetention, current.retentionDays === spec.sla.retentionDays, retention);
  return items as OdcsNode[];
}
