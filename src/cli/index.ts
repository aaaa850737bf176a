/** Entry of the built `cnn-studio` script (out/cli/cnn-studio.mjs). */
import { processIo } from './io';
import { runCli } from './main';

runCli(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
