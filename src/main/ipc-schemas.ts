/** Runtime validation of every invoke payload named in ipc-contract.ts. */
import { z } from 'zod';
import type { InvokeChannels } from './ipc-contract';

const fileFilterSchema = z.object({
  name: z.string().max(200),
  extensions: z.array(z.string().regex(/^[\w*]{1,16}$/)).max(32),
});

export const invokeRequestSchemas: { [K in keyof InvokeChannels]: z.ZodType<InvokeChannels[K]['request']> } = {
  'app:info': z.undefined(),
  'dialog:open': z.object({
    title: z.string().max(200),
    filters: z.array(fileFilterSchema).max(16),
    directory: z.boolean(),
    multiple: z.boolean(),
  }),
  'dialog:save': z.object({
    title: z.string().max(200),
    defaultName: z.string().max(255),
    filters: z.array(fileFilterSchema).max(16),
  }),
  'engine:restart': z.undefined(),
};
