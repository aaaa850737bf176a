/**
 * Where the data comes from: the builtin digits, files, or a folder. The desktop app asks main for a native
 * dialog and sends the chosen path as the SOURCE; the web build reads the picked files itself and sends their
 * bytes (the engine's Worker cannot reach the disk).
 */
import { type ChangeEvent, useRef } from 'react';
import type { RunController } from '../run/run-controller';
import { DEFAULT_DATA_SOURCE } from '../store/studio-document';
import { openDataRequest } from './open-data-request';
import { readPickedFiles } from './read-dropped';
import { uploadOf } from './read-upload';
import { formatBytes } from './upload-source';
import type { MissingFile } from './uploads';

export function SourcePicker({
  controller,
  disabled,
  missing,
}: {
  controller: RunController;
  disabled: boolean;
  /** Files the document names that this page does not have (a reopened project): asked for by name. */
  missing: MissingFile[] | null;
}) {
  const filesInput = useRef<HTMLInputElement | null>(null);
  const folderInput = useRef<HTMLInputElement | null>(null);
  const desktop = window.cnnStudio;

  const openNative = async (directory: boolean) => {
    const paths = await desktop?.dialogs.open(openDataRequest(directory));
    // Two files picked together are IMAGES,LABELS (IDX or .npy); the engine says so if they are not.
    if (paths && paths.length > 0) controller.chooseSource(paths.join(','));
  };

  const onPicked = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    if (!input.files || input.files.length === 0) return;
    const upload = uploadOf(await readPickedFiles(input.files));
    input.value = '';
    controller.chooseSource(upload.source, upload.files);
  };

  const pickFiles = () => (desktop ? openNative(false) : filesInput.current?.click());
  const pickFolder = () => (desktop ? openNative(true) : folderInput.current?.click());
  return (
    <>
      {missing ? <MissingDataNote files={missing} onPickFiles={pickFiles} onPickFolder={pickFolder} /> : null}
      <div className="source-picker">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => controller.chooseSource(DEFAULT_DATA_SOURCE)}
          title="10,000 handwritten digits that ship with CNN Studio"
        >
          MNIST
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={pickFiles}
          title=".npz, .csv, IDX (.gz), CIFAR-10 .bin, or images and labels together"
        >
          Open files…
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={pickFolder}
          title="A folder of IDX files, CIFAR-10 batches, or one subfolder of images per class"
        >
          Open folder…
        </button>
        {desktop ? null : (
          <>
            <input ref={filesInput} type="file" multiple hidden onChange={onPicked} data-testid="pick-files" />
            <input
              ref={folderInput}
              type="file"
              hidden
              onChange={onPicked}
              {...{ webkitdirectory: '' }}
              data-testid="pick-folder"
            />
          </>
        )}
      </div>
    </>
  );
}

/** Says which files the project was trained on and offers the picker: the page cannot reopen files itself. */
function MissingDataNote({
  files,
  onPickFiles,
  onPickFolder,
}: {
  files: MissingFile[];
  onPickFiles: () => void;
  onPickFolder: () => void;
}) {
  const named = files.map((file) => (file.size === null ? file.name : `${file.name} (${formatBytes(file.size)})`));
  return (
    <div className="missing-data" role="alert" data-testid="data-missing">
      <p className="missing-data__text">
        <strong>Choose the data again.</strong> This project was trained on {named.join(', ')}, chosen from this
        computer. A web page cannot reopen files by itself, so choose the same {files.length === 1 ? 'file' : 'files'}{' '}
        again (or other data).
      </p>
      <span className="missing-data__buttons">
        <button type="button" className="button button--primary" onClick={onPickFiles}>
          Choose files…
        </button>
        <button type="button" className="button" onClick={onPickFolder}>
          Choose folder…
        </button>
      </span>
    </div>
  );
}
