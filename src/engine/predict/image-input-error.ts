/** An image given to `predict` that cannot be used (damaged, too large, not PNG/JPEG); the message names it. */
export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
}
