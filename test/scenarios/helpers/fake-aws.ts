import { vi } from 'vitest';

/** What a fake answers for one command: its output, or an error to throw. */
type Answer = (input: Record<string, unknown>) => unknown;

export interface SentCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * A tiny fake for an AWS SDK v3 client class: every `send` of any instance (the handlers create
 * theirs at module scope) is recorded and answered by the function registered for the command's
 * name. An unregistered command fails the test loudly.
 */
export function fakeClient(clientClass: { prototype: { send: unknown } }, answers: Record<string, Answer> = {}) {
  const sent: SentCommand[] = [];
  const handlers = { ...answers };
  const spy = vi
    .spyOn(clientClass.prototype as { send: (command: unknown) => Promise<unknown> }, 'send')
    .mockImplementation(async (command: unknown) => {
      const { name } = (command as object).constructor;
      const input = (command as { input: Record<string, unknown> }).input;
      sent.push({ name, input });
      const answer = handlers[name];
      if (answer === undefined) throw new Error(`fake client: no answer registered for ${name}`);
      return answer(input);
    });
  return {
    sent,
    /** Commands of one kind, in order. */
    inputsOf: (name: string) => sent.filter((command) => command.name === name).map((command) => command.input),
    on(name: string, answer: Answer) {
      handlers[name] = answer;
    },
    restore: () => spy.mockRestore(),
  };
}
