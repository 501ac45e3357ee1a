# The netfilter connection tracking table of a node is full (seed 003).
signature conntrack-table-full
  title      "Connection tracking table full: the node drops new connections"
  kind       issue
  severity   high
  component  kernel
  platforms  any
  references "seed 003: GKE in-cluster connectivity troubleshooting, intermittent failed connections",
             "kubernetes/kubernetes#18604"

  # The kernel's own word, rate-limited, so a few lines stand for many dropped packets. Older
  # kernels print `nf_conntrack: table full, dropping packet`, newer ones double the prefix
  # (`nf_conntrack: nf_conntrack: table full, dropping packet`); dmesg adds `[ 1234.5]`, the
  # journal `kernel:`. `nf_conntrack: expectation table full` (helpers) is another table.
  evidence full "the kernel reports the conntrack table full and drops packets" weight 3
    from log where message ~ /nf_conntrack: (nf_conntrack: )?table full, dropping packet/
    needs "`dmesg` or `journalctl --utc --boot --dmesg` from each node (or its serial console output)"

  # The table's size on the node, read only to compare the live count with it.
  evidence max "nf_conntrack_max of the node"
    from sysctl where key in ("net.netfilter.nf_conntrack_max", "net.nf_conntrack_max") and number > 0
    needs "/proc/sys/net/netfilter/nf_conntrack_max or `sysctl -a` from each node"

  # At snapshot time the table holds exactly nf_conntrack_max entries: it is full right now.
  evidence atmax "`conntrack --count` equals nf_conntrack_max" weight 2
    from conntrack.count where count in max.number
    needs "`conntrack --count` from each node"

  # The same reading from `sysctl -a` (net.netfilter.nf_conntrack_count).
  evidence atmax-sysctl "nf_conntrack_count equals nf_conntrack_max" weight 2
    from sysctl where key == "net.netfilter.nf_conntrack_count" and number in max.number
    needs "`sysctl -a` from each node"

  # `conntrack -S` keeps per-CPU counters since boot: `drop` counts packets refused because the
  # table was full, `early_drop` entries evicted to make room.
  evidence drops "`conntrack -S` counts drops for lack of room" weight 1
    from conntrack.stats where drop > 0 or early_drop > 0
    needs "`conntrack -S` from each node"

  # The kernel message alone may be history; together with a full table now, or drop counters,
  # it shows the node is (still) short of conntrack entries.
  condition per node full and (atmax or atmax-sysctl or drops)

  explanation """
    Every connection through a node's netfilter (Service NAT by kube-proxy, masquerading, pod
    traffic) takes an entry in the connection tracking table, which holds at most
    net.netfilter.nf_conntrack_max entries. When it is full the kernel drops the first packet of
    every new connection, so clients see intermittent timeouts and failed DNS lookups while
    established connections keep working; busy nodes with many short connections (DNS, HTTP
    without keep-alive) fill it first.
    On {full.nodes} the kernel logged "table full, dropping packet" {full.count} times between
    {full.first} and {full.last}. The table holds at most {max.number} entries; the live count
    equals that maximum on {atmax.nodes} (the table is full at snapshot time), and `conntrack -S`
    reports dropped or evicted entries on {drops.nodes}.
    """
  remediation """
    Raise the table size on the affected nodes, for example to one entry per 32 KiB of memory,
    and keep the setting across reboots:
      new_ct_max=$(awk '$1 == "MemTotal:" { printf "%d\n", $2/32; exit; }' /proc/meminfo)
      sysctl -w net.netfilter.nf_conntrack_max="${new_ct_max:?}" \
        && echo "net.netfilter.nf_conntrack_max=${new_ct_max:?}" >> /etc/sysctl.conf
    kube-proxy writes its own value (conntrack maxPerCore × cores, at least conntrack min) when it
    starts, so raise those in the kube-proxy configuration as well or a kube-proxy restart can
    undo the change.
    Also spread the load: more (or larger) nodes mean fewer flows per node, and NodeLocal
    DNSCache removes most of the short-lived DNS entries from the table.
    """
  check """
    dmesg -T | grep -c 'table full, dropping packet'
    conntrack --count; cat /proc/sys/net/netfilter/nf_conntrack_max
    conntrack -S | grep -o 'drop=[0-9]*\|early_drop=[0-9]*'
    conntrack -L -o extended 2>/dev/null | awk '{print $5}' | sort | uniq -c | sort -rn | head   # who holds the entries
    """
end
