import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';

/** The stream actions an event source mapping's function needs (AWS: "Execution role permissions"). */
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

/**
 * A Table whose stream grants name the table's stream, never `*`.
 *
 * `Table.grantStreamRead` (used by DynamoEventSource) also grants `dynamodb:ListStreams` on `*`,
 * which would let the function list every stream in the account. A mapping reads the stream ARN
 * it was given and does not list; aws-cdk-lib's own TableV2 scopes ListStreams the same way.
 */
export class StreamTable extends Table {
  override grantTableListStreams(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:ListStreams'], resourceArns: [this.streamArn()] });
  }

  override grantStreamRead(grantee: IGrantable): Grant {
    this.grantTableListStreams(grantee);
    return Grant.addToPrincipal({ grantee, actions: STREAM_READ_ACTIONS, resourceArns: [this.streamArn()] });
  }

  private streamArn(): string {
    if (this.tableStreamArn === undefined) throw new Error(`${this.node.path}: the table has no stream; set 'stream'`);
    return this.tableStreamArn;
  }
}
