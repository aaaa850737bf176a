/** The app's store instance and the hook components read it with. */
import { useStore } from 'zustand';
import { browserStorage, readThreadsPreference } from '../training/threads-preference';
import { initialDocument } from './studio-document';
import { createStudioStore, type StudioState } from './studio-store';

export const studioStore = createStudioStore(initialDocument(), Date.now, readThreadsPreference(browserStorage()));

export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(studioStore, selector);
}
