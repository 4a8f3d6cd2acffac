// The sync worker's ports wired: the shared sync ports, the lease and pending flags, the settings, and the check
// of changes made in Google to our own copies.
import { pendingSyncStore } from '../../store/pending-sync-store';
import { syncLeaseStore } from '../../store/sync-lease-store';
import type { SyncDeps } from '../../sync/ports';
import { syncPorts, syncSettingsFromConfig } from './sync-ports';
import { inboundChanges } from './write-back';

export function syncDeps(): SyncDeps {
  return { ...syncPorts(), lease: syncLeaseStore, pending: pendingSyncStore, settings: syncSettingsFromConfig(), inbound: inboundChanges() };
}
