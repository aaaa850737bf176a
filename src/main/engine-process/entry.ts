/** Entry of the engine utility process (forked by main's EngineProcessHost). */
import { type ParentPort, serveEngine } from './serve';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  throw new Error('engine-process entry must run in an Electron utility process (process.parentPort is missing)');
}
serveEngine(parentPort);
