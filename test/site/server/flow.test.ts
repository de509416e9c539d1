import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import type { FlowGraph } from '../../../site/lib/workbench-api.ts';
import { buildFlowGraph, executionRoles, referencedId, type Template } from '../../../site/server/flow.ts';
import { synthesizedAssembly } from '../../infra/local/deploy/assembly.ts';

let assembly: string;
const template = (scenario: ScenarioId): Template =>
  JSON.parse(readFileSync(join(assembly, `${SCENARIOS[scenario].stack}.template.json`), 'utf8')) as Template;

beforeAll(async () => {
  assembly = await synthesizedAssembly();
}, 240_000);

/** The graph as readable lines: `kind label` per node, `from → to: label` per edge (ids are template hashes). */
function describeGraph(graph: FlowGraph): { nodes: string[]; edges: string[] } {
  const label = new Map(graph.nodes.map((node) => [node.id, node.label]));
  return {
    nodes: graph.nodes.map((node) => `${node.kind} ${node.label}`).sort(),
    edges: graph.edges.map((edge) => `${label.get(edge.from)} → ${label.get(edge.to)}: ${edge.label ?? ''}`).sort(),
  };
}

describe('flow diagram from the synthesized templates', () => {
  it('thumbnails: upload → photos bucket → (ObjectCreated, filtered) → function → thumbnails bucket', () => {
    expect(describeGraph(buildFlowGraph(template('thumbnails')))).toEqual({
      nodes: ['bucket Photos bucket', 'bucket Thumbnails bucket', 'client Client', 'function Thumbnail function'],
      edges: [
        'Client → Photos bucket: PutObject',
        'Photos bucket → Thumbnail function: ObjectCreated (.jpg, .jpeg, .png)',
        'Thumbnail function → Photos bucket: reads',
        'Thumbnail function → Thumbnails bucket: writes',
      ],
    });
  });

  it('stream-metrics: table stream and Kinesis stream polled by their functions, on-failure bucket', () => {
    expect(describeGraph(buildFlowGraph(template('stream-metrics')))).toEqual({
      nodes: [
        'bucket Failures bucket',
        'client Client',
        'function Click metrics function',
        'function Metrics function',
        'stream Click stream',
        'table Metrics table',
        'table Orders table',
      ],
      edges: [
        'Click metrics function → Failures bucket: on-failure records',
        'Click metrics function → Metrics table: writes',
        'Click stream → Click metrics function: polls (batch ≤ 100)',
        'Client → Click stream: PutRecord',
        'Client → Orders table: PutItem · DeleteItem',
        'Metrics function → Failures bucket: on-failure records',
        'Metrics function → Metrics table: writes',
        'Orders table → Metrics function: stream · polls (batch ≤ 10)',
      ],
    });
  });

  it('web-backend: client → HTTP API → (routes) → function → items table', () => {
    const graph = describeGraph(buildFlowGraph(template('web-backend')));
    expect(graph.nodes).toEqual(['api HTTP API', 'client Client', 'function API function', 'table Items table']);
    expect(graph.edges).toHaveLength(3);
    expect(graph.edges).toContain('Client → HTTP API: HTTP request');
    expect(graph.edges).toContain('API function → Items table: reads, writes');
    const routes = graph.edges.find((edge) => edge.startsWith('HTTP API → API function: '));
    expect(routes?.split(': ')[1]?.split(' · ')).toEqual(expect.arrayContaining(['GET /items', 'POST /items']));
  });

  it('mobile-clicks: the app gets credentials from the pool (role assumed) and invokes the function itself', () => {
    expect(describeGraph(buildFlowGraph(template('mobile-clicks')))).toEqual({
      nodes: [
        'client Mobile app',
        'function Clicks function',
        'identity-pool Identity pool',
        'role Authenticated role',
        'role Unauthenticated role',
        'table Clicks table',
      ],
      edges: [
        'Clicks function → Clicks table: writes',
        'Identity pool → Authenticated role: assumes (authenticated)',
        'Identity pool → Unauthenticated role: assumes (unauthenticated)',
        'Mobile app → Clicks function: Invoke (RequestResponse)',
        'Mobile app → Identity pool: GetId · GetOpenIdToken',
      ],
    });
  });

  it('leaves out the functions CDK adds for custom resources (notifications, auto-delete)', () => {
    const ids = buildFlowGraph(template('thumbnails')).nodes.map((node) => node.id);
    expect(ids.some((id) => id.startsWith('BucketNotificationsHandler') || id.startsWith('Custom'))).toBe(false);
  });

  it('fills in physical names from the deployment record, and from the outputs that Ref a resource', () => {
    const thumbnails = template('thumbnails');
    const functions = buildFlowGraph(thumbnails).nodes.filter((node) => node.kind === 'function');
    expect(functions).toHaveLength(1);
    const graph = buildFlowGraph(thumbnails, {
      outputs: { PhotosBucketName: 'photos-abc', ThumbnailsBucketName: 'thumbs-abc' },
      resources: { [functions[0]!.id]: 'LambdaWorkbook-Thumbnails-Fn-XYZ' },
    });
    const names = Object.fromEntries(graph.nodes.map((node) => [node.label, node.resourceName]));
    expect(names).toMatchObject({ 'Photos bucket': 'photos-abc', 'Thumbnails bucket': 'thumbs-abc' });
    expect(names.Client).toBeUndefined();
    expect(names['Thumbnail function']).toBe('LambdaWorkbook-Thumbnails-Fn-XYZ');
  });

  it('knows each function by its execution role', () => {
    const roles = executionRoles(template('stream-metrics'));
    expect([...roles.values()].sort()).toEqual(
      buildFlowGraph(template('stream-metrics'))
        .nodes.filter((node) => node.kind === 'function')
        .map((node) => node.id)
        .sort(),
    );
  });
});

describe('intrinsic references', () => {
  it.each([
    [{ Ref: 'Bucket' }, 'Bucket'],
    [{ 'Fn::GetAtt': ['Table', 'StreamArn'] }, 'Table'],
    [{ 'Fn::GetAtt': 'Fn.Arn' }, 'Fn'],
    [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/*']] }, 'Bucket'],
    [{ Ref: 'AWS::Region' }, undefined],
    ['plain', undefined],
  ])('%j → %s', (value, id) => {
    expect(referencedId(value)).toBe(id);
  });
});
