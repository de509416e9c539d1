import { describe, expect, it } from 'vitest';
import { parseLearners, readSettings } from '../../../infra/cdk/settings.ts';

const settings = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('context settings', () => {
  it('defaults to one shared copy, reserved concurrency 2, with the Kinesis variant', () => {
    expect(settings({})).toEqual({
      learners: [],
      reservedConcurrency: 2,
      kinesis: true,
      budget: undefined,
      budgetEmail: undefined,
    });
  });

  it.each([
    ['ada,grace', ['ada', 'grace']],
    [' ada , grace ', ['ada', 'grace']],
    ['2', ['learner1', 'learner2']],
    [3, ['learner1', 'learner2', 'learner3']],
  ])('reads learners=%j as %j', (value, expected) => {
    expect(parseLearners(value)).toEqual(expected);
  });

  it.each([
    ['Ada', 'learners="Ada" is invalid: \'Ada\' is not a learner name'],
    ['ada-lovelace', "'ada-lovelace' is not a learner name"],
    ['ada,,grace', "'' is not a learner name"],
    ['ada,ada', "'ada' appears twice"],
    ['0', 'a count must be from 1 to 100'],
    ['101', 'a count must be from 1 to 100'],
  ])('rejects learners=%j, naming the bad value', (value, message) => {
    expect(() => parseLearners(value)).toThrow(message);
  });

  it.each([
    [{ budget: 'fifty', budgetEmail: 'a@b.co' }, 'budget="fifty" is invalid'],
    [{ budget: '-5', budgetEmail: 'a@b.co' }, 'budget="-5" is invalid'],
    [{ budget: '50' }, 'budgetEmail=undefined is invalid: a budget needs an email address'],
    [{ budget: '50', budgetEmail: 'teacher' }, 'budgetEmail="teacher" is invalid'],
    [{ budgetEmail: 'a@b.co' }, 'it only applies with a budget'],
    [{ reservedConcurrency: '0' }, 'reservedConcurrency="0" is invalid: expected an integer from 1 to 100'],
    [{ reservedConcurrency: '2.5' }, 'reservedConcurrency="2.5" is invalid'],
    [{ kinesis: 'no' }, 'kinesis="no" is invalid: expected true or false'],
  ])('rejects %j with a message naming the value', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });

  it('reads a budget with its email', () => {
    expect(settings({ budget: '75.5', budgetEmail: 'teacher@example.com' })).toMatchObject({
      budget: 75.5,
      budgetEmail: 'teacher@example.com',
    });
  });
});
