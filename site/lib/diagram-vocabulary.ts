// One vocabulary for every flow diagram of the workbook: the lesson's sketches (FlowSketch.astro)
// and the workbench's diagram drawn from the deployed template say the same thing for the same
// kind of box.

/** What a box of a flow diagram stands for; decides its outline, colour and caption. */
export const DIAGRAM_NODE_KINDS = [
  'client',
  'api',
  'bucket',
  'table',
  'stream',
  'function',
  'identity-pool',
  'role',
  'queue-or-topic',
] as const;

export type DiagramNodeKind = (typeof DIAGRAM_NODE_KINDS)[number];

/** What a learner calls each kind of box (the caption above its label, unless a sketch names its own). */
export const KIND_CAPTIONS: Readonly<Record<DiagramNodeKind, string>> = {
  client: 'Client',
  api: 'HTTP API',
  bucket: 'S3 bucket',
  table: 'DynamoDB table',
  // A template's streams are Kinesis streams (a DynamoDB stream belongs to its table); a lesson
  // sketch of a DynamoDB stream names its own caption.
  stream: 'Kinesis stream',
  function: 'Lambda function',
  'identity-pool': 'Cognito identity pool',
  role: 'IAM role',
  'queue-or-topic': 'Queue / topic',
};
