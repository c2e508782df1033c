// The node heartbeat: a Lease named after the node in kube-node-lease, renewed every 10 s
// (upstream pkg/kubelet/nodelease, component-helpers/apimachinery/lease/controller.go).
// The lease is owned by the Node so it goes away with it.

import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { mustResource } from '../api/registry.js';
import type { Lease } from '../api/types/misc.js';
import type { Clock } from '../client/clock.js';
import { microTime } from '../client/lease.js';
import type { RestClient } from '../client/rest.js';

const LEASES = mustResource('leases');
/** NODE_LEASE_NAMESPACE holds one Lease per node. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** NodeLease renews one node's Lease. */
export class NodeLease {
  private lease?: Lease;
  renewals = 0;

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly nodeName: string,
    private readonly durationSeconds: number,
    private readonly nodeUid: () => string,
  ) {}

  /**
   * renew writes renewTime = now. The first time (or after a failed write) it ensures the Lease
   * exists: a Lease it just created carries renewTime already, so no update follows (upstream
   * lease controller's sync).
   */
  async renew(): Promise<void> {
    const renewTime = microTime(this.clock.now());
    if (!this.lease) {
      const ensured = await this.ensure(renewTime);
      this.lease = ensured.lease;
      if (ensured.created) {
        this.renewals++;
        return;
      }
    }
    const next: Lease = { ...this.lease, spec: { ...this.lease.spec, holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime } };
    try {
      this.lease = (await this.client.update(LEASES, next as unknown as KubeObject)) as unknown as Lease;
      this.renewals++;
    } catch (err) {
      this.lease = undefined; // re-read next time (409 stale or 404 gone)
      throw err;
    }
  }

  /** ensure creates the Lease, or reads the one that exists (an agent restart): one request for a new node. */
  private async ensure(renewTime: string): Promise<{ lease: Lease; created: boolean }> {
    const uid = this.nodeUid();
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.nodeName,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] : undefined,
      },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime },
    };
    try {
      return { lease: (await this.client.create(LEASES, NODE_LEASE_NAMESPACE, lease as unknown as KubeObject)) as unknown as Lease, created: true };
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
    return { lease: (await this.client.get(LEASES, NODE_LEASE_NAMESPACE, this.nodeName)) as unknown as Lease, created: false };
  }
}
