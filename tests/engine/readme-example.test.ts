/** The README's engine example is examples/engine-api.ts verbatim, and it runs and learns. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('README engine example', () => {
  it('is the example file, word for word', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const example = readFileSync(new URL('examples/engine-api.ts', root), 'utf8');
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it('trains the toy network to at least 95% accuracy', async () => {
    const { accuracy } = await import('../../examples/engine-api');
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
