/**
 * The renderer's policy, identical to the meta tag in src/renderer/index.html (a test keeps them equal).
 * 'wasm-unsafe-eval' lets the page compile WebAssembly without allowing eval; styles may be inline because
 * React sets style attributes.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
