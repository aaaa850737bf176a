/**
 * The desktop window's minimum size (main sets it as minWidth/minHeight); the renderer's layout works down to it
 * and tests/e2e/small-window.e2e.ts looks at it. Fits a 1366×768 screen at 125% scaling with a taskbar.
 */
export const MIN_WINDOW_SIZE = { width: 800, height: 560 } as const;
