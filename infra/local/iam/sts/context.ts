import type { OpenIdClaims, TokenProblem } from '../../cognito/token.ts';
import type { CredentialIssuer } from '../../edge/credentials.ts';
import type { Caller } from '../../edge/types.ts';
import type { TraceBus } from '../../trace/bus.ts';
import type { IamStore } from '../store.ts';
import type { XmlStructure } from '../xml.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * The identity provider whose tokens AssumeRoleWithWebIdentity accepts: the local cloud's Cognito
 * identity pools (CognitoIdentityService), which sign the OpenID tokens GetOpenIdToken hands out.
 */
export interface WebIdentityTokens {
  /** The claims of a token Cognito signed, or why it is not valid (expired ones with their claims). */
  checkOpenIdToken(token: string): { claims: OpenIdClaims } | TokenProblem;
}

export interface StsContext {
  readonly store: IamStore;
  readonly issuer: CredentialIssuer;
  readonly caller: Caller;
  readonly requestId: string;
  readonly trace: TraceBus;
  /** Undefined when no Cognito runs next to STS: every web identity token is then refused. */
  readonly webIdentity?: WebIdentityTokens;
}

export type StsAction = (context: StsContext, params: URLSearchParams) => XmlStructure | undefined;
