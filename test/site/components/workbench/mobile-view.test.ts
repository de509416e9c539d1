import { ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { validateClick } from '../../../../scenarios/mobile-clicks/handler.ts';
import {
  clickPayload,
  decodePayload,
  describeAnswer,
  describeAwsError,
  expiryText,
  needsRenewal,
} from '../../../../site/components/workbench/mobile/view.ts';

describe('mobile client helpers', () => {
  it('describes an AccessDenied from the SDK as a denial', () => {
    const error = Object.assign(new Error('User: arn:aws:sts::0:assumed-role/Unauth/x is not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403, requestId: 'req-1' },
    });
    expect(describeAwsError(error)).toEqual({
      code: 'AccessDeniedException',
      status: 403,
      requestId: 'req-1',
      message: 'User: arn:aws:sts::0:assumed-role/Unauth/x is not authorized',
      denied: true,
    });
  });

  it('tells other SDK errors and network failures apart from denials', () => {
    const missing = new ResourceNotFoundException({
      message: 'Function not found',
      $metadata: { httpStatusCode: 404 },
    });
    expect(describeAwsError(missing)).toMatchObject({ code: 'ResourceNotFoundException', status: 404, denied: false });
    const network = describeAwsError(new TypeError('Failed to fetch'));
    expect(network.denied).toBe(false);
    expect(network.message).toMatch(/could not reach the endpoint/);
    expect(describeAwsError('boom')).toEqual({ code: 'Error', message: 'boom', denied: false });
  });

  it('says when credentials expire', () => {
    const now = new Date(2024, 4, 14, 12, 0, 0);
    expect(expiryText(new Date(2024, 4, 14, 13, 0, 0), now)).toBe('expire at 13:00:00 (in 60 min)');
    expect(expiryText(new Date(2024, 4, 14, 12, 0, 30), now)).toBe('expire at 12:00:30 (in under a minute)');
    expect(expiryText(new Date(2024, 4, 14, 11, 57, 0), now)).toBe('expired at 11:57:00 (3 min ago)');
    expect(needsRenewal(undefined, now)).toBe(true);
    expect(needsRenewal(new Date(2024, 4, 14, 12, 0, 30), now)).toBe(true);
    expect(needsRenewal(new Date(2024, 4, 14, 13, 0, 0), now)).toBe(false);
  });

  it('sends a click the handler accepts, with the identity id as client id', () => {
    const payload = clickPayload('like', 'us-east-1:7c5e1a2b-3d4f-4a5b-8c6d-9e0f1a2b3c4d');
    expect(validateClick(payload)).toEqual(payload);
  });

  it('reads the function answer', () => {
    expect(describeAnswer({ button: 'like', count: 3 })).toBe('like: 3 taps in total');
    expect(describeAnswer({ button: 'like', count: 1 })).toBe('like: 1 tap in total');
    expect(describeAnswer({ error: 'InvalidRequest', message: 'bad' })).toBe('InvalidRequest: bad');
    expect(describeAnswer({ errorType: 'TypeError', errorMessage: 'x is undefined' }, 'Unhandled')).toBe(
      'The function failed (Unhandled): TypeError: x is undefined',
    );
    expect(decodePayload(new TextEncoder().encode('{"count":2}'))).toEqual({ count: 2 });
    expect(decodePayload(new TextEncoder().encode('plain'))).toBe('plain');
    expect(decodePayload(undefined)).toBeUndefined();
  });
});
