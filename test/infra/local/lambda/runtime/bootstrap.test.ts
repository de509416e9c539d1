import { readdirSync } from 'node:fs';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASIC_FIXTURES,
  type LambdaCloud,
  localCode,
  ROLE,
  startLambdaCloud,
  zipOf,
} from '../../../../helpers/lambda-cloud.ts';

/** The handler contract the bootstrap gives functions: loading, context, environment, styles, errors. */
describe('Lambda runtime bootstrap: the handler contract', () => {
  let cloud: LambdaCloud;
  const deploy = (name: string, handler: string, extra: Record<string, unknown> = {}) =>
    cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: handler,
        Code: localCode(),
        ...extra,
      }),
    );
  const deployZip = (name: string, handler: string, files: Record<string, string>) =>
    cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: handler,
        Code: { ZipFile: zipOf(files) },
      }),
    );
  const run = async (name: string, payload: unknown = {}) => {
    const result = await cloud.service.invoke(name, payload, { logType: 'Tail' });
    return {
      ...result,
      body: JSON.parse(result.payload ?? 'null'),
      log: Buffer.from(result.logResult ?? '', 'base64').toString('utf8'),
    };
  };

  beforeAll(async () => {
    process.env.SERVER_SECRET_FOR_TEST = 'must-not-leak';
    cloud = await startLambdaCloud({
      credentialsFor: (role) => ({
        accessKeyId: `AKID-${role.split('/').at(-1)}`,
        secretAccessKey: 'role-secret',
        sessionToken: 'role-token',
      }),
    });
  });
  afterAll(async () => {
    delete process.env.SERVER_SECRET_FOR_TEST;
    await cloud?.close();
  });

  it('gives the handler the context object Lambda gives', async () => {
    // Prepare
    await deploy('ctx', 'context.handler', { MemorySize: 256, Timeout: 7 });

    // Act
    const { body, requestId } = await run('ctx');

    // Assess
    expect(body.context).toMatchObject({
      awsRequestId: requestId,
      functionName: 'ctx',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ctx',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/ctx',
      logStreamName: expect.stringMatching(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/),
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(body.context.remaining).toBeGreaterThan(6000);
    expect(body.context.remaining).toBeLessThanOrEqual(7000);
  });

  it('gives the standard environment, role credentials and the local endpoint, and nothing of the server', async () => {
    // Prepare
    await deploy('env', 'context.handler', { Environment: { Variables: { TABLE_NAME: 'clicks' } } });

    // Act
    const { body } = await run('env');

    // Assess
    expect(body.env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_LAMBDA_LOG_STREAM_NAME: body.context.logStreamName,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: body.cwd,
      LAMBDA_RUNTIME_DIR: expect.any(String),
      _HANDLER: 'context.handler',
      TZ: ':UTC',
      AWS_ENDPOINT_URL: cloud.endpoint,
      AWS_ACCESS_KEY_ID: 'AKID-lambda-role',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-token',
      TABLE_NAME: 'clicks',
      TMPDIR: body.tmpdir,
    });
    expect(body.env.SERVER_SECRET_FOR_TEST).toBeUndefined();
    expect(body.env.HOME).toBeUndefined();
    // The task root is the handler's working directory: /var/task inside the wall, as on AWS; under
    // the seat belt the host folder holding the code (in place, or the code slot of the spare that serves it).
    const [environment] = cloud.service.environments('env');
    expect(body.cwd).toBe(cloud.service.isolation.mode === 'bwrap' ? '/var/task' : environment?.taskRoot);
    expect(readdirSync(environment?.taskRoot ?? '').sort()).toEqual(readdirSync(BASIC_FIXTURES).sort());
  });

  it.each([
    ['callback style (.cjs)', 'callback.handler', { style: 'callback', got: { a: 1 } }],
    ['a nested path', 'src/app.handler', { nested: true }],
    ['a .js file without package.json (CommonJS, as under /var/task)', 'legacy.handler', { format: 'commonjs' }],
  ])('runs %s', async (_case, handler, expected) => {
    // Prepare
    const name = `style-${handler.replace(/[^a-z]/gi, '')}`;
    await deploy(name, handler);

    // Act
    const { body, functionError } = await run(name, { a: 1 });

    // Assess
    expect(functionError).toBeUndefined();
    expect(body).toEqual(expected);
  });

  it('lets code inside the project use sharp (a native addon) from the project’s node_modules', async () => {
    await deploy('sharp', 'thumbnail.handler', { MemorySize: 256 });
    const { body, functionError } = await run('sharp');
    expect(functionError).toBeUndefined();
    expect(body).toEqual({ width: 10, height: 5, format: 'png' });
  });

  it('lets a zip extracted outside the project import sharp and the SDK from the project’s node_modules, as from a layer', async () => {
    // Arrange: a bundle as the workbench deploys it (ESM index.mjs, sharp and the SDK left external)
    await deployZip('zip-sharp', 'index.handler', {
      'index.mjs': [
        "import sharp from 'sharp';",
        "import { S3Client } from '@aws-sdk/client-s3';",
        'export const handler = async () => {',
        "  const png = await sharp({ create: { width: 8, height: 4, channels: 3, background: '#000' } }).png().toBuffer();",
        '  const { width, format } = await sharp(png).metadata();',
        '  return { width, format, sdk: typeof S3Client };',
        '};',
      ].join('\n'),
    });

    // Act
    const { body, functionError } = await run('zip-sharp');

    // Assert
    expect(functionError).toBeUndefined();
    expect(body).toEqual({ width: 8, format: 'png', sdk: 'function' });
  });

  it('still fails a bare import that neither the code nor the project provides, naming the package', async () => {
    await deployZip('zip-missing', 'index.handler', {
      'index.mjs': "import missing from 'no-such-package-anywhere';\nexport const handler = async () => missing;",
    });
    const { body, functionError } = await run('zip-missing');
    expect(functionError).toBe('Unhandled');
    expect(body.errorMessage).toContain('no-such-package-anywhere');
  });

  it('fails a require that neither the code nor the project provides as Node does (MODULE_NOT_FOUND), not by overflowing the stack', async () => {
    // Arrange: CommonJS code outside the project; sharp's optional requires miss the same way
    await deployZip('zip-require-missing', 'index.handler', {
      'index.js': [
        'let caught;',
        "try { require('no-such-package-anywhere'); } catch (error) {",
        "  caught = { name: error.name, code: error.code, message: error.message.split('\\n')[0] };",
        '}',
        'exports.handler = async () => caught;',
      ].join('\n'),
    });

    // Act
    const { body, functionError } = await run('zip-require-missing');

    // Assert
    expect(functionError).toBeUndefined();
    expect(body).toEqual({
      name: 'Error',
      code: 'MODULE_NOT_FOUND',
      message: "Cannot find module 'no-such-package-anywhere'",
    });
  });

  it('loads .js as ESM when the code’s package.json says type module', async () => {
    await deployZip('esm-js', 'app.handler', {
      'package.json': '{"type":"module"}',
      'app.js': 'export const handler = async () => ({ format: typeof require === "undefined" ? "esm" : "commonjs" });',
    });
    expect((await run('esm-js')).body).toEqual({ format: 'esm' });
  });

  it('formats console output like Lambda’s Node.js runtime, including init-phase logs', async () => {
    // Prepare
    await deploy('logs', 'init-log.handler');

    // Act
    const { log, requestId } = await run('logs');

    // Assess
    const lines = log.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tundefined\tINFO\tmodule loaded$/);
    expect(lines[1]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
  });

  it.each([
    [
      'throws an Error subclass',
      'custom-error.handler',
      { errorType: 'ValidationFailed', errorMessage: 'order id is missing' },
    ],
    ['throws a non-Error', 'throw-string.handler', { errorType: 'string', errorMessage: 'plain string', trace: [] }],
    [
      'leaves a rejection unhandled',
      'reject.handler',
      { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody caught me' },
    ],
    [
      'names a module that does not exist',
      'missing.handler',
      {
        errorType: 'Runtime.ImportModuleError',
        errorMessage: "Error: Cannot find module 'missing'\nRequire stack:\n- /var/runtime/index.mjs",
      },
    ],
    [
      'names an export that does not exist',
      'echo.nothing',
      { errorType: 'Runtime.HandlerNotFound', errorMessage: 'echo.nothing is undefined or not exported' },
    ],
    [
      'is not a module.function string',
      'nodot',
      { errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' },
    ],
  ])('answers a handler that %s with Lambda’s error shape', async (_case, handler, expected) => {
    // Prepare
    const name = `err-${handler.replace(/[^a-z]/gi, '')}`;
    await deploy(name, handler);

    // Act
    const { body, functionError, statusCode } = await run(name);

    // Assess
    expect(statusCode).toBe(200);
    expect(functionError).toBe('Unhandled');
    expect(body).toMatchObject(expected);
  });

  it('answers a syntax error in the code with Runtime.UserCodeSyntaxError', async () => {
    await deployZip('syntax', 'index.handler', { 'index.mjs': 'export const handler = async () => { return {; };' });
    const { body, functionError } = await run('syntax');
    expect(functionError).toBe('Unhandled');
    expect(body).toMatchObject({
      errorType: 'Runtime.UserCodeSyntaxError',
      errorMessage: expect.stringMatching(/^SyntaxError: /),
    });
  });

  it('answers an exit during init with Runtime.ExitError (recorded: lambda-invoke-runtime-exit.json)', async () => {
    await deploy('init-exit', 'init-exit.handler');
    const { body, requestId } = await run('init-exit');
    expect(body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited without providing a reason`,
    });
  });

  it('runs again after an error: a failing invocation does not poison the function', async () => {
    await deploy('recover', 'throws.handler');
    await run('recover', { error_msg: 'first' });
    const second = await run('recover', { error_msg: 'second' });
    expect(second.body.errorMessage).toBe('Error: second');
  });
});
