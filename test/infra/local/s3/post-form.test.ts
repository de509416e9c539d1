import { createHmac } from 'node:crypto';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketName, type S3TestCloud, s3Client, startS3Cloud } from '../../../helpers/s3-cloud.ts';

let cloud: S3TestCloud;
let s3: S3Client;
beforeAll(async () => {
  cloud = await startS3Cloud();
  s3 = s3Client(cloud);
});
afterAll(async () => {
  s3?.destroy();
  await cloud?.close();
});

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * The form fields of a browser-based upload as AWS documents them ("Browser-based uploads using
 * POST (AWS Signature Version 4)"): a base64 POST policy, signed with SigV4's signing key.
 */
function signedPostForm(bucket: string, key: string): FormData {
  const now = new Date();
  const amzDate = `${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const day = amzDate.slice(0, 8);
  const credential = `test/${day}/us-east-1/s3/aws4_request`;
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(now.getTime() + 600_000).toISOString(),
      conditions: [
        { bucket },
        { key },
        { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
        { 'x-amz-credential': credential },
        { 'x-amz-date': amzDate },
      ],
    }),
  ).toString('base64');
  const signingKey = hmac(hmac(hmac(hmac('AWS4test', day), 'us-east-1'), 's3'), 'aws4_request');
  const form = new FormData();
  form.set('key', key);
  form.set('x-amz-algorithm', 'AWS4-HMAC-SHA256');
  form.set('x-amz-credential', credential);
  form.set('x-amz-date', amzDate);
  form.set('policy', policy);
  form.set('x-amz-signature', hmac(signingKey, policy).toString('hex'));
  form.set('file', new Blob(['hello']), 'hello.txt');
  return form;
}

describe('browser-form POST upload', () => {
  it('is refused by S3 itself with NotImplemented naming the feature, not as anonymous access', async () => {
    // Prepare
    const Bucket = bucketName('form');
    await s3.send(new CreateBucketCommand({ Bucket }));

    // Act
    const response = await fetch(`${cloud.endpoint}/${Bucket}`, {
      method: 'POST',
      body: signedPostForm(Bucket, 'uploads/hello.txt'),
    });
    const body = await response.text();

    // Assess
    expect(response.status).toBe(501);
    expect(body).toContain('<Code>NotImplemented</Code>');
    expect(body).toContain('PostObject (HTML form upload)');
    expect(body).not.toContain('Anonymous');
  });
});
