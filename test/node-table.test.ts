/** The inventory's node table: kubectl node names joined with the snapshot's node folders. */
import { describe, expect, it } from 'vitest';
import { FactStore } from '../src/model/facts.js';
import { nodeTable } from '../src/node-table.js';

function facts(rows: [name: string, value: string, node: string][]) {
  const store = new FactStore();
  rows.forEach(([name, value, node], i) => store.add(name, value, { file: 'f', line: i + 1 }, node));
  return store.toJSON();
}

describe('nodeTable', () => {
  it('joins a kubectl node to its folder through its InternalIP and merges what both say', () => {
    const rows = nodeTable(facts([
      ['node', 'cp-1', 'cp-1'], ['node.role', 'master', 'cp-1'], ['node.role', 'control-plane', 'cp-1'],
      ['node.ip', '10.0.0.2', 'cp-1'], ['os.name', 'Ubuntu 20.04.2 LTS', 'cp-1'], ['kubelet', 'v1.24.2', 'cp-1'],
      ['os.name', 'Ubuntu', '10.0.0.2'], ['kernel', '5.4.0-150-generic', '10.0.0.2'], ['container-runtime', 'containerd://1.6.6', 'cp-1'],
    ]), ['10.0.0.2']);
    expect(rows).toEqual([{
      name: 'cp-1', folder: '10.0.0.2', roles: ['control-plane', 'master'], ip: '10.0.0.2',
      os: 'Ubuntu 20.04.2 LTS', kernel: '5.4.0-150-generic', runtime: 'containerd://1.6.6', kubelet: 'v1.24.2',
    }]);
  });

  it('joins through the host name a node folder\'s journal prints when kubectl gives no IP', () => {
    const rows = nodeTable(facts([['node', 'worker-1', 'worker-1'], ['node', 'worker-1', '10.0.0.4'], ['kernel', '5.8.0', '10.0.0.4']]), ['10.0.0.4']);
    expect(rows).toMatchObject([{ name: 'worker-1', folder: '10.0.0.4', ip: '10.0.0.4', kernel: '5.8.0', roles: [] }]);
  });

  it('keeps folders kubectl does not name, and nodes without a folder', () => {
    const rows = nodeTable(facts([
      ['node', 'cp-1', 'cp-1'], ['node.ip', '10.0.0.2', 'cp-1'],
      ['node', 'edge-7', '10.0.0.7'],
    ]), ['10.0.0.7', 'node-x']);
    expect(rows.map((r) => [r.name, r.folder, r.ip])).toEqual([
      ['cp-1', undefined, '10.0.0.2'], ['edge-7', '10.0.0.7', '10.0.0.7'], ['node-x', 'node-x', undefined],
    ]);
  });
});
