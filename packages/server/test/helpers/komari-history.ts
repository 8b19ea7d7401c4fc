import type { NodeRow } from '../../src/store/types.ts';

/** A node row as the client import would create it (only the uuid matters to history). */
export function importedNode(uuid: string, name: string, hidden = false): NodeRow {
  return {
    uuid, token: `tok-${uuid}`, name, cpu_name: '', virtualization: '', arch: '', cpu_cores: 0, cpu_physical_cores: 0, os: '',
    kernel_version: '', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '', mem_total: 0,
    swap_total: 0, disk_total: 0, version: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false, currency: '$',
    expired_at: null, group: '', tags: '', hidden, traffic_limit: 0, traffic_limit_type: 'max', created_at: 0, updated_at: 0,
  };
}
