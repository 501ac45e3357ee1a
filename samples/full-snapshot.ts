/**
 * A healthy snapshot that carries every input type kubesleuth reads: the generator's normal
 * node outputs plus the ones a `--snapshot-config` with extra commands would add (ethtool,
 * systemctl status, sysctl, audit and SELinux, kubectl describe and -o yaml, ip route,
 * conntrack -S, docker ps, ps aux, ipvsadm -Lnc, kubectl version, anetd and fluent-bit logs, ip link,
 * /proc/mounts, dmesg -T, journalctl -k, kubectl get -A and custom columns, -o json lists, the
 * bmctl custom resources, network objects, kubectl logs of the cluster operator, an ansible
 * retry and an SELinux AVC record).
 * End-to-end tests check that nothing in it is left "not understood".
 */
import { buildCluster, type Cluster, type Node } from './lib/cluster.js';
import type { BundleEntry, BundleSpec } from './lib/bundle.js';
import { commandFile, snapshot, topFolder } from './lib/snapshot.js';
import { ctime, journalHeaderStamp, journalStamp } from './lib/time.js';

function nodeExtras(c: Cluster, n: Node, style: 'spaces'): BundleEntry[] {
  const dir = `${topFolder(c)}/nodes/${n.ip}`;
  const at = (cmd: string, content: string) => ({ path: `${dir}/${commandFile(cmd, style)}`, content });
  const boot = new Date(n.boot / 1000).toUTCString().replace(/ GMT$/, ' UTC');
  return [
    at('ethtool -k ens192', `Features for ens192:
rx-checksumming: on
tx-checksumming: on
	tx-checksum-ipv4: off [fixed]
	tx-checksum-ip-generic: on
scatter-gather: on
tcp-segmentation-offload: on
	tx-tcp-segmentation: on
generic-segmentation-offload: on
generic-receive-offload: on
large-receive-offload: on
tx-udp_tnl-segmentation: off
tx-udp_tnl-csum-segmentation: off
`),
    at('ethtool -i ens192', `driver: vmxnet3
version: 1.5.0.0-k-NAPI
firmware-version:
bus-info: 0000:0b:00.0
`),
    at('systemctl status -l kubelet', `● kubelet.service - kubelet: The Kubernetes Node Agent
     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)
    Drop-In: /etc/systemd/system/kubelet.service.d
             └─10-kubeadm.conf
     Active: active (running) since ${boot}; 5h ago
       Docs: https://kubernetes.io/docs/home/
   Main PID: ${n.kubeletPid} (kubelet)
      Tasks: 17 (limit: 19134)
     Memory: 61.2M
     CGroup: /system.slice/kubelet.service
             └─${n.kubeletPid} /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml --container-runtime=remote
`),
    at('sysctl -a', `net.core.somaxconn = 4096
net.ipv4.conf.all.rp_filter = 0
net.ipv4.conf.default.rp_filter = 0
net.ipv4.ip_forward = 1
net.ipv4.ip_local_port_range = 32768	60999
net.netfilter.nf_conntrack_max = 262144
vm.max_map_count = 262144
`),
    { path: `${dir}/etc/sysctl.d/99-kubernetes.conf`, content: `# Kubernetes node settings\nnet.ipv4.ip_forward = 1\nnet.bridge.bridge-nf-call-iptables = 1\n-net.ipv4.conf.all.rp_filter = 0\n` },
    at('getenforce', 'Disabled\n'),
    at('ip route', `default via 10.200.0.1 dev ens192 proto static
10.200.0.0/24 dev ens192 proto kernel scope link src ${n.ip}
${n.podCidr} dev cilium_host proto kernel scope link
`),
    at('conntrack -S', `cpu=0   	found=12 invalid=301 ignore=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=4 search_restart=17\ncpu=1   	found=9 invalid=275 ignore=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=2 search_restart=11\n`),
    at('ipvsadm -Lnc', `IPVS connection entries
pro expire state       source             virtual            destination
TCP 14:57  ESTABLISHED 192.168.1.14:44102 10.96.0.1:443      10.200.0.3:6443
TCP 01:12  TIME_WAIT   192.168.2.9:51010  10.96.0.10:53      192.168.1.5:53
`),
    at('ps aux', `USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
root           1  0.0  0.1 167752 11540 ?        Ss   08:01   0:09 /sbin/init
root         ${n.containerdPid}  1.1  0.8 1946340 66872 ?       Ssl  08:01   3:12 /usr/bin/containerd
root        ${n.kubeletPid}  2.4  1.3 1969812 108216 ?      Ssl  08:02   7:41 /usr/bin/kubelet --config=/var/lib/kubelet/config.yaml
`),
    at('ip link', `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: ens192: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000
    link/ether 00:50:56:b3:7a:0${n.ip.slice(-1)} brd ff:ff:ff:ff:ff:ff
5: cilium_host@cilium_net: <BROADCAST,MULTICAST,NOARP,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 6a:2f:1b:3c:4d:5e brd ff:ff:ff:ff:ff:ff
9: lxc8f2a1b3c4d5e@if11: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether 9e:1a:2b:3c:4d:5e brd ff:ff:ff:ff:ff:ff link-netns cni-5f0c2a1e
`),
    // containerd nodes: the snapshot still runs `docker ps -a || true`.
    at('docker ps -a', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n'),
    { path: `${dir}/proc/mounts`, content: `sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1632276k,mode=755 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0
` },
    at('dmesg -T', `[${ctime(n.boot)}] Linux version 5.8.0-63-generic (buildd@lgw01-amd64-035) (gcc (Ubuntu 9.3.0-17ubuntu1~20.04) 9.3.0, GNU ld (GNU Binutils for Ubuntu) 2.34) #71~20.04.1-Ubuntu SMP Thu Jul 15 17:46:08 UTC 2021
`),
    at('journalctl -k', `-- Logs begin at ${journalHeaderStamp(n.boot)}, end at ${journalHeaderStamp(c.end)}. --
${journalStamp(n.boot)} ${n.name} kernel: Linux version 5.8.0-63-generic (buildd@lgw01-amd64-035) #71~20.04.1-Ubuntu SMP Thu Jul 15 17:46:08 UTC 2021
`),
    { path: `${dir}/var/log/audit/audit.log`, content: `type=SERVICE_START msg=audit(1708434000.120:812): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=kubelet comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'\ntype=USER_LOGIN msg=audit(1708434121.004:813): pid=2231 uid=0 auid=1000 ses=3 msg='op=login id=1000 exe="/usr/sbin/sshd" hostname=10.200.0.250 addr=10.200.0.250 terminal=/dev/pts/0 res=success'\n` },
  ];
}

export function fullSnapshot(): BundleSpec {
  const c = buildCluster({
    seed: 'lab-core-3',
    name: 'lab-core-3',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'ipvs' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-02-20T13:00:00Z',
    hours: 3,
  });
  const spec = snapshot(c, { style: 'spaces', name: 'full-snapshot.tar.gz' });
  const top = topFolder(c);
  const cp = c.nodes[0];
  const extras: BundleEntry[] = c.nodes.flatMap((n) => nodeExtras(c, n, 'spaces'));
  extras.push(
    { path: `${top}/kubectlCommands/kubectl version`, content: 'Client Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.8-gke.1500", GitCommit:"2c1a8fb0c2a3", GitTreeState:"clean", GoVersion:"go1.15.13", Compiler:"gc", Platform:"linux/amd64"}\nServer Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.8-gke.1500", GitCommit:"2c1a8fb0c2a3", GitTreeState:"clean", GoVersion:"go1.15.13", Compiler:"gc", Platform:"linux/amd64"}\n' },
    { path: `${top}/kubectlCommands/kube-system/kubectl get configmap cilium-config -o yaml`, content: `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  enable-ipv4: "true"
  kube-proxy-replacement: disabled
  tunnel: vxlan
  enable-bpf-masquerade: "false"
` },
    { path: `${top}/kubectlCommands/kube-system/kubectl describe pods`, content: `Name:         kube-proxy-x8h2k
Namespace:    kube-system
Priority:     2000001000
Node:         ${cp.name}/${cp.ip}
Start Time:   Tue, 20 Feb 2024 08:02:11 +0000
Labels:       k8s-app=kube-proxy
Status:       Running
IP:           ${cp.ip}
Controlled By:  DaemonSet/kube-proxy
Containers:
  kube-proxy:
    Image:          gcr.io/anthos-baremetal-release/kube-proxy-amd64:v1.20.8-gke.1500
    State:          Running
      Started:      Tue, 20 Feb 2024 08:02:14 +0000
    Ready:          True
    Restart Count:  0
Conditions:
  Type              Status
  Initialized       True
  Ready             True
  ContainersReady   True
  PodScheduled      True
QoS Class:       BestEffort
Events:
  Type    Reason   Age   From     Message
  ----    ------   ----  ----     -------
  Normal  Pulled   5h    kubelet  Container image "gcr.io/anthos-baremetal-release/kube-proxy-amd64:v1.20.8-gke.1500" already present on machine
  Normal  Created  5h    kubelet  Created container kube-proxy
  Normal  Started  5h    kubelet  Started container kube-proxy
` },
    { path: `${top}/kubectlCommands/kubectl get pods -A`, content: `NAMESPACE     NAME                                        READY   STATUS    RESTARTS      AGE
kube-system   anthos-cluster-operator-6c9f7d8b5d-q2w7x    2/2     Running   1 (4h ago)    42d
kube-system   kube-proxy-x8h2k                            1/1     Running   0             42d
` },
    { path: `${top}/kubectlCommands/kubectl get pods -A -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase`, content: `NAME                                       NODE              PHASE
anthos-cluster-operator-6c9f7d8b5d-q2w7x   ${cp.name}   Running
kube-proxy-x8h2k                           ${cp.name}   Running
` },
    { path: `${top}/kubectlCommands/kubectl get nodes -o json`, content: `${JSON.stringify({
      apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' },
      items: c.nodes.map((n, i) => ({
        apiVersion: 'v1', kind: 'Node',
        metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...(i === 0 ? { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '' } : {}) } },
        spec: { podCIDR: n.podCidr },
        status: {
          addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
          nodeInfo: { containerRuntimeVersion: 'containerd://1.4.6', kernelVersion: '5.8.0-63-generic', kubeProxyVersion: 'v1.20.8-gke.1500', kubeletVersion: 'v1.20.8-gke.1500', osImage: 'Ubuntu 20.04.2 LTS' },
        },
      })),
    }, null, 4)}\n` },
    { path: `${top}/kubectlCommands/kubectl get clusters,nodepools,baremetalmachines -A -o yaml`, content: `apiVersion: v1
items:
- apiVersion: baremetal.cluster.gke.io/v1
  kind: Cluster
  metadata:
    annotations:
      baremetal.cluster.gke.io/cluster-metrics-webhook: "true"
    name: ${c.name}
    namespace: cluster-${c.name}
  spec:
    anthosBareMetalVersion: 1.8.2
    clusterNetwork:
      pods:
        cidrBlocks:
        - 192.168.0.0/16
      services:
        cidrBlocks:
        - 10.96.0.0/20
    loadBalancer:
      mode: bundled
    nodeConfig:
      containerRuntime: containerd
- apiVersion: baremetal.cluster.gke.io/v1
  kind: NodePool
  metadata:
    name: node-pool-1
    namespace: cluster-${c.name}
  spec:
    clusterName: ${c.name}
    nodes:
${c.nodes.slice(1).map((n) => `    - address: ${n.ip}`).join('\n')}
${c.nodes.map((n) => `- apiVersion: infrastructure.baremetal.cluster.gke.io/v1
  kind: BareMetalMachine
  metadata:
    name: ${n.ip}
    namespace: cluster-${c.name}
  spec:
    address: ${n.ip}
  status:
    ready: true`).join('\n')}
kind: List
metadata:
  resourceVersion: ""
` },
    { path: `${top}/kubectlCommands/kubectl get networkpolicies,endpointslices,daemonsets,egressnatpolicies,clientconfigs -A -o yaml`, content: `apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    name: allow-frontend
    namespace: shop
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: frontend
    podSelector:
      matchLabels:
        app: checkout
    policyTypes:
    - Ingress
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata:
    name: kubernetes
    namespace: default
  addressType: IPv4
  endpoints:
  - addresses:
    - ${cp.ip}
    conditions:
      ready: true
  ports:
  - name: https
    port: 6444
    protocol: TCP
- apiVersion: apps/v1
  kind: DaemonSet
  metadata:
    name: anetd
    namespace: kube-system
  status:
    currentNumberScheduled: 3
    desiredNumberScheduled: 3
    numberReady: 3
- apiVersion: networking.gke.io/v1
  kind: EgressNATPolicy
  metadata:
    name: egress-shop
  spec:
    action: SNAT
    destinations:
    - cidr: 203.0.113.0/24
    sources:
    - namespaceSelector:
        matchLabels:
          egress: "true"
- apiVersion: authentication.gke.io/v2alpha1
  kind: ClientConfig
  metadata:
    name: default
    namespace: kube-public
  spec:
    name: ${c.name}
    server: https://${cp.ip}:443
kind: List
metadata:
  resourceVersion: ""
` },
    { path: `${top}/kubectlCommands/kube-system/kubectl logs anthos-cluster-operator-6c9f7d8b5d-q2w7x -c manager`, content: `I0220 13:01:12.402117       1 cluster_controller.go:218] "Reconciling cluster" cluster="cluster-${c.name}/${c.name}"
I0220 13:01:12.913551       1 cluster_controller.go:301] "Cluster reconciled" cluster="cluster-${c.name}/${c.name}" duration="511ms"
` },
    { path: `${top}/logs/kube-system/anetd-7bq2n/cilium-agent.log`, content: `level=info msg="Cilium 1.8.4 1c1b1d2d8 go version go1.14.12 linux/amd64" subsys=daemon
level=info msg="Kernel version 5.8.0-63-generic" subsys=daemon
level=info msg="Auto-enabling \\"enable-node-port\\", \\"enable-external-ips\\", \\"enable-host-reachable-services\\", \\"enable-host-port\\", \\"enable-session-affinity\\" features" subsys=daemon
level=info msg="Initializing daemon" subsys=daemon
level=warning msg="Unable to update ipcache map entry on pod add" error="ipcache entry owned by kvstore or agent" hostIP=10.200.0.3 subsys=k8s-watcher
level=info msg="Daemon initialization completed" bootstrapTime=5.412338149s subsys=daemon
` },
    { path: `${top}/logs/kube-system/stackdriver-log-forwarder-6ttq9/stackdriver-log-forwarder.log`, content: `Fluent Bit v1.5.7
* Copyright (C) 2019-2020 The Fluent Bit Authors
[2024/02/20 08:02:31] [ info] [engine] started (pid=1)
[2024/02/20 08:02:31] [ info] [storage] version=1.0.5, initializing...
[2024/02/20 08:02:31] [ info] [storage] root path '/var/log/fluent-bit-buffers/'
[2024/02/20 08:02:31] [ info] [input:storage_backlog:storage_backlog.1] queue memory limit: 47.7M
[2024/02/20 08:02:32] [ info] [sp] stream processor started
` },
  );
  return { ...spec, entries: [...spec.entries, ...extras] };
}
