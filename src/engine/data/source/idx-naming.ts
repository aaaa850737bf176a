/**
 * The MNIST file naming rule that pairs an IDX images file with its labels file:
 * train-images-idx3-ubyte[.gz] ↔ train-labels-idx1-ubyte[.gz], t10k-… likewise, and in general a name with
 * "images" and "idx3" pairs with the name that has "labels" and "idx1" in their place (emnist-digits-
 * train-images-idx3-ubyte, X-images.idx3-ubyte, …). Matching ignores case and a ".gz" suffix.
 */
import { plainName } from './paths';

export function isIdxImagesName(name: string): boolean {
  const plain = plainName(name);
  return plain.includes('images') && plain.includes('idx3');
}

/** The plain (lower-case, no .gz) name the labels file must have, or null when `imagesName` has no such name. */
export function idxLabelsPlainName(imagesName: string): string | null {
  if (!isIdxImagesName(imagesName)) return null;
  const plain = plainName(imagesName);
  const at = plain.lastIndexOf('images');
  const renamed = `${plain.slice(0, at)}labels${plain.slice(at + 'images'.length)}`;
  return renamed.replace(/idx3/g, 'idx1');
}

/** Among `names`, the labels file for `imagesName`; the uncompressed one when both exist. */
export function findIdxLabelsName(imagesName: string, names: string[]): string | undefined {
  const wanted = idxLabelsPlainName(imagesName);
  const matches = names.filter((name) => plainName(name) === wanted);
  return matches.find((name) => !/\.gz$/i.test(name)) ?? matches[0];
}

/** Which split a file name denotes: MNIST's "t10k" and "test" mean test, "train" means train. */
export function splitRole(name: string): 'train' | 'test' | undefined {
  const plain = plainName(name);
  if (plain.includes('t10k') || plain.includes('test')) return 'test';
  if (plain.includes('train')) return 'train';
  return undefined;
}
