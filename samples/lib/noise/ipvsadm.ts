/**
 * `ipvsadm -Ln` of one node, built from the cluster's services and endpoints: one virtual
 * service per cluster IP and port (plus load-balancer IPs and this node's NodePorts), each with
 * one real server per endpoint. With kube-proxy in iptables mode the table is empty.
 *
 * Sample output:
 *   IP Virtual Server version 1.2.1 (size=4096)
 *   Prot LocalAddress:Port Scheduler Flags
 *     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
 *   TCP  10.96.0.1:443 rr
 *     -> 10.200.0.3:6444              Masq    1      2          0
 */
import { type Cluster, type Node, type Service, endpointAddresses } from '../cluster.js';
import { Rng, hashName } from '../rng.js';

export interface IpvsadmOptions {
  /** Services (`namespace/name`) whose virtual services show no real server on this node. */
  withoutRealServers?: readonly string[];
}

interface VirtualService {
  proto: 'TCP' | 'UDP';
  address: string;
  port: number;
  service: Service;
  targetPort: number;
}

/** Every virtual service kube-proxy programs on `node`, in the kernel's hash order. */
export function virtualServices(c: Cluster, node: Node): VirtualService[] {
  const out: VirtualService[] = [];
  for (const s of c.services) {
    for (const p of s.ports) {
      out.push({ proto: p.protocol, address: s.clusterIP, port: p.port, service: s, targetPort: p.targetPort });
      if (s.externalIP) out.push({ proto: p.protocol, address: s.externalIP, port: p.port, service: s, targetPort: p.targetPort });
      if (p.nodePort) out.push({ proto: p.protocol, address: node.ip, port: p.nodePort, service: s, targetPort: p.targetPort });
    }
  }
  // ipvsadm walks its hash table, so the order looks random but is the same on every node.
  return out.sort((a, b) => hashName(`${a.proto}${a.address}:${a.port}`).localeCompare(hashName(`${b.proto}${b.address}:${b.port}`)));
}

export function ipvsadm(c: Cluster, node: Node, o: IpvsadmOptions = {}): string {
  const rng = new Rng(`${c.seed}/ipvsadm/${node.name}`);
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  if (c.kubeProxy.mode !== 'ipvs') return `${lines.join('\n')}\n`;
  const empty = new Set(o.withoutRealServers ?? []);
  for (const vs of virtualServices(c, node)) {
    const flags = vs.service.clientIPAffinity ? ' persistent 10800' : '';
    lines.push(`${vs.proto}  ${vs.address}:${vs.port} rr${flags}`);
    if (empty.has(`${vs.service.namespace}/${vs.service.name}`)) continue;
    for (const ip of endpointAddresses(c, vs.service).slice().sort(byAddress)) {
      const active = vs.proto === 'UDP' ? 0 : rng.chance(0.3) ? rng.int(1, 12) : 0;
      const inactive = rng.chance(0.4) ? rng.int(1, 40) : 0;
      lines.push(`  -> ${`${ip}:${vs.targetPort}`.padEnd(28)} ${'Masq'.padEnd(7)} ${'1'.padEnd(6)} ${String(active).padEnd(10)} ${String(inactive).padEnd(10)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function byAddress(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
