/**
 * The lineage graph of the whole mesh: producing domains → products → consumers → derived products,
 * laid out by Graphviz (`dot`, compiled to WebAssembly by @viz-js/viz) and rendered to SVG.
 *
 * Nodes:   `domain:<name>` (a producing team), `product:<id>`, `consumer:<name>`.
 * Edges:   domain → each product it owns (unless the product is derived and a consumer of the same name
 *          produces it), product → consumer for each grant ("reads", "reads PII"), upstream product →
 *          derived product ("stream" or "sql <schedule>"), consumer → the derived products of the domain
 *          bearing its name ("produces": consumers become producers).
 */
import { instance, type Edge, type Graph, type Node, type Subgraph } from '@viz-js/viz';
import { pageFileName } from './html';
import { domainsOf, type CatalogModel } from './model';

export interface LineageGraph {
  readonly graph: Graph;
  /** Node names of every product and consumer, for checks. */
  readonly productNodes: readonly string[];
  readonly consumerNodes: readonly string[];
}

const COLORS = {
  domain: '#4b5563',
  product: '#1d4ed8',
  derived: '#047857',
  consumer: '#7c3aed',
  pii: '#c2410c',
} as const;

/** Graphviz label text: backslashes would start escape sequences (`\N`, `\G`), so they are doubled. */
function label(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

export const nodeName = {
  domain: (name: string) => `domain:${name}`,
  product: (id: string) => `product:${id}`,
  consumer: (name: string) => `consumer:${name}`,
} as const;

/**
 * Builds the Graphviz graph object of the mesh.
 * @param linkPrefix prefix of product page links from where the SVG is embedded (e.g. `products/`).
 */
export function lineageGraph(model: CatalogModel, linkPrefix = 'products/'): LineageGraph {
  const consumers = new Set(model.consumers.map((c) => c.name));
  const productIds = new Set(model.products.map((p) => p.id));
  const edges: Edge[] = [];
  const subgraphs: Subgraph[] = [];
  const usedDomainNodes = new Set<string>();

  for (const domain of domainsOf(model)) {
    const nodes: Node[] = [];
    for (const id of domain.products) {
      const product = model.products.find((p) => p.id === id)!;
      const derived = product.source !== undefined;
      const pii = product.columns.some((c) => c.pii);
      nodes.push({
        name: nodeName.product(id),
        attributes: {
          label: label(`${id}\n${product.classification}${product.deprecated ? ' · deprecated' : ''}`),
          shape: derived ? 'component' : 'box',
          style: product.deprecated ? 'rounded,dashed' : 'rounded',
          color: pii ? COLORS.pii : derived ? COLORS.derived : COLORS.product,
          penwidth: pii ? 2 : 1.2,
          URL: `${linkPrefix}${pageFileName(id)}`,
          tooltip: label(product.description),
        },
      });
      // A derived product is produced by the consumer team of the same name, when there is one.
      if (derived && consumers.has(product.domain)) {
        edges.push({
          tail: nodeName.consumer(product.domain),
          head: nodeName.product(id),
          attributes: { label: 'produces', style: 'dashed', color: COLORS.consumer, fontcolor: COLORS.consumer },
        });
      } else {
        usedDomainNodes.add(domain.name);
        edges.push({ tail: nodeName.domain(domain.name), head: nodeName.product(id), attributes: { label: 'owns', color: COLORS.domain } });
      }
      for (const upstream of product.source?.from ?? []) {
        edges.push({
          tail: nodeName.product(upstream),
          head: nodeName.product(id),
          attributes: {
            label: label(product.source!.kind === 'sql' ? `sql ${product.source!.schedule ?? ''}`.trim() : 'stream'),
            color: COLORS.derived,
            fontcolor: COLORS.derived,
            penwidth: 1.6,
          },
        });
      }
    }
    if (usedDomainNodes.has(domain.name)) {
      nodes.unshift({
        name: nodeName.domain(domain.name),
        attributes: { label: label(`${domain.name}\nproducer`), shape: 'folder', color: COLORS.domain, fontcolor: COLORS.domain },
      });
    }
    // In a multi-account mesh, the account the domain's products deploy to.
    const accounts = [...new Set(domain.products.map((id) => model.products.find((p) => p.id === id)!.account).filter((a) => a !== undefined))];
    subgraphs.push({
      name: `cluster_${domain.name}`,
      graphAttributes: { label: label(`${domain.name} domain${accounts.length > 0 ? ` · account ${accounts.join(', ')}` : ''}`), style: 'rounded,dashed', color: '#9ca3af', fontcolor: '#374151' },
      nodes,
    });
  }

  // Upstream products referenced by a derived product but not in this mesh (e.g. another app's product).
  const external = [...new Set(model.products.flatMap((p) => p.source?.from ?? []))].filter((id) => !productIds.has(id));
  const consumerNodes: Node[] = model.consumers.map((consumer) => ({
    name: nodeName.consumer(consumer.name),
    attributes: {
      label: label(`${consumer.name}\nconsumer${consumer.account === undefined ? '' : ` · account ${consumer.account}`}`),
      shape: 'ellipse',
      color: COLORS.consumer,
      fontcolor: COLORS.consumer,
      ...(consumer.description !== undefined && { tooltip: label(consumer.description) }),
    },
  }));
  // A derived product's pipeline reads its sources: the "stream"/"sql" edge already draws that read.
  const reads = model.grants.filter((grant) => grant.forProduct === undefined);
  // A reader granted access without a consumer entry (a service role) still gets a labelled node.
  for (const reader of [...new Set(reads.map((grant) => grant.consumer))].filter((name) => !consumers.has(name))) {
    consumerNodes.push({
      name: nodeName.consumer(reader),
      attributes: { label: label(`${reader}\nreader`), shape: 'ellipse', style: 'dashed', color: COLORS.consumer, fontcolor: COLORS.consumer },
    });
  }
  for (const grant of reads) {
    edges.push({
      tail: nodeName.product(grant.product),
      head: nodeName.consumer(grant.consumer),
      attributes: grant.includesPii
        ? { label: 'reads PII', color: COLORS.pii, fontcolor: COLORS.pii, penwidth: 2 }
        : { label: 'reads', color: COLORS.consumer },
    });
  }

  const graph: Graph = {
    name: 'lineage',
    directed: true,
    graphAttributes: {
      rankdir: 'LR',
      fontname: 'Helvetica',
      fontsize: 12,
      nodesep: 0.35,
      ranksep: 0.8,
      bgcolor: 'transparent',
    },
    nodeAttributes: { fontname: 'Helvetica', fontsize: 11, margin: '0.15,0.06' },
    edgeAttributes: { fontname: 'Helvetica', fontsize: 9, arrowsize: 0.7 },
    nodes: [
      ...consumerNodes,
      ...external.map((id) => ({
        name: nodeName.product(id),
        attributes: { label: label(`${id}\n(outside this mesh)`), shape: 'box', style: 'dotted' },
      })),
    ],
    edges,
    subgraphs,
  };
  return {
    graph,
    productNodes: [...model.products.map((p) => nodeName.product(p.id))],
    consumerNodes: model.consumers.map((c) => nodeName.consumer(c.name)),
  };
}

/**
 * Lays the graph out with Graphviz `dot` and returns an SVG element (no XML prolog or doctype), ready to
 * embed in HTML. Throws with Graphviz's messages if the layout fails.
 */
export async function renderLineageSvg(model: CatalogModel, linkPrefix = 'products/'): Promise<string> {
  const viz = await instance();
  const { graph } = lineageGraph(model, linkPrefix);
  const result = viz.render(graph, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the lineage graph: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  const start = result.output.indexOf('<svg');
  return result.output.slice(start).trim();
}
