// AWS::Kinesis::Stream → CreateStream. Encryption and retention are not modelled locally.
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { errorName, exists, type Provisioner, waitFor } from './types.ts';

export const kinesisStream: Provisioner = {
  async apply(properties, context) {
    const name = (properties.Name as string | undefined) ?? context.physicalName({ maxLength: 128 });
    const mode = (properties.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode ?? 'PROVISIONED';
    try {
      await context.clients.kinesis.send(
        new CreateStreamCommand({
          StreamName: name,
          ShardCount: mode === 'ON_DEMAND' ? undefined : ((properties.ShardCount as number | undefined) ?? 1),
          StreamModeDetails: { StreamMode: mode as never },
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceInUseException') throw error;
      context.log('stream exists: kept as it is (resharding is not done locally)');
    }
    let summary: StreamDescriptionSummary | undefined;
    await waitFor(async () => {
      summary = (await context.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
        .StreamDescriptionSummary;
      return summary?.StreamStatus === 'ACTIVE';
    }, `stream ${name} to become ACTIVE`);
    return { physicalId: name, attributes: { Arn: summary!.StreamARN } };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.kinesis.send(new DeleteStreamCommand({ StreamName: deployed.physicalId }));
  },
};
