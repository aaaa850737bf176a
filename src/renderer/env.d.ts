/// <reference types="vite/client" />
import type { CnnStudioApi } from '../preload/api';

declare global {
  interface Window {
    /** Present only in the desktop app (exposed by preload). */
    cnnStudio?: CnnStudioApi;
  }
}
