/** The Node side of a session host, shared by the engine utility process and the CLI. */
import { performance } from 'node:perf_hooks';
import type { SessionHost } from '../../engine/session/host';
import { createNodeFileSource } from './node-files';

export function nodeSessionHost(post: SessionHost['post'], resourcesDir: string): SessionHost {
  return {
    post,
    files: createNodeFileSource(),
    resourcesDir,
    // setImmediate runs after pending I/O callbacks, which is where port messages (pause, stop) arrive.
    yieldToMessages: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
  };
}
