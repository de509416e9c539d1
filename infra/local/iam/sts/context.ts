import type { CredentialIssuer } from '../../edge/credentials.ts';
import type { Caller } from '../../edge/types.ts';
import type { IamStore } from '../store.ts';
import type { XmlStructure } from '../xml.ts';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface StsContext {
  readonly store: IamStore;
  readonly issuer: CredentialIssuer;
  readonly caller: Caller;
  readonly requestId: string;
}

export type StsAction = (context: StsContext, params: URLSearchParams) => XmlStructure | undefined;
