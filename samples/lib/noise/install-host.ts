/**
 * Operating systems the shared cluster model does not offer, for the install / upgrade scenarios:
 * Ubuntu 18.04 (kernel 4.15, too old for anetd's BPF NodePort) and CentOS 8 (end of life). A
 * preset changes the model's OS in place, so `uname -a`, `kubectl get nodes -o wide` and the
 * kubelet journal agree, and gives the `/etc/os-release` text to put on every node.
 *
 * Sample output (`/etc/os-release`, CentOS 8):
 *   NAME="CentOS Linux"
 *   VERSION="8"
 *   ID="centos"
 */
import type { Cluster } from '../cluster.js';

export type OsPreset = 'ubuntu-18.04' | 'centos-8';

const RELEASES: Record<OsPreset, string[]> = {
  'ubuntu-18.04': [
    'NAME="Ubuntu"',
    'VERSION="18.04.5 LTS (Bionic Beaver)"',
    'ID=ubuntu',
    'ID_LIKE=debian',
    'PRETTY_NAME="Ubuntu 18.04.5 LTS"',
    'VERSION_ID="18.04"',
    'HOME_URL="https://www.ubuntu.com/"',
    'SUPPORT_URL="https://help.ubuntu.com/"',
    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
    'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
    'VERSION_CODENAME=bionic',
    'UBUNTU_CODENAME=bionic',
  ],
  'centos-8': [
    'NAME="CentOS Linux"',
    'VERSION="8"',
    'ID="centos"',
    'ID_LIKE="rhel fedora"',
    'VERSION_ID="8"',
    'PLATFORM_ID="platform:el8"',
    'PRETTY_NAME="CentOS Linux 8"',
    'ANSI_COLOR="0;31"',
    'CPE_NAME="cpe:/o:centos:centos:8"',
    'HOME_URL="https://centos.org/"',
    'BUG_REPORT_URL="https://bugs.centos.org/"',
    'CENTOS_MANTISBT_PROJECT="CentOS-8"',
    'CENTOS_MANTISBT_PROJECT_VERSION="8"',
  ],
};

/**
 * Switch the model to another OS. The model's `os.id` keeps the family the shared generators
 * know (`ubuntu-20.04` for Ubuntu, `rhel-8.4` for CentOS: same mounts, same paths).
 */
export function useOs(c: Cluster, preset: OsPreset): string {
  if (preset === 'ubuntu-18.04') {
    if (c.os.id !== 'ubuntu-20.04') throw new Error('ubuntu-18.04 needs a cluster built with os ubuntu-20.04');
    c.os = { ...c.os, prettyName: 'Ubuntu 18.04.5 LTS', kernel: '4.15.0-142-generic', kernelBuild: '#146-Ubuntu SMP Tue Apr 13 01:11:19 UTC 2021', pidWidth: 5, pidMax: 32768 };
  } else {
    if (c.os.id !== 'rhel-8.4') throw new Error('centos-8 needs a cluster built with os rhel-8.4');
    c.os = { ...c.os, prettyName: 'CentOS Linux 8', kernel: '4.18.0-348.7.1.el8_5.x86_64', kernelBuild: '#1 SMP Wed Dec 22 13:25:12 UTC 2021' };
  }
  return `${RELEASES[preset].join('\n')}\n`;
}
