/**
 * Files the user dropped or picked in the web build, kept by the document's name for them (upload-source.ts).
 * The document stores only that name (bytes have no place in an undo history); when undo or redo brings it
 * back, the engine sync finds the files here and sends them again with the load command. A name with no
 * files here (a project reopened in a new page) is data the user must choose again.
 */
import { baseName } from '../../engine/data/source/paths';
import { DEFAULT_DATA_SOURCE } from '../store/studio-document';
import { describeUpload } from './upload-source';

export interface UploadedFile {
  path: string;
  data: ArrayBuffer;
}

/** What the engine is sent for a document source: its SOURCE, with the files for an upload. */
export interface LoadRequest {
  source: string;
  files?: UploadedFile[];
}

/** A file the data was loaded from, for asking the user to choose it again; size null when unknown. */
export interface MissingFile {
  name: string;
  size: number | null;
}

export class UploadRegistry {
  private readonly byDocumentSource = new Map<string, LoadRequest>();
  /** Whether the host reads paths itself (the desktop app); the web page has only what the user gives it. */
  private readonly readsPaths: boolean;

  constructor({ readsPaths = true }: { readsPaths?: boolean } = {}) {
    this.readsPaths = readsPaths;
  }

  remember(documentSource: string, upload: Required<LoadRequest>): void {
    this.byDocumentSource.set(documentSource, upload);
  }

  /** The load command's source and files, or null when the files are not here (see missingFiles). */
  loadFor(documentSource: string): LoadRequest | null {
    const upload = this.byDocumentSource.get(documentSource);
    if (upload) return upload;
    return this.missingFiles(documentSource) === null ? { source: documentSource } : null;
  }

  /** The files to ask for when the data cannot be loaded from here; null when it can. */
  missingFiles(documentSource: string): MissingFile[] | null {
    if (this.byDocumentSource.has(documentSource)) return null;
    const facts = describeUpload(documentSource);
    if (facts) return facts.files;
    if (this.readsPaths || documentSource === DEFAULT_DATA_SOURCE) return null;
    return documentSource.split(',').map((path) => ({ name: baseName(path.trim()), size: null }));
  }
}
