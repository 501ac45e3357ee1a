# CentOS reached end of life: its mirror list and repositories are gone, so package steps fail (seed 002).
signature centos-eol-repos
  title      "CentOS is end-of-life: yum/dnf repositories no longer resolve, cluster create/upgrade fails"
  kind       issue
  severity   high
  component  os
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, cluster creation or upgrade fails on CentOS"

  # What dnf / yum print when the CentOS mirrors are gone: CentOS 8 `Failed to download metadata
  # for repo 'appstream': Cannot prepare internal mirrorlist: No URLs in mirrorlist`, CentOS 7
  # `Cannot find a valid baseurl for repo: base/7/x86_64` and `Could not retrieve mirrorlist
  # http://mirrorlist.centos.org/…`. The repo names are CentOS's own, so a RHEL subscription repo
  # that fails for another reason does not match. Read from Ansible results (machine jobs, bmctl
  # logs) and from any log.
  evidence repo-fatal "a package task failed because the CentOS repositories do not resolve" weight 3
    from ansible.fatal where msg ~ /No URLs in mirrorlist|mirrorlist\.centos\.org|Failed to download metadata for repo '(?:appstream|baseos|extras|powertools|centosplus|cr|ha|plus|devel|AppStream|BaseOS|PowerTools|HighAvailability)'|Cannot find a valid baseurl for repo: (?:base|extras|updates|centosplus)\b/i
      or stderr ~ /No URLs in mirrorlist|mirrorlist\.centos\.org|Failed to download metadata for repo '(?:appstream|baseos|extras|powertools|centosplus|cr|ha|plus|devel)'|Cannot find a valid baseurl for repo: (?:base|extras|updates|centosplus)\b/i
    needs "bmctl logs of the failed create/upgrade (bmctl-workspace/<cluster>/log/…) or the machine job logs"

  # The same dnf/yum errors as plain log lines (a bmctl log, the journal of dnf-makecache).
  evidence repo-log "dnf/yum reported the CentOS repositories unreachable" weight 1
    from log where message ~ /No URLs in mirrorlist|Could not retrieve mirrorlist http:\/\/mirrorlist\.centos\.org|Failed to download metadata for repo '(?:appstream|baseos|extras|powertools|centosplus|cr|ha|plus|devel)'|Cannot find a valid baseurl for repo: (?:base|extras|updates|centosplus)\b/i
    needs "bmctl logs of the failed create/upgrade, or the node's dnf/yum output"

  evidence centos "the nodes run CentOS" weight 2
    from os-release where id == "centos"
    needs "/etc/os-release from each node"

  condition (repo-fatal or repo-log) and centos

  explanation """
    CentOS Linux 8 reached its end of life on 31 January 2022 (CentOS 7 on 30 June 2024); its
    mirror list now returns nothing and the packages moved to vault.centos.org. Every dnf/yum
    step of a cluster creation or upgrade (installing containerd and other dependencies) fails,
    so the operation stops. This is not specific to Anthos clusters on bare metal: any version is
    affected on CentOS. Here a package task failed on {repo-fatal.host} (plus {repo-log.count}
    matching log line(s)), and the nodes run {centos.prettyName}.
    """
  remediation """
    Point the CentOS repositories at the archive on every node, then retry the operation:
      sudo sed -i 's/mirrorlist/#mirrorlist/g' /etc/yum.repos.d/CentOS-Linux-*
      sudo sed -i 's|#baseurl=http://mirror.centos.org|baseurl=http://vault.centos.org|g' /etc/yum.repos.d/CentOS-Linux-*
      sudo dnf clean all && sudo dnf makecache
    The archive receives no security updates: plan a move to a supported operating system
    (RHEL, Ubuntu, or another distribution listed for your version).
    """
  check """
    cat /etc/os-release                         # ID="centos"
    sudo dnf makecache                          # fails with "No URLs in mirrorlist" before the fix
    grep -E '^(mirrorlist|#?baseurl)' /etc/yum.repos.d/CentOS-Linux-*.repo
    """
end
