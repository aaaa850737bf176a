/**
 * Every message between the UI (or CLI) and the engine session, typed once and validated on arrival.
 * Commands flow in, events flow out. A message that fails validation gets an `error` event
 * (code 'bad-message'), never a crash.
 */
import { z } from 'zod';

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.number().int() }),
]);

export type EngineCommand = z.infer<typeof commandSchema>;

export type EngineErrorCode = 'bad-message' | 'internal';

export type EngineEvent =
  | { type: 'pong'; id: number; engineVersion: string }
  | { type: 'error'; code: EngineErrorCode; message: string; hint: string };

export type ParsedCommand = { ok: true; command: EngineCommand } | { ok: false; message: string };

export function parseCommand(raw: unknown): ParsedCommand {
  const result = commandSchema.safeParse(raw);
  if (result.success) return { ok: true, command: result.data };
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
  return { ok: false, message: `invalid engine command${where}: ${issue.message}` };
}
