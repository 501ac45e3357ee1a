# NFS mounts reached through a ClusterIP Service hang on Dataplane V2, whose socket-level load
# balancing (kube-proxy replacement) breaks the kernel NFS client's reconnects (seed 000).
signature dpv2-nfs-hang
  title      "NFS mounts through a ClusterIP Service hang on Dataplane V2: processes stuck in D state, pods stuck Terminating"
  kind       issue
  severity   high
  component  dataplane-v2
  platforms  gke-on-vmware
  references "seed 000: GKE on VMware, NFS mounts hang with Dataplane V2"

  # The kernel NFS client lost its server and keeps retrying. dmesg (`[1576939.453001] nfs: server
  # 10.96.4.12 not responding, still trying`), the kernel journal and serial console copies;
  # `timed out` is the soft-mount variant.
  evidence not-responding "kernel NFS client: server not responding" weight 2
    from log where message ~ /nfs: server \S+ not responding, (?:still trying|timed out)/
    needs "kernel messages (dmesg, journalctl -k)"

  # The server came back: `nfs: server 10.96.4.12 OK`.
  evidence recovered "kernel NFS client: server OK again" weight 2
    from log where message ~ /nfs: server \S+ OK\b/

  # Tasks blocked in uninterruptible sleep inside the NFS client or SUNRPC: `D` state with a
  # wait channel such as rpc_wait_bit_killable, nfs_wait_bit_killable, nfs4_wait_clnt_recover,
  # nfs_page_group_lock, __rpc_execute (WCHAN is cut to its column width).
  evidence d-state "processes stuck in D state on NFS / RPC wait channels" weight 3
    from process where state == "D" and wchan ~ /nfs|rpc/
    needs "`ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H` from each node"

  # Pods that cannot finish terminating: the stale mount cannot be unmounted.
  evidence terminating "pods stuck in Terminating" weight 1
    from k8s.row where resource == "pods" and status == "Terminating"
    needs "`kubectl get pods -A -o wide`"

  # Dataplane V2 replaces kube-proxy (socket-level Service translation): cilium-config's
  # kube-proxy-replacement is anything but "disabled", or host-reachable services are on.
  evidence kpr-config "cilium-config: kube-proxy replacement enabled" weight 1
    from k8s.object where objectKind == "ConfigMap" and name == "cilium-config"
      and ("data.kube-proxy-replacement" != "disabled" or "data.enable-host-reachable-services" == "true")
    needs "`kubectl get cm -n kube-system cilium-config -o yaml`"

  # The same setting as anetd prints it at start-up: `--kube-proxy-replacement='strict'`.
  evidence kpr-agent "anetd started with kube-proxy replacement" weight 1
    from log where message ~ /--kube-proxy-replacement='(?:strict|partial|probe|true)'/

  # Hung: the client was still retrying and did not come back (or a later outage did not).
  condition per node ((not-responding and not recovered) or (not-responding after recovered))
    and (d-state or terminating) and (kpr-config or kpr-agent)

  explanation """
    With Dataplane V2, anetd (Cilium) translates Service addresses in the socket layer instead of
    kube-proxy rules. The kernel NFS client does not cope with that eBPF socket program when it
    reconnects to a server reached through a Kubernetes Service (ClusterIP): the mount hangs.
    RWX storage whose NFS servers run on the cluster's own nodes (Robin.io, Portworx sharedv4
    service volumes, csi-nfs, Ondat) is affected. Every process touching the mount then blocks in
    uninterruptible sleep, containers stay stuck in I/O, and pods cannot terminate because the
    dead mount cannot be unmounted.
    On {not-responding.nodes} the kernel logged "{not-responding.message}" {not-responding.count}
    time(s) since {not-responding.first} without the server coming back; {d-state.count}
    process(es) are blocked in D state ({d-state.comm}, wait channel {d-state.wchan}) and
    {terminating.count} pod(s) are stuck Terminating ({terminating.name}).
    """
  remediation """
    Run kube-proxy for Service translation and turn Dataplane V2's kube-proxy replacement off:
    1. Read the values the kube-proxy manifest needs:
         kubectl get cm -n kube-system cilium-config -o yaml | grep native-routing-cidr     # ClusterCIDR
         kubectl get ds -n kube-system anetd -o yaml | grep KUBERNETES -A 1                  # API server address and port
         kubectl get ds -n kube-system anetd -o yaml | grep -e imagePullSecrets -A 1 -e image
         KUBECONFIG=<admin kubeconfig> kubectl get sts -n <user cluster> kube-apiserver -o yaml | grep image   # Kubernetes version
    2. Back up the current settings, then deploy a kube-proxy DaemonSet (hostNetwork, privileged,
       `--cluster-cidr=<ClusterCIDR>`, KUBERNETES_SERVICE_HOST/PORT set, image
       <registry>/kube-proxy-amd64:<version>) with its ServiceAccount and the
       system:node-proxier ClusterRoleBinding, and wait for its pods to be Running:
         kubectl get ds -n kube-system anetd -o yaml > anetd-original.yaml
         kubectl get cm -n kube-system cilium-config -o yaml > cilium-config-original.yaml
         kubectl apply -f kube-proxy.yaml
         kubectl get pods -n kube-system -o wide | grep kube-proxy
    3. Patch cilium-config with kube-proxy-replacement "disabled",
       kube-proxy-replacement-healthz-bind-address "", retry-kube-proxy-healthz-binding "false"
       and enable-host-reachable-services "false":
         kubectl patch cm -n kube-system cilium-config --patch-file cilium-config-patch.yaml
    4. `kubectl edit ds -n kube-system anetd` and add, as the first initContainer, a
       check-kube-proxy-rules container (same image as anetd, privileged) that waits until
       `iptables -L KUBE-FORWARD` succeeds when KUBE_PROXY_REPLACEMENT (from cilium-config) is
       not "strict".
    5. Reboot every node, draining it first. Pods stuck Terminating on a dead mount block the
       drain; force-delete them:
         kubectl delete pods --force --grace-period=0 --namespace <namespace> <pod>
    """
  check """
    dmesg -T | grep 'nfs: server'                     # "not responding, still trying" with no "OK" after it
    ps -eo pid,stat,wchan:32,args | awk '$2 ~ /D/'    # blocked tasks and their wait channels
    kubectl get pods -A -o wide | grep Terminating
    kubectl get cm -n kube-system cilium-config -o yaml | grep -e kube-proxy-replacement -e host-reachable
    mount -t nfs,nfs4                                 # the server address is a ClusterIP (kubectl get svc -A)
    """
end
