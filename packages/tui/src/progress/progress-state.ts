import type { CopyEvent, CopySummary } from '@nextdeploy/core';

/** One blob being transferred right now. */
export interface ActiveBlob {
  digest: string;
  size: number;
  bytes: number;
  startedAt: number;
}

/** What a progress display needs, folded from CopyEvents; no I/O, so it is testable and reusable. */
export interface TransferState {
  startedAt: number;
  totalBlobs: number;
  totalBytes: number;
  /** Blobs finished any way (copied, skipped, mounted). */
  finishedBlobs: number;
  /** Bytes accounted for: transferred, plus the sizes of skipped and mounted blobs. */
  doneBytes: number;
  /** Bytes actually read from the source in this run (what speed is computed from). */
  movedBytes: number;
  active: Map<string, ActiveBlob>;
  summary?: CopySummary;
}

export function initialState(now: number): TransferState {
  return { startedAt: now, totalBlobs: 0, totalBytes: 0, finishedBlobs: 0, doneBytes: 0, movedBytes: 0, active: new Map() };
}

/** Applies one event; mutates and returns `state` (events arrive far too often for copies). */
export function applyEvent(state: TransferState, event: CopyEvent, now: number): TransferState {
  switch (event.type) {
    case 'image-start':
      state.totalBlobs = event.blobs;
      state.totalBytes = event.bytes;
      break;
    case 'blob-start':
      state.active.set(event.digest, { digest: event.digest, size: event.size, bytes: 0, startedAt: now });
      break;
    case 'blob-progress': {
      const blob = state.active.get(event.digest);
      if (blob) {
        state.movedBytes += event.bytes - blob.bytes;
        state.doneBytes += event.bytes - blob.bytes;
        blob.bytes = event.bytes;
      }
      break;
    }
    case 'blob-done': {
      const blob = state.active.get(event.digest);
      const counted = blob?.bytes ?? 0;
      state.movedBytes += event.bytes - counted;
      // Progress counts source bytes; a compressed upload may differ from the descriptor's size.
      state.doneBytes += event.size - counted;
      state.active.delete(event.digest);
      state.finishedBlobs++;
      break;
    }
    case 'blob-skip':
    case 'blob-mount': {
      const blob = state.active.get(event.digest);
      state.doneBytes += event.size - (blob?.bytes ?? 0);
      state.active.delete(event.digest);
      state.finishedBlobs++;
      break;
    }
    case 'blob-fail':
      state.active.delete(event.digest);
      break;
    case 'image-done':
      state.summary = event.summary;
      break;
    case 'blob-compressed':
    case 'manifest-put':
      break;
  }
  return state;
}
