import { layerLabel } from '../../engine/spec/issues';

/**
 * An issue's message as a sentence. On the layer's own card the leading "layer 3 (conv2d): " only repeats
 * the card's title, so it goes.
 */
export function issueText(message: string, card: { index: number | string; type: string } | null): string {
  const prefix = card ? `${layerLabel(card.index, card.type)}: ` : null;
  const text = prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
