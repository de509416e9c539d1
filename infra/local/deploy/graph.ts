// Resource dependency order: Ref / Fn::GetAtt / Fn::Sub references and DependsOn, as
// CloudFormation builds its graph. Pseudo parameters and template parameters are not resources.
import { TemplateError } from './intrinsics.ts';
import type { TemplateResource } from './template.ts';

/** The logical ids a template fragment refers to (Ref, Fn::GetAtt, ${…} in Fn::Sub). */
export function references(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) references(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'Ref' && typeof item === 'string') {
        if (!item.startsWith('AWS::')) into.add(item);
      } else if (key === 'Fn::GetAtt') {
        const target = typeof item === 'string' ? item.split('.')[0] : Array.isArray(item) ? item[0] : undefined;
        if (typeof target === 'string') into.add(target);
        else references(item, into);
      } else if (key === 'Fn::Sub') {
        const template = typeof item === 'string' ? item : Array.isArray(item) ? item[0] : undefined;
        const variables = Array.isArray(item) && item[1] !== null && typeof item[1] === 'object' ? item[1] : {};
        if (typeof template === 'string') {
          for (const match of template.matchAll(/\$\{([^}!][^}]*)\}/g)) {
            const name = match[1]!.trim().split('.')[0]!;
            if (!name.startsWith('AWS::') && !Object.hasOwn(variables, name)) into.add(name);
          }
        }
        if (Array.isArray(item)) references(item[1], into);
      } else {
        references(item, into);
      }
    }
  }
  return into;
}

/** The resources a resource depends on (only ids that are resources of the same template). */
export function dependenciesOf(resource: TemplateResource, resourceIds: ReadonlySet<string>): string[] {
  const found = references(resource.Properties ?? {});
  const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
  for (const id of dependsOn) found.add(id);
  return [...found].filter((id) => resourceIds.has(id));
}

/** Logical ids in an order where each resource comes after everything it depends on. */
export function deploymentOrder(resources: Readonly<Record<string, TemplateResource>>): string[] {
  const ids = new Set(Object.keys(resources));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: readonly string[]) => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new TemplateError(`Circular dependency between resources: ${[...path, id].join(' → ')}`);
    }
    state.set(id, 'visiting');
    for (const dependency of dependenciesOf(resources[id]!, ids).sort()) visit(dependency, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of Object.keys(resources)) visit(id, []);
  return order;
}
