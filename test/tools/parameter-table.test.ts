import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SERVICE_DECLARATIONS } from '../../infra/local/parameters.ts';
import { PARAMETER_TABLE_PATH, renderParameterTable } from '../../tools/parameter-table.ts';

const run = promisify(execFile);
const declared = SERVICE_DECLARATIONS.filter((service) => service.parameters !== undefined);

describe('the parameter table on "The local cloud" page', () => {
  it('is the one the declarations generate (else run `npm run docs:parameters`)', () => {
    expect(readFileSync(PARAMETER_TABLE_PATH, 'utf8')).toBe(renderParameterTable());
  });

  it('is included by the page', () => {
    const page = readFileSync(new URL('../../site/content/docs/local-cloud.mdx', import.meta.url), 'utf8');
    expect(page).toContain("import ParameterTable from './_parameters.mdx';");
    expect(page).toContain('<ParameterTable />');
  });
});

describe('parameter declarations', () => {
  it.each(declared.map((service) => [service.title, service] as const))(
    '%s declares exactly the operations it implements',
    (_, service) => {
      expect(Object.keys(service.parameters!).sort()).toEqual([...service.operations].sort());
    },
  );

  it('name every request member of the AWS service models (botocore), each supported or refused', async () => {
    // Prepare: each declared operation's input members, from the service models the API reference is made of.
    const wanted = Object.fromEntries(declared.map((service) => [service.model, service.operations]));
    const script = `
import botocore.session, json, sys
session = botocore.session.get_session()
out = {}
for model, operations in json.loads(sys.argv[1]).items():
    service = session.get_service_model(model)
    out[model] = {op: list(service.operation_model(op).input_shape.members) for op in operations
                  if op in service.operation_names and service.operation_model(op).input_shape is not None}
print(json.dumps(out))
`;

    // Act
    const { stdout } = await run(process.env.BOTOCORE_PYTHON ?? '/usr/bin/python3', [
      '-c',
      script,
      JSON.stringify(wanted),
    ]);
    const models = JSON.parse(stdout) as Record<string, Record<string, string[]>>;

    // Assess: a member the model has and the declaration does not name would be accepted and dropped.
    const undeclared = declared.flatMap((service) =>
      Object.entries(models[service.model] ?? {}).flatMap(([operation, members]) =>
        members
          .filter((member) => !Object.hasOwn(service.parameters![operation] ?? {}, member))
          .map((member) => `${service.title} ${operation}.${member}`),
      ),
    );
    expect(undeclared).toEqual([]);
  });
});
