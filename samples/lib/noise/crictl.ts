/**
 * `crictl ps -a` of one node: running containers, and the exited first attempts of those the
 * reboot restarted. crictl pads its columns to at least 20 characters.
 *
 * Sample output:
 *   CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID
 *   4c1f0e2d9a8b7       5a1b2c3d4e5f6       6 hours ago         Running             kube-proxy          1                   9e8d7c6b5a4f3
 */
import { type Cluster, type Node, podsOn } from '../cluster.js';
import { crictlAgo } from '../time.js';
import { shortId } from './lifecycle.js';

export function crictlPs(c: Cluster, node: Node): string {
  const rows: { t: number; cells: string[] }[] = [];
  for (const p of podsOn(c, node)) {
    for (const ct of p.containers) {
      const image = ct.imageId.slice(7, 20);
      if (p.phase === 'Succeeded') {
        rows.push({ t: ct.started, cells: [shortId(ct.id), image, crictlAgo(c.end - ct.started), 'Exited', ct.name, '0', shortId(p.sandboxId)] });
        continue;
      }
      rows.push({ t: ct.started, cells: [shortId(ct.id), image, crictlAgo(c.end - ct.started), 'Running', ct.name, String(ct.restarts), shortId(p.sandboxId)] });
      if (ct.previousId) {
        const before = node.boot - (c.end - c.start);
        rows.push({ t: before, cells: [shortId(ct.previousId), image, crictlAgo(c.end - before), 'Exited', ct.name, String(ct.restarts - 1), shortId(p.sandboxId)] });
      }
    }
  }
  rows.sort((a, b) => b.t - a.t);
  const header = ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID'];
  const widths = header.map((h, i) => Math.max(20, h.length + 3, ...rows.map((r) => r.cells[i].length + 3)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('');
  return `${[line(header), ...rows.map((r) => line(r.cells))].join('\n')}\n`;
}
