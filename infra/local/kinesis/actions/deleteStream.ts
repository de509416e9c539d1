import { ACCOUNT_ID } from '../../edge/types.ts';
import type { Action } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type Rules, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';

const RULES: Rules = {
  StreamName: STREAM_NAME,
  StreamARN: STREAM_ARN,
  EnforceConsumerDeletion: { type: 'boolean' },
};

/** DeleteStream: a stream still CREATING cannot be deleted (ResourceInUseException), as on AWS. */
export const deleteStream: Action = (context, input) => {
  validate(input, RULES);
  const stream = context.findStream(input);
  if (stream.status !== 'ACTIVE') {
    throw new KinesisError(
      'ResourceInUseException',
      `Stream ${stream.name} under account ${ACCOUNT_ID} not ACTIVE, instead in state ${stream.status}`,
    );
  }
  context.deleteStream(stream);
  return {};
};
