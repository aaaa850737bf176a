/**
 * The data layer's public API: parsers (bytes in, typed arrays out), SOURCE resolution through a host's
 * FileSource, splits, normalization and summaries. Host FileSources (source/node-files.ts,
 * source/browser-files.ts) are imported by the hosts directly, never through here, so this index stays pure.
 */
export { datasetFromArrays } from './arrays';
export { parseCifar10, parseCifarMeta } from './cifar';
export { type CsvOptions, parseCsv } from './csv';
export { type Dataset, type DatasetSplits, fillBatch, type Normalization } from './dataset';
export { DataError, type DataErrorDetails } from './errors';
export { gunzipIfCompressed, isGzip } from './gzip';
export { type IdxImages, type NamedBytes, parseIdxDataset, parseIdxImages, parseIdxLabels } from './idx';
export { type DecodedImage, decodeImage } from './image-decode';
export { buildImageFolderDataset, type ImageFolderOptions, type LabeledImageFile } from './image-folder';
export { CIFAR10_CLASSES, FASHION_MNIST_CLASSES } from './known-classes';
export { MAX_ARRAY_BYTES } from './limits';
export { computeNormalization } from './normalize';
export { type NpyArray, parseNpy } from './npy';
export { parseNpz } from './npz';
export { resizeImage } from './resize';
export type { FileEntry, FileSource, FileStat } from './source/files';
export { type LoadedSource, resolveSource, type SourceFormat, type SourceOptions } from './source/resolve';
export { allIndices, type SplitIndices, splitValidation, subsetDataset } from './split';
export {
  type DatasetSummary,
  type NamedPart,
  type PartSummary,
  type PreviewImage,
  type SampleImage,
  samplePixels,
  summarizeDataset,
} from './summary';
