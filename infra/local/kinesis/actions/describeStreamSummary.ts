import type { Action } from '../context.ts';
import { type Rules, STREAM_ARN, STREAM_NAME, validate } from '../validation.ts';
import { streamBasics } from './describeStream.ts';

const RULES: Rules = { StreamName: STREAM_NAME, StreamARN: STREAM_ARN };

/** DescribeStreamSummary: the stream without its shards, with the open shard count. */
export const describeStreamSummary: Action = (context, input) => {
  validate(input, RULES);
  const stream = context.findStream(input);
  return {
    StreamDescriptionSummary: {
      ...streamBasics(stream),
      OpenShardCount: stream.shards.shards.filter((s) => s.endingSequenceNumber === undefined).length,
      ConsumerCount: 0,
    },
  };
};
