import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FILE, bundleHandler, CompileFailureError } from '../../../site/server/bundle.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';

const root = PROJECT_ROOT;
const handlerOf = (scenario: string) => readFileSync(join(root, 'scenarios', scenario, 'handler.ts'), 'utf8');
const codeOf = (zip: Uint8Array) => {
  const files = unzipSync(zip);
  expect(Object.keys(files)).toEqual([BUNDLE_FILE]);
  return new TextDecoder().decode(files[BUNDLE_FILE]);
};

/** The CompileFailureError `work` rejects with. */
async function compileFailure(work: Promise<unknown>): Promise<CompileFailureError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CompileFailureError);
  return error as CompileFailureError;
}

describe('bundleHandler', () => {
  it('bundles a handler as index.mjs (ESM), with its ../shared imports inlined and an inline source map', async () => {
    // Act
    const { zip, bundleBytes } = await bundleHandler({
      root,
      scenario: 'web-backend',
      source: handlerOf('web-backend'),
    });

    // Assert
    const code = codeOf(zip);
    expect(bundleBytes).toBe(new TextEncoder().encode(code).length);
    expect(code).toMatch(/^import \{ createRequire as __workbookCreateRequire \} from 'node:module';/);
    expect(code).toContain('// scenarios/shared/env.ts'); // bundled from the scenario folder's relative import
    expect(code).toContain('// scenarios/web-backend/page.ts');
    expect(code).toMatch(/export \{\s*handler/);
    expect(code).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
    const map = JSON.parse(
      Buffer.from(/sourceMappingURL=data:application\/json;base64,(\S+)/.exec(code)?.[1] ?? '', 'base64').toString(),
    );
    expect(map.sources).toContain('scenarios/web-backend/handler.ts');
  });

  it('leaves the AWS SDK and sharp out of the bundle (the runtime and the sharp layer provide them)', async () => {
    const { zip, bundleBytes } = await bundleHandler({ root, scenario: 'thumbnails', source: handlerOf('thumbnails') });
    const code = codeOf(zip);
    expect(code).toMatch(/^import \{[^}]*S3Client[^}]*\} from "@aws-sdk\/client-s3";$/m);
    expect(code).toMatch(/^import sharp from "sharp";$/m);
    expect(code).not.toContain('class S3Client');
    expect(bundleBytes).toBeLessThan(50_000);
  });

  it('gives the same zip for the same source, so CodeSha256 only changes with the code', async () => {
    const source = handlerOf('mobile-clicks');
    const a = await bundleHandler({ root, scenario: 'mobile-clicks', source });
    const b = await bundleHandler({ root, scenario: 'mobile-clicks', source });
    const c = await bundleHandler({ root, scenario: 'mobile-clicks', source: `${source}\nexport const edited = 1;\n` });
    expect(Buffer.from(a.zip).equals(Buffer.from(b.zip))).toBe(true);
    expect(Buffer.from(a.zip).equals(Buffer.from(c.zip))).toBe(false);
  });

  it('reports a syntax error at its 1-based line and column of the learner’s source', async () => {
    const source =
      "import { log } from '../shared/log.ts';\n\nexport const handler = async () => {\n  return 1 +;\n};\n";
    const error = await compileFailure(bundleHandler({ root, scenario: 'mobile-clicks', source }));
    expect(error.errors).toEqual([
      {
        line: 4,
        column: 13,
        message: 'Unexpected ";"',
        file: { path: 'scenarios/mobile-clicks/handler.ts', line: 4, column: 13 },
      },
    ]);
    expect(error.message).toContain('line 4, column 13');
  });

  it('reports an import that does not resolve at the import, naming the module', async () => {
    const source = "export const handler = async () => nothing;\nimport { nothing } from './no-such-file.ts';\n";
    const error = await compileFailure(bundleHandler({ root, scenario: 'thumbnails', source }));
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ line: 2, column: 25 });
    expect(error.errors[0]?.message).toContain('./no-such-file.ts');
  });

  it('bundles the edited text of a module in place of the file on disk', async () => {
    const source = "import { log } from '../shared/log.ts';\nexport const handler = async () => log('INFO', 'x');\n";
    const edited = "export function log(level: string, message: string): string { return 'edited-module-text'; }\n";
    const plain = await bundleHandler({ root, scenario: 'mobile-clicks', source });
    const withEdit = await bundleHandler({
      root,
      scenario: 'mobile-clicks',
      source,
      files: { 'scenarios/shared/log.ts': edited },
    });
    const text = (zip: Uint8Array) => new TextDecoder().decode(unzipSync(zip)[BUNDLE_FILE]);
    expect(text(withEdit.zip)).toContain('edited-module-text');
    expect(text(plain.zip)).not.toContain('edited-module-text');
  });

  it('names the file and place of an error in a module the source imports', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'workbook-bundle-'));
    try {
      mkdirSync(join(tmp, 'scenarios', 'mobile-clicks'), { recursive: true });
      writeFileSync(join(tmp, 'scenarios', 'mobile-clicks', 'helper.ts'), 'export const x: number = ;\n');
      const source = "import { x } from './helper.ts';\nexport const handler = async () => x;\n";
      const error = await compileFailure(bundleHandler({ root: tmp, scenario: 'mobile-clicks', source }));
      expect(error.errors).toEqual([
        {
          line: 1,
          column: 1,
          message: 'scenarios/mobile-clicks/helper.ts:1:26: Unexpected ";"',
          file: { path: 'scenarios/mobile-clicks/helper.ts', line: 1, column: 26 },
        },
      ]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses an unknown scenario', async () => {
    await expect(
      bundleHandler({ root, scenario: 'nope' as 'thumbnails', source: 'export const handler = 1;' }),
    ).rejects.toThrow("Unknown scenario 'nope'");
  });
});
