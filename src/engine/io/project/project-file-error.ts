/** A project file that cannot be opened, naming the file (and the part of it) at fault and what to do. */
export class ProjectFileError extends Error {
  override readonly name = 'ProjectFileError';

  constructor(
    readonly fileName: string,
    /** The entry inside the bundle ("project.json", "weights.safetensors"), or null for the whole file. */
    readonly entry: string | null,
    problem: string,
    /** What to do; '' when `problem` already says it (a wrapped weights-file error). */
    advice: string = DAMAGED_ADVICE,
  ) {
    super(`${fileName}${entry === null ? '' : ` (${entry})`}: ${problem}${advice === '' ? '' : `; ${advice}`}`);
  }
}

export const DAMAGED_ADVICE =
  'the file is damaged or was not saved by CNN Studio; open an autosaved or older copy of the project';
