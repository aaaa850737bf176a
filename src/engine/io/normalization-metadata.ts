/**
 * The input normalization a network was trained with travels in the weights file's safetensors metadata
 * (a string map), so evaluation, prediction and export of those weights apply the same transform.
 * PyTorch's safetensors.torch.load_file ignores metadata, so such files stay loadable there.
 */
import { z } from 'zod';
import type { Normalization } from '../data/dataset';
import { WeightsFileError } from './safetensors';

const NORMALIZATION_KEY = 'cnn-studio.normalization';

const normalizationSchema = z.object({
  mean: z.array(z.number().finite()).min(1),
  std: z.array(z.number().finite().positive()).min(1),
});

export function normalizationMetadata(normalization: Normalization | undefined): Record<string, string> | undefined {
  return normalization ? { [NORMALIZATION_KEY]: JSON.stringify(normalization) } : undefined;
}

/** The normalization recorded in `metadata`, or undefined when there is none. */
export function readNormalizationMetadata(
  metadata: Record<string, string>,
  fileName: string,
  channels: number,
): Normalization | undefined {
  const text = metadata[NORMALIZATION_KEY];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = normalizationSchema.safeParse(value);
  const fits = parsed.success && parsed.data.mean.length === channels && parsed.data.std.length === channels;
  if (!parsed.success || !fits) {
    throw new WeightsFileError(
      fileName,
      null,
      `metadata "${NORMALIZATION_KEY}" must hold {"mean": [...], "std": [...]} with ${channels} positive std values, got ${text.slice(0, 200)}`,
      'export the weights again from CNN Studio, or remove this metadata entry to use the weights without normalization',
    );
  }
  return parsed.data;
}
