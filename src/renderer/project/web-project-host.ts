/**
 * The web build's ProjectHost: Open is a file picker, Save and Export are downloads, and the autosave lives
 * in the page's local storage (best effort: a bundle too large for the storage quota is simply not kept).
 */
import type { HostResult, OpenedFile, ProjectHost, RecoveredWork } from './project-host';

const AUTOSAVE_KEY = 'cnn-studio:autosave';

export function webProjectHost(): ProjectHost {
  return {
    open: pickFile,
    save: async (_path, name, data) => {
      const fileName = name.endsWith('.cnnstudio') ? name : `${name}.cnnstudio`;
      download(fileName, data);
      return { ok: true, name: fileName, path: null };
    },
    saveExport: async (fileName, data, companions) => {
      download(fileName, data);
      for (const companion of companions) download(companion.fileName, companion.data);
      return { ok: true, name: fileName };
    },
    reportState: () => undefined,
    autosave: async (name, path, data) => {
      const work = { name, path, savedAt: new Date().toISOString(), data: toBase64(data) };
      try {
        localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(work));
      } catch {
        localStorage.removeItem(AUTOSAVE_KEY);
      }
    },
    clearAutosave: async () => localStorage.removeItem(AUTOSAVE_KEY),
    recovery: async () => readAutosave(),
  };
}

function pickFile(): Promise<HostResult<OpenedFile> | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.cnnstudio';
    input.dataset.testid = 'project-file-input';
    input.hidden = true;
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.remove();
      if (!file) return resolve(null);
      resolve({ ok: true, name: file.name, path: null, data: await file.arrayBuffer() });
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(null);
    });
    document.body.append(input);
    input.click();
  });
}

function download(fileName: string, data: ArrayBuffer): void {
  const url = URL.createObjectURL(new Blob([data]));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started from the link; the URL is kept a moment for browsers that read it lazily.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function readAutosave(): RecoveredWork | null {
  try {
    const work = JSON.parse(localStorage.getItem(AUTOSAVE_KEY) ?? 'null');
    if (typeof work?.name !== 'string' || typeof work.data !== 'string' || typeof work.savedAt !== 'string')
      return null;
    return { name: work.name, path: null, savedAt: work.savedAt, data: fromBase64(work.data) };
  } catch {
    return null;
  }
}

function toBase64(data: ArrayBuffer): string {
  const bytes = new Uint8Array(data);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): ArrayBuffer {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0)).buffer;
}
