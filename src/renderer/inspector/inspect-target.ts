/**
 * Which sample the inspector looks at. Any view that shows samples (data grid, confusion matrix,
 * misclassified list) calls `request` to point the inspector at one; the inspector reads `target`.
 */
import { create } from 'zustand';
import type { DataPart } from '../../engine/protocol';

export interface InspectTarget {
  part: DataPart;
  index: number;
}

export interface InspectTargetState {
  target: InspectTarget | null;
  request(part: DataPart, index: number): void;
}

export const useInspectTarget = create<InspectTargetState>()((set) => ({
  target: null,
  request: (part, index) => set({ target: { part, index } }),
}));
