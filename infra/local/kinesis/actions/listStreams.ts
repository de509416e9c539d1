import { type Action, decodeToken, encodeToken, epochSeconds } from '../context.ts';
import { KinesisError } from '../errors.ts';
import { type Rules, STREAM_NAME, validate } from '../validation.ts';

const RULES: Rules = {
  Limit: { type: 'integer', min: 1, max: 10_000 },
  ExclusiveStartStreamName: STREAM_NAME,
  NextToken: { type: 'string', minLength: 1, maxLength: 1048576 },
};

/** ListStreams: names in alphabetical order, `Limit` (default 100) at a time, with StreamSummaries. */
export const listStreams: Action = (context, input) => {
  validate(input, RULES);
  if (input.NextToken !== undefined && input.ExclusiveStartStreamName !== undefined) {
    throw new KinesisError(
      'InvalidArgumentException',
      'NextToken and ExclusiveStartStreamName cannot be provided together.',
    );
  }
  let after = input.ExclusiveStartStreamName as string | undefined;
  if (input.NextToken !== undefined) {
    const token = decodeToken(input.NextToken as string);
    if (typeof token?.after !== 'string') throw new KinesisError('InvalidArgumentException', 'Invalid NextToken.');
    after = token.after;
  }
  const limit = (input.Limit as number | undefined) ?? 100;
  const all = context.listStreams().filter((s) => after === undefined || s.name > after);
  const page = all.slice(0, limit);
  const hasMore = all.length > page.length;
  const last = page.at(-1);
  return {
    StreamNames: page.map((s) => s.name),
    HasMoreStreams: hasMore,
    ...(hasMore && last ? { NextToken: encodeToken({ after: last.name }) } : {}),
    StreamSummaries: page.map((s) => ({
      StreamName: s.name,
      StreamARN: s.arn,
      StreamStatus: s.status,
      StreamModeDetails: { StreamMode: s.mode },
      StreamCreationTimestamp: epochSeconds(s.createdAt),
    })),
  };
};
