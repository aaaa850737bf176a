/**
 * Typed registration of invoke handlers: every payload is validated against the contract's schema
 * before the handler sees it, so a compromised or buggy renderer cannot pass arbitrary data to main.
 */
import { type IpcMainInvokeEvent, ipcMain } from 'electron';
import type { InvokeChannels } from '../shared/ipc-contract';
import { invokeRequestSchemas } from './ipc-schemas';

type Handler<K extends keyof InvokeChannels> = (
  request: InvokeChannels[K]['request'],
  event: IpcMainInvokeEvent,
) => Promise<InvokeChannels[K]['response']> | InvokeChannels[K]['response'];

/** Which frames may invoke; index.ts narrows it to the app page at startup (tests drive handlers directly). */
let isTrustedSender: (frameUrl: string | undefined) => boolean = () => true;

/** Only frames showing the app page may invoke: an iframe or a page navigated elsewhere is refused. */
export function restrictSenders(isAppFrame: (frameUrl: string) => boolean): void {
  isTrustedSender = (frameUrl) => frameUrl !== undefined && isAppFrame(frameUrl);
}

export function handle<K extends keyof InvokeChannels>(channel: K, handler: Handler<K>): void {
  const schema = invokeRequestSchemas[channel];
  ipcMain.handle(channel, (event, request: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      throw new Error(`${channel}: refused a request from a frame that is not the app page`);
    }
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      throw new Error(`${channel}: rejected an invalid request (${parsed.error.issues[0]?.message ?? 'bad payload'})`);
    }
    return handler(parsed.data, event);
  });
}
