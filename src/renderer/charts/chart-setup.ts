/**
 * chart.js with only the pieces these charts use registered (line charts on linear and log scales, tooltips),
 * so the bundle carries nothing else.
 */
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Filler);

export { Chart };
