/** The `cnn-studio` command: dispatches to a subcommand and turns errors into exit codes. */
import { ENGINE_VERSION } from '../engine/version';
import { CliInputError, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK } from './cli-error';
import { benchCommand } from './commands/bench';
import { dataCommand } from './commands/data';
import { evalCommand } from './commands/eval';
import { exportCommand } from './commands/export';
import { inspectCommand } from './commands/inspect';
import { predictCommand } from './commands/predict';
import { trainCommand } from './commands/train';
import type { CliIo } from './io';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  train: trainCommand,
  eval: evalCommand,
  export: exportCommand,
  data: dataCommand,
  inspect: inspectCommand,
  predict: predictCommand,
  bench: benchCommand,
};

export const MAIN_HELP = `Usage: cnn-studio COMMAND [options]

Commands:
  train    train a network spec on a dataset
  eval     loss, accuracy and confusion matrix of trained weights
  export   weights to safetensors, JSON, ONNX or a PyTorch script
  data     summarize a dataset
  inspect  one sample's feature maps, kernels and gradients as PNG images
  predict  the most probable classes of PNG or JPEG images
  bench    training speed of this engine on the benchmark workloads

Run "cnn-studio COMMAND --help" for a command's options.
Exit codes: 0 success, 1 training failed, 2 bad input (the message says what and where).
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name === undefined ? EXIT_BAD_INPUT : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`cnn-studio ${ENGINE_VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`cnn-studio: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof CliInputError) {
      io.stderr(`cnn-studio ${name}: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`cnn-studio ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
