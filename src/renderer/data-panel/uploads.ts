/**
 * Files the user dropped or picked in the web build, kept by the SOURCE string they were loaded as. The
 * document stores only that string (bytes have no place in an undo history); when undo or redo brings the
 * string back, the engine sync finds the files here and sends them again with the load command.
 */
export interface UploadedFile {
  path: string;
  data: ArrayBuffer;
}

export class UploadRegistry {
  private readonly bySource = new Map<string, UploadedFile[]>();

  remember(source: string, files: UploadedFile[]): void {
    this.bySource.set(source, files);
  }

  filesFor(source: string): UploadedFile[] | undefined {
    return this.bySource.get(source);
  }
}
