// The phone: a mobile app that runs in the learner's browser and does what a real one does with a
// Cognito identity pool's basic (classic) flow — GetId, GetOpenIdToken, STS AssumeRoleWithWebIdentity
// of the pool's guest role, then Lambda Invoke (RequestResponse) with those temporary credentials —
// with the real AWS SDK, straight to the cloud's endpoint (the local cloud, or AWS). Not the enhanced
// flow (GetCredentialsForIdentity): its guest credentials carry a session policy that allows no
// Lambda. Its second action invokes a function the role may not invoke, and shows IAM's AccessDenied.
import type { GetOpenIdTokenCommandOutput } from '@aws-sdk/client-cognito-identity';
import type { ScenarioInfo } from '../../../lib/workbench-api.ts';
import type { MountPanel } from '../context.ts';
import { el } from '../dom.ts';
import {
  type AwsErrorFacts,
  clickPayload,
  decodePayload,
  describeAnswer,
  describeAwsError,
  expiryText,
  needsRenewal,
} from './view.ts';
import '../panels.css';

/** Buttons of the app: the `button` each tap records. */
const APP_BUTTONS = [
  { id: 'like', label: 'Like' },
  { id: 'share', label: 'Share' },
  { id: 'save', label: 'Save' },
] as const;

/** Invoked when the stream-metrics function's name is unknown: the role grants nothing on it either. */
const FALLBACK_FORBIDDEN_FUNCTION = 'LambdaWorkbook-AdminReport';

interface Credentials {
  readonly identityId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

type Sdk = [
  typeof import('@aws-sdk/client-cognito-identity'),
  typeof import('@aws-sdk/client-sts'),
  typeof import('@aws-sdk/client-lambda'),
];

/** The session name the app gives its role session (`assumed-role/<guest role>/clicks-app`). */
const SESSION_NAME = 'clicks-app';

function button(text: string, className: string): HTMLButtonElement {
  const element = el('button', className, text);
  element.type = 'button';
  return element;
}

const storageKey = (poolId: string) => `lambda-workbook:mobile-identity:${poolId}`;

function remembered(poolId: string): string | undefined {
  try {
    return localStorage.getItem(storageKey(poolId)) ?? undefined;
  } catch {
    return undefined;
  }
}

function remember(poolId: string, identityId: string | undefined): void {
  try {
    if (identityId === undefined) localStorage.removeItem(storageKey(poolId));
    else localStorage.setItem(storageKey(poolId), identityId);
  } catch {
    // Storage may be off (private mode): the app just gets a new identity next time.
  }
}

const formatError = (facts: AwsErrorFacts) =>
  `${facts.code}${facts.status !== undefined ? ` (HTTP ${facts.status})` : ''}: ${facts.message}`;

/** Mounts the phone-shaped mobile client (mobile-clicks only). */
export const mountMobile: MountPanel = (element, context) => {
  const { session, scenario } = context;
  const poolId = scenario.outputs.IdentityPoolId;
  const roleArn = scenario.outputs.UnauthenticatedRoleArn;
  const functionName = scenario.function.name;
  const region = session.target.region;
  const endpoint = session.target.endpoint;
  // not-content: Starlight's prose styles (margins between siblings, table looks) stay out.
  element.classList.add('wb-mobile-panel', 'not-content');

  const intro = el(
    'p',
    'wb-hint',
    `This app runs in your browser. It asks the Cognito identity pool for an identity and a token, trades the token for temporary credentials of the guest role with STS, then invokes the function with them — straight to ${endpoint ?? `AWS (${region})`}, no workbook server in between.`,
  );
  const phone = el('div', 'wb-phone');
  phone.setAttribute('role', 'group');
  phone.setAttribute('aria-label', 'Mobile app');
  const screen = el('div', 'wb-phone__screen');
  const bar = el('div', 'wb-phone__bar');
  bar.append(el('span', undefined, 'Clicks'), el('span', 'wb-phone__mode', 'guest'));
  const identity = el('dl', 'wb-phone__identity');
  const identityValue = el('dd', undefined, 'none yet: tap a button');
  identityValue.dataset.field = 'identity';
  const expiryValue = el('dd', undefined, '—');
  expiryValue.dataset.field = 'expiry';
  identity.append(el('dt', undefined, 'Identity'), identityValue, el('dt', undefined, 'Credentials'), expiryValue);
  const buttons = el('div', 'wb-phone__buttons');
  const tapButtons = APP_BUTTONS.map((entry) => {
    const tap = button(entry.label, 'wb-phone__tap');
    tap.dataset.button = entry.id;
    buttons.append(tap);
    return { tap, id: entry.id };
  });
  const answer = el('p', 'wb-phone__answer');
  answer.setAttribute('role', 'status');
  answer.textContent = 'Tap a button: the app invokes the function and shows its answer.';
  const forbidden = button('Invoke another function', 'wb-phone__forbidden');
  const forbiddenNote = el(
    'p',
    'wb-phone__note',
    'The guest role may invoke only the clicks function. Try another one:',
  );
  const denied = el('p', 'wb-phone__denied');
  denied.setAttribute('role', 'alert');
  denied.hidden = true;
  const reset = button('New identity', 'wb-phone__reset');
  screen.append(bar, identity, buttons, answer, forbiddenNote, forbidden, denied, reset);
  phone.append(el('div', 'wb-phone__speaker'), screen);
  const wire = el('details', 'wb-mobile__wire');
  const wireLog = el('pre');
  wireLog.tabIndex = 0;
  wire.append(el('summary', undefined, 'What the app sent and received'), wireLog);
  element.replaceChildren(intro, phone, wire);

  const all = [...tapButtons.map((entry) => entry.tap), forbidden, reset];
  const problems: string[] = [];
  if (!scenario.deployed) problems.push(`the ${scenario.stack} stack is not deployed (run npm start)`);
  else {
    if (!poolId) problems.push('the stack has no IdentityPoolId output');
    if (!roleArn) problems.push('the stack has no UnauthenticatedRoleArn output (deploy it again)');
    if (!functionName) problems.push('the clicks function’s name is unknown');
  }
  if (problems.length > 0) {
    answer.textContent = `The app cannot run: ${problems.join('; ')}.`;
    answer.classList.add('is-error');
    for (const control of all) control.disabled = true;
    return () => element.replaceChildren();
  }

  const wireLines: string[] = [];
  const logWire = (line: string) => {
    wireLines.push(`${new Date().toLocaleTimeString(undefined, { hour12: false })}  ${line}`);
    if (wireLines.length > 30) wireLines.shift();
    wireLog.textContent = wireLines.join('\n');
  };

  // The SDK loads only now, when the phone is shown (it is most of this panel's weight).
  const sdk: Promise<Sdk> = Promise.all([
    import('@aws-sdk/client-cognito-identity'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-lambda'),
  ]);
  let disposed = false;
  let credentials: Credentials | undefined;
  let identityId = remembered(poolId!);
  let forbiddenName: string | undefined;
  let cognito: InstanceType<Sdk[0]['CognitoIdentityClient']> | undefined;
  let sts: InstanceType<Sdk[1]['STSClient']> | undefined;
  let lambda: { client: InstanceType<Sdk[2]['LambdaClient']>; for: Credentials } | undefined;

  const showIdentity = () => {
    identityValue.textContent = identityId ?? 'none yet: tap a button';
    expiryValue.textContent = credentials ? expiryText(credentials.expiration) : '—';
    if (credentials) expiryValue.dataset.expiration = credentials.expiration.toISOString();
  };
  showIdentity();
  const clock = setInterval(showIdentity, 30_000);

  /**
   * GetId (once per browser, as apps cache it), then — when the credentials need renewing —
   * GetOpenIdToken and STS AssumeRoleWithWebIdentity of the guest role. All three go unsigned.
   */
  const getCredentials = async (): Promise<Credentials> => {
    if (credentials && !needsRenewal(credentials.expiration)) return credentials;
    const [cognitoSdk, stsSdk] = await sdk;
    const config = { region, ...(endpoint ? { endpoint } : {}), maxAttempts: 1 };
    cognito ??= new cognitoSdk.CognitoIdentityClient(config);
    sts ??= new stsSdk.STSClient(config);
    const fresh = async () => {
      const out = await cognito!.send(new cognitoSdk.GetIdCommand({ IdentityPoolId: poolId }));
      logWire(`Cognito GetId → ${out.IdentityId}`);
      if (!out.IdentityId) throw new Error('GetId answered no IdentityId.');
      return out.IdentityId;
    };
    let id = identityId ?? (await fresh());
    let token: GetOpenIdTokenCommandOutput;
    try {
      token = await cognito.send(new cognitoSdk.GetOpenIdTokenCommand({ IdentityId: id }));
    } catch (error) {
      // A remembered identity the pool no longer knows (the local cloud restarted in memory): start over.
      const facts = describeAwsError(error);
      if (id === identityId && /ResourceNotFound|NotAuthorized/.test(facts.code)) {
        logWire(`Cognito GetOpenIdToken → ${facts.code}; getting a new identity`);
        id = await fresh();
        token = await cognito.send(new cognitoSdk.GetOpenIdTokenCommand({ IdentityId: id }));
      } else {
        throw error;
      }
    }
    if (!token.Token) throw new Error('GetOpenIdToken answered no token.');
    logWire(`Cognito GetOpenIdToken → a token for ${id} (valid 10 min)`);
    const out = await sts.send(
      new stsSdk.AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: SESSION_NAME,
        WebIdentityToken: token.Token,
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new Error('AssumeRoleWithWebIdentity answered no credentials.');
    identityId = id;
    remember(poolId!, id);
    credentials = {
      identityId: id,
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration ?? new Date(Date.now() + 3_600_000),
    };
    logWire(
      `STS AssumeRoleWithWebIdentity → ${c.AccessKeyId} as ${out.AssumedRoleUser?.Arn ?? 'the guest role'} (${expiryText(credentials.expiration)})`,
    );
    showIdentity();
    return credentials;
  };

  const invoke = async (name: string, payload: unknown) => {
    const current = await getCredentials();
    const [, , lambdaSdk] = await sdk;
    if (lambda?.for !== current) {
      lambda = {
        for: current,
        client: new lambdaSdk.LambdaClient({
          region,
          ...(endpoint ? { endpoint } : {}),
          maxAttempts: 1,
          credentials: {
            accessKeyId: current.accessKeyId,
            secretAccessKey: current.secretAccessKey,
            sessionToken: current.sessionToken,
            expiration: current.expiration,
          },
        }),
      };
    }
    logWire(`Lambda Invoke ${name} (RequestResponse) ${JSON.stringify(payload)}`);
    const out = await lambda.client.send(
      new lambdaSdk.InvokeCommand({
        FunctionName: name,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    const body = decodePayload(out.Payload);
    logWire(`  → ${out.StatusCode}${out.FunctionError ? ` ${out.FunctionError}` : ''} ${JSON.stringify(body)}`);
    return { body, functionError: out.FunctionError };
  };

  const busy = (on: boolean) => {
    for (const control of all) control.disabled = on;
    phone.toggleAttribute('aria-busy', on);
  };

  for (const { tap, id } of tapButtons) {
    tap.addEventListener('click', async () => {
      busy(true);
      answer.classList.remove('is-error');
      answer.textContent = 'Invoking…';
      try {
        const current = await getCredentials();
        const result = await invoke(functionName!, clickPayload(id, current.identityId));
        if (disposed) return;
        answer.textContent = describeAnswer(result.body, result.functionError);
        answer.classList.toggle('is-error', result.functionError !== undefined);
        answer.dataset.button = id;
      } catch (error) {
        const facts = describeAwsError(error);
        logWire(`  → ${formatError(facts)}`);
        answer.textContent = formatError(facts);
        answer.classList.add('is-error');
      } finally {
        busy(false);
      }
    });
  }

  forbidden.addEventListener('click', async () => {
    busy(true);
    denied.hidden = false;
    denied.className = 'wb-phone__denied';
    denied.textContent = 'Invoking…';
    try {
      if (forbiddenName === undefined) {
        // The stream-metrics scenario's function: real, deployed, and not this role's to invoke.
        const other = await context.api.get<ScenarioInfo>('/scenarios/stream-metrics').catch(() => undefined);
        forbiddenName = other?.function.name ?? FALLBACK_FORBIDDEN_FUNCTION;
      }
      const current = await getCredentials();
      const result = await invoke(forbiddenName, clickPayload('like', current.identityId));
      // Reaching here means the role allowed it: say so, since that is not what the lesson expects.
      denied.textContent = `Allowed?! ${forbiddenName} answered: ${describeAnswer(result.body, result.functionError)}. The role grants more than the clicks function.`;
      denied.classList.add('is-allowed');
    } catch (error) {
      const facts = describeAwsError(error);
      logWire(`  → ${formatError(facts)}`);
      denied.textContent = facts.denied
        ? `Denied, as it should be: ${formatError(facts)}`
        : `The call failed, but not because of IAM: ${formatError(facts)}`;
      denied.classList.add(facts.denied ? 'is-denied' : 'is-error');
      denied.dataset.code = facts.code;
    } finally {
      busy(false);
    }
  });

  reset.addEventListener('click', () => {
    identityId = undefined;
    credentials = undefined;
    lambda = undefined;
    remember(poolId!, undefined);
    showIdentity();
    answer.textContent = 'Identity forgotten: the next tap gets a new one.';
    answer.classList.remove('is-error');
  });

  sdk.catch((error: unknown) => {
    answer.textContent = `The AWS SDK did not load: ${(error as Error).message}`;
    answer.classList.add('is-error');
  });

  return () => {
    disposed = true;
    clearInterval(clock);
    cognito?.destroy();
    sts?.destroy();
    lambda?.client.destroy();
    element.replaceChildren();
    element.classList.remove('wb-mobile-panel', 'not-content');
  };
};
