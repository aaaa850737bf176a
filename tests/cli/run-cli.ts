/** Runs the `cnn-studio` command in-process and captures what it prints. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/io';
import { runCli } from '../../src/cli/main';
import { TOY_NETWORK, toyNpz } from '../protocol/toy-data';
import { tempFolder } from '../temp-folder';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: false,
    columns: 100,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A temporary folder holding the toy dataset (toy.npz) and its network (net.json), removed after use (temp-folder.ts). */
export function workspace(): { dir: string; npz: string; net: string } {
  const dir = tempFolder('cli');
  const npz = join(dir, 'toy.npz');
  const net = join(dir, 'net.json');
  writeFileSync(npz, toyNpz(96));
  writeFileSync(net, JSON.stringify(TOY_NETWORK));
  return { dir, npz, net };
}
