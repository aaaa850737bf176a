/** How a SOURCE reads in the data panel: the builtin by name, a path by its last part (the full path on hover). */
import { describeUpload, formatBytes, uploadFileList } from './upload-source';

export function sourceLabel(source: string): string {
  if (source === 'builtin:mnist') return 'Built-in MNIST digits';
  const upload = describeUpload(source);
  if (upload) {
    const [first, second] = upload.files;
    if (upload.count === 1) return `${first.name} (${formatBytes(first.size)})`;
    const names = upload.count === 2 ? `${first.name} + ${second.name}` : `${first.name} + ${upload.count - 1} more`;
    return `${names} (${formatBytes(upload.bytes)})`;
  }
  return source
    .split(',')
    .map((part) => part.trim().split(/[\\/]/).filter(Boolean).pop() ?? part)
    .join(' + ');
}

/** The hover text: the full path, or every uploaded file named with its size. */
export function sourceTitle(source: string): string {
  const upload = describeUpload(source);
  return upload ? `Uploaded: ${uploadFileList(upload)}` : source;
}
