// The registry (connectors/index.ts) read as lists: whatever it exports is a manifest.
import type { Manifest, PlatformManifest, StoreManifest } from './manifest.ts';
import * as manifests from './index.ts';

const all: Manifest[] = Object.values(manifests);

/** Every outside store, by kind (the embedded local store is the core's own, not listed here). */
export const STORES: readonly StoreManifest[] = all.filter((m): m is StoreManifest => m.role === 'store');

/** Every platform orders come from. */
export const PLATFORMS: readonly PlatformManifest[] = all.filter((m): m is PlatformManifest => m.role === 'platform');

export function storeManifest(kind: string): StoreManifest | undefined {
  return STORES.find((s) => s.kind === kind);
}
