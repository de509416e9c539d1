import { randomBytes } from 'node:crypto';
import type { LambdaInvoker } from '../lambda/invoker.ts';
import { S3Error } from './errors.ts';
import { child, children, childText, type XmlElement, type XmlNode } from './xml.ts';

/** One `LambdaFunctionConfiguration` (`CloudFunctionConfiguration` on the wire). */
export interface LambdaNotification {
  readonly id: string;
  readonly functionArn: string;
  readonly events: readonly string[];
  readonly filterRules: readonly FilterRule[];
}

export interface FilterRule {
  readonly name: 'prefix' | 'suffix';
  readonly value: string;
}

export interface BucketNotification {
  readonly lambdaFunctions: readonly LambdaNotification[];
}

export const EMPTY_NOTIFICATION: BucketNotification = { lambdaFunctions: [] };

/**
 * Event types S3 accepts in a notification configuration
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
 * The local cloud emits ObjectCreated:{Put,Copy,CompleteMultipartUpload} and ObjectRemoved:Delete.
 */
export const SUPPORTED_EVENTS: ReadonlySet<string> = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

/** Configuration kinds S3 has that the local cloud does not deliver to: refused, never silently kept. */
const UNSUPPORTED_KINDS: Readonly<Record<string, string>> = {
  QueueConfiguration: 'QueueConfigurations (SQS)',
  TopicConfiguration: 'TopicConfigurations (SNS)',
  EventBridgeConfiguration: 'EventBridgeConfiguration',
};

/** Does a configured event (`s3:ObjectCreated:*`) cover an emitted one (`ObjectCreated:Put`)? */
export function eventMatches(configured: string, eventName: string): boolean {
  const name = configured.replace(/^s3:/, '');
  return name.endsWith(':*') ? eventName.startsWith(name.slice(0, -1)) : name === eventName;
}

export function keyMatches(rules: readonly FilterRule[], key: string): boolean {
  return rules.every((rule) => (rule.name === 'prefix' ? key.startsWith(rule.value) : key.endsWith(rule.value)));
}

function eventsOverlap(a: string, b: string): boolean {
  const [x, y] = [a.replace(/^s3:/, ''), b.replace(/^s3:/, '')];
  const covers = (wide: string, narrow: string) =>
    wide === narrow || (wide.endsWith(':*') && narrow.startsWith(wide.slice(0, -1)));
  return covers(x, y) || covers(y, x);
}

function filtersOverlap(a: readonly FilterRule[], b: readonly FilterRule[]): boolean {
  const value = (rules: readonly FilterRule[], name: string) => rules.find((r) => r.name === name)?.value ?? '';
  const [pa, pb] = [value(a, 'prefix'), value(b, 'prefix')];
  const [sa, sb] = [value(a, 'suffix'), value(b, 'suffix')];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

const invalid = (message: string, name: string, value: string) =>
  new S3Error('InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });

/**
 * Parses and validates a PutBucketNotificationConfiguration body the way S3 does
 * (recorded: test/recordings/aws/s3-notification-config-lambda-errors.json).
 */
export function parseNotificationConfiguration(
  root: XmlElement,
  lambda: Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'>,
  { skipDestinationValidation = false } = {},
): BucketNotification {
  if (root.name !== 'NotificationConfiguration') throw new S3Error('MalformedXML');
  for (const element of root.children) {
    const kind = UNSUPPORTED_KINDS[element.name];
    if (kind !== undefined) {
      throw new S3Error(
        'NotImplemented',
        `The local cloud delivers bucket notifications to Lambda functions only; ${kind} are not implemented. Use LambdaFunctionConfigurations.`,
      );
    }
    if (element.name !== 'CloudFunctionConfiguration') throw new S3Error('MalformedXML');
  }
  const configs: LambdaNotification[] = children(root, 'CloudFunctionConfiguration').map((element) => {
    const functionArn = childText(element, 'CloudFunction');
    if (functionArn === undefined) throw new S3Error('MalformedXML');
    if (!LAMBDA_ARN.test(functionArn)) throw invalid('The ARN could not be parsed', 'CloudFunction', functionArn);
    const events = children(element, 'Event').map((e) => e.text.trim());
    if (events.length === 0) throw new S3Error('MalformedXML');
    for (const event of events) {
      if (!SUPPORTED_EVENTS.has(event)) throw invalid('The event is not supported for notifications', 'Event', event);
    }
    const filterRules: FilterRule[] = [];
    const s3Key = child(element, 'Filter') && child(child(element, 'Filter')!, 'S3Key');
    for (const rule of s3Key ? children(s3Key, 'FilterRule') : []) {
      const name = (childText(rule, 'Name') ?? '').toLowerCase();
      const value = child(rule, 'Value')?.text ?? '';
      if (name !== 'prefix' && name !== 'suffix') {
        throw invalid('filter rule name must be either prefix or suffix', 'FilterRule', childText(rule, 'Name') ?? '');
      }
      if (filterRules.some((r) => r.name === name)) {
        throw invalid(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule', name);
      }
      filterRules.push({ name, value });
    }
    const id = childText(element, 'Id') || randomBytes(24).toString('base64').replace(/[+/=]/g, '').slice(0, 32);
    return { id, functionArn, events, filterRules };
  });

  for (const [i, a] of configs.entries()) {
    for (const b of configs.slice(i + 1)) {
      const sharesEvent = a.events.some((x) => b.events.some((y) => eventsOverlap(x, y)));
      if (sharesEvent && filtersOverlap(a.filterRules, b.filterRules)) {
        throw invalid(
          'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
          'Event',
          a.events.find((x) => b.events.some((y) => eventsOverlap(x, y)))!,
        );
      }
    }
  }

  if (!skipDestinationValidation) {
    const missing = configs.filter((c) => !lambda.functionExists(c.functionArn));
    if (missing.length > 0) {
      const detail: Record<string, string> = {};
      for (const [i, c] of missing.entries()) {
        detail[`ArgumentName${i + 1}`] = `${c.functionArn}, null`;
        detail[`ArgumentValue${i + 1}`] = `Not authorized to invoke function [${c.functionArn}]`;
      }
      throw new S3Error('InvalidArgument', 'Unable to validate the following destination configurations', detail);
    }
  }
  return { lambdaFunctions: configs };
}

/** The `<NotificationConfiguration>` content GetBucketNotificationConfiguration returns. */
export function notificationToXml(notification: BucketNotification): XmlNode {
  return {
    CloudFunctionConfiguration: notification.lambdaFunctions.map((c) => ({
      Id: c.id,
      CloudFunction: c.functionArn,
      Event: [...c.events],
      Filter:
        c.filterRules.length === 0
          ? undefined
          : {
              S3Key: {
                // S3 answers the rule names capitalised, whatever case was sent.
                FilterRule: c.filterRules.map((r) => ({
                  Name: r.name === 'prefix' ? 'Prefix' : 'Suffix',
                  Value: r.value,
                })),
              },
            },
    })),
  };
}

/** Configurations that want this event for this key. */
export function matchingConfigurations(
  notification: BucketNotification,
  eventName: string,
  key: string,
): LambdaNotification[] {
  return notification.lambdaFunctions.filter(
    (c) => c.events.some((e) => eventMatches(e, eventName)) && keyMatches(c.filterRules, key),
  );
}
