/**
 * File ▸ Import weights… lives in the File menu, the picker in the Try panel: the menu raises a request, the
 * Results panel shows the Try tab and the panel opens its file picker.
 */
import { create } from 'zustand';

export const useWeightsImportRequest = create<{ requests: number; request(): void }>()((set) => ({
  requests: 0,
  request: () => set((state) => ({ requests: state.requests + 1 })),
}));
