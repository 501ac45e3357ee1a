# User clusters must not be newer than the admin cluster that manages them, nor more than one
# minor release behind it (seed 002, upgrades: patch upgrade limits for user clusters).
#
# The language compares a field with a literal, never with another clause's field (a join is
# equality only), so "user version > admin version" cannot be written directly. It is written
# per minor release instead: one clause per admin minor band and one per user minor band, and a
# condition listing, for each admin minor, the user minors that are not allowed with it. This
# covers Anthos clusters on bare metal 1.6 to 1.16 (user clusters on a later release than 1.16
# count as newer); a user cluster on a newer *patch* of the same minor (admin 1.8.1, user 1.8.2)
# and the release-date rule for patches cannot be expressed and are left to the check below.
signature user-cluster-version-skew
  title      "User cluster version not allowed with its admin cluster (newer, or more than one minor behind)"
  kind       issue
  severity   medium
  component  upgrade
  platforms  anthos-bare-metal
  references "seed 002: Anthos clusters on bare metal known issues, upgrades: patch upgrade limits for user clusters"

  # Every Cluster object counts: live ones (kubectl get clusters -A -o yaml) and the bmctl
  # configs in bmctl-workspace/<cluster>/<cluster>.yaml. Hybrid clusters manage user clusters too.
  evidence admins "admin or hybrid clusters" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
    needs "kubectl get clusters -A -o yaml (from the admin cluster) or the bmctl cluster configs"

  evidence users "user clusters" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
    needs "kubectl get clusters -A -o yaml (from the admin cluster) or the bmctl cluster configs"

  evidence admin-1-6 "an admin cluster on 1.6" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.6.0 and "spec.anthosBareMetalVersion" < 1.7.0
  evidence admin-1-7 "an admin cluster on 1.7" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.7.0 and "spec.anthosBareMetalVersion" < 1.8.0
  evidence admin-1-8 "an admin cluster on 1.8" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.8.0 and "spec.anthosBareMetalVersion" < 1.9.0
  evidence admin-1-9 "an admin cluster on 1.9" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.9.0 and "spec.anthosBareMetalVersion" < 1.10.0
  evidence admin-1-10 "an admin cluster on 1.10" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.10.0 and "spec.anthosBareMetalVersion" < 1.11.0
  evidence admin-1-11 "an admin cluster on 1.11" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.11.0 and "spec.anthosBareMetalVersion" < 1.12.0
  evidence admin-1-12 "an admin cluster on 1.12" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.12.0 and "spec.anthosBareMetalVersion" < 1.13.0
  evidence admin-1-13 "an admin cluster on 1.13" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.13.0 and "spec.anthosBareMetalVersion" < 1.14.0
  evidence admin-1-14 "an admin cluster on 1.14" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.14.0 and "spec.anthosBareMetalVersion" < 1.15.0
  evidence admin-1-15 "an admin cluster on 1.15" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.15.0 and "spec.anthosBareMetalVersion" < 1.16.0
  evidence admin-1-16 "an admin cluster on 1.16" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" in ("admin", "hybrid")
      and "spec.anthosBareMetalVersion" >= 1.16.0 and "spec.anthosBareMetalVersion" < 1.17.0
  evidence user-1-6 "a user cluster on 1.6" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.6.0 and "spec.anthosBareMetalVersion" < 1.7.0
  evidence user-1-7 "a user cluster on 1.7" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.7.0 and "spec.anthosBareMetalVersion" < 1.8.0
  evidence user-1-8 "a user cluster on 1.8" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.8.0 and "spec.anthosBareMetalVersion" < 1.9.0
  evidence user-1-9 "a user cluster on 1.9" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.9.0 and "spec.anthosBareMetalVersion" < 1.10.0
  evidence user-1-10 "a user cluster on 1.10" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.10.0 and "spec.anthosBareMetalVersion" < 1.11.0
  evidence user-1-11 "a user cluster on 1.11" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.11.0 and "spec.anthosBareMetalVersion" < 1.12.0
  evidence user-1-12 "a user cluster on 1.12" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.12.0 and "spec.anthosBareMetalVersion" < 1.13.0
  evidence user-1-13 "a user cluster on 1.13" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.13.0 and "spec.anthosBareMetalVersion" < 1.14.0
  evidence user-1-14 "a user cluster on 1.14" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.14.0 and "spec.anthosBareMetalVersion" < 1.15.0
  evidence user-1-15 "a user cluster on 1.15" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.15.0 and "spec.anthosBareMetalVersion" < 1.16.0
  evidence user-1-16 "a user cluster on 1.16" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user"
      and "spec.anthosBareMetalVersion" >= 1.16.0 and "spec.anthosBareMetalVersion" < 1.17.0
  evidence user-later "a user cluster on a release after 1.16" weight 1
    from k8s.object where objectKind == "Cluster" and "spec.type" == "user" and "spec.anthosBareMetalVersion" >= 1.17.0

  # For each admin minor: user minors newer than it, or older than the one before it.
  condition admins and users and (
      (admin-1-6 and (user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-7 and (user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-8 and (user-1-6 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-9 and (user-1-6 or user-1-7 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-10 and (user-1-6 or user-1-7 or user-1-8 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-11 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-12 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-12 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-13 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-13 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-14 or user-1-15 or user-1-16 or user-later))
   or (admin-1-14 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-15 or user-1-16 or user-later))
   or (admin-1-15 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-16 or user-later))
   or (admin-1-16 and (user-1-6 or user-1-7 or user-1-8 or user-1-9 or user-1-10 or user-1-11 or user-1-12 or user-1-13 or user-1-14 or user-later))
  )

  explanation """
    An admin (or hybrid) cluster can manage user clusters on its own version or older, at most
    one minor release behind (admin 1.7.x manages 1.7 and 1.6 user clusters). A user cluster on
    a newer release than its admin, or two or more minor releases behind it, cannot be created,
    updated or upgraded through that admin cluster; a patch released after the admin's own
    version is not available to its user clusters either.
    Admin/hybrid clusters here: {admins.name} (versions {admins.spec.anthosBareMetalVersion}).
    User clusters: {users.name} (versions, in no particular order: {users.spec.anthosBareMetalVersion}).
    At least one user cluster is outside what its admin cluster's minor release allows; the
    matched "user cluster on 1.x" lines above name which cluster is on which release.
    """
  remediation """
    Upgrade in the right order: the admin cluster to the version the user clusters
    need first (one minor release at a time), then the user clusters, which must stay at or
    below the admin's version and at most one minor release behind it:
      bmctl upgrade cluster -c ADMIN_CLUSTER --kubeconfig ADMIN_KUBECONFIG
      bmctl upgrade cluster -c USER_CLUSTER --kubeconfig ADMIN_KUBECONFIG
    A user cluster two or more minors behind must be upgraded (one minor at a time) before the
    admin cluster moves further ahead. To use a patch released after the admin's version,
    upgrade the admin cluster to a release that includes it first.
    """
  check """
    kubectl --kubeconfig ADMIN_KUBECONFIG get clusters -A \
      -o custom-columns=NAME:.metadata.name,TYPE:.spec.type,VERSION:.spec.anthosBareMetalVersion
    # user VERSION <= admin VERSION, and at most one minor release behind it
    """
end
