/** Turns anything the engine throws into an error event a person can act on. */
import { DataError } from '../data/errors';
import { ProjectFileError } from '../io/project/project-file-error';
import { WeightsFileError } from '../io/safetensors';
import { SpecError } from '../network';
import { ImageInputError } from '../predict/image-input-error';
import type { EngineErrorCode, EngineEvent } from '../protocol';
import { NonFiniteLossError } from '../trainer/non-finite-loss-error';
import { MemoryLimitError } from './memory-limit';
import { NotReadyError } from './not-ready-error';
import { PredictInputError } from './predict-images';

type ErrorEvent = Extract<EngineEvent, { type: 'error' }>;

/** `requestId`: the command the error answers (null when none); `runId`: the run it concerns, if any. */
export function errorEvent(
  error: unknown,
  context: string,
  requestId: number | null,
  runId: number | null = null,
): ErrorEvent {
  const ids = { requestId, runId };
  const message = error instanceof Error ? error.message : String(error);
  const known: [new (...args: never[]) => Error, EngineErrorCode, string][] = [
    [DataError, 'bad-data', 'Fix or replace the file, then load it again; your network and settings are unchanged.'],
    [SpecError, 'bad-network', 'Fix the marked layer in the network editor.'],
    [WeightsFileError, 'bad-weights', 'Choose a weights file exported for this network.'],
    [NonFiniteLossError, 'diverged', 'Lower the learning rate and train again.'],
    [ProjectFileError, 'bad-project', 'Your current work is unchanged; choose another project file.'],
    [ImageInputError, 'bad-image', 'Choose a PNG or JPEG image; the network and everything else are unchanged.'],
    [PredictInputError, 'bad-data', 'Send float32 images of the network input shape, pixels scaled to [0,1].'],
  ];
  if (error instanceof NotReadyError) return { type: 'error', ...ids, code: 'not-ready', message, hint: error.hint };
  if (error instanceof MemoryLimitError) return { type: 'error', ...ids, code: 'too-large', message, hint: error.hint };
  for (const [type, code, hint] of known) {
    if (error instanceof type) return { type: 'error', ...ids, code, message, hint };
  }
  return {
    type: 'error',
    ...ids,
    code: 'internal',
    message: `${context}: ${message}`,
    hint: 'This looks like a bug in CNN Studio. Your work is kept; please report the message above.',
  };
}
