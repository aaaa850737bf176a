/** `npm run bench -- --only fashion-resnet [--quick]`: the fashion-resnet line, printed (and the full bench's last line). */
import { fashionMnistAvailable } from './fashion-mnist';
import { measureFashionResnet } from './fashion-resnet';
import { formatFashionResnet } from './fashion-resnet-report';

export const ONLY_CHOICES = ['fashion-resnet'] as const;

export async function runFashionResnetLine(only: string | undefined, quick: boolean): Promise<void> {
  if (only !== 'fashion-resnet') {
    console.error(`bench: --only takes ${ONLY_CHOICES.join(', ')}, got ${only ?? 'nothing'}`);
    process.exit(2);
  }
  if (!fashionMnistAvailable()) {
    console.log('fashion-resnet: skipped, Fashion-MNIST is not installed (apt install dataset-fashion-mnist)\n');
    return;
  }
  const result = await measureFashionResnet({
    epochs: quick ? 1 : 5,
    trainSamples: quick ? 6400 : undefined,
    log: (line) => console.error(line),
  });
  console.log(formatFashionResnet(result));
}
