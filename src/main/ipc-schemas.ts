/** Runtime validation of every invoke payload named in ipc-contract.ts. */
import { z } from 'zod';
import type { InvokeChannels } from '../shared/ipc-contract';

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
  'data:confirm-source': z.object({ source: z.string().min(1).max(4096), projectName: z.string().max(255) }),
  'project:open': z.object({ path: z.string().min(1).max(4096).nullable() }),
  'project:save': z.object({
    path: z.string().min(1).max(4096).nullable(),
    defaultName: z.string().max(255),
    data: z.instanceof(ArrayBuffer),
  }),
  'project:recent': z.undefined(),
  'project:set-state': z.object({ name: z.string().max(255), dirty: z.boolean() }),
  'project:autosave': z.object({
    name: z.string().max(255),
    path: z.string().min(1).max(4096).nullable(),
    data: z.instanceof(ArrayBuffer),
  }),
  'project:clear-autosave': z.undefined(),
  'project:recovery': z.undefined(),
  'export:save': z.object({
    defaultName: z.string().regex(/^[\w.-]{1,255}$/),
    data: z.instanceof(ArrayBuffer),
    companions: z
      .array(z.object({ fileName: z.string().regex(/^[\w-][\w.-]{0,254}$/), data: z.instanceof(ArrayBuffer) }))
      .max(4),
  }),
};
