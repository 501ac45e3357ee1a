/**
 * ca-rotation-clientconfig-stale: after the cluster CA is rotated, the `default` ClientConfig in
 * kube-public still carries the old CA, so every user authentication flow through it fails
 * (seed 002, security: cluster CA rotation, preview).
 *
 * Positive: cluster bank-core-1 (1.10.2). Two hours before the snapshot
 * `bmctl update credentials certificate-authorities rotate` ran and completed, and bmctl wrote
 * the new kubeconfig (bmctl-workspace/bank-core-1/bank-core-1-kubeconfig, new CA). `kubectl get
 * clientconfig default -n kube-public -o yaml` still has the CA from before the rotation.
 *
 * Negative: the same rotation, after which the default ClientConfig was updated: its
 * certificateAuthorityData is the new CA. A second ClientConfig, `partner-sso` in namespace
 * anthos-identity, carries a different CA (its own identity provider's), which a signature that
 * compared every ClientConfig with the cluster CA would flag.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, dashedStamp } from '../lib/time.js';
import { BmctlLines, apiTime, caData, uidFor, withFiles, yamlList } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'bank-core-1',
    name: 'bank-core-1',
    controlPlanes: 3,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.10.2',
    kubernetesVersion: 'v1.21.5-gke.1300',
    kubeProxy: { version: 'v1.21.5-gke.1300', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.5.8',
    start: '2025-02-10T06:00:00Z',
    hours: 4,
  });
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The kubeconfig bmctl writes for the cluster's admin user. */
function kubeconfig(c: Cluster, ca: string): string {
  const rng = new Rng(`${c.seed}/kubeconfig`);
  const user = `kubernetes-admin`;
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${ca}`,
    `    server: https://${c.controlPlaneVIP}:443`,
    `  name: ${c.name}`,
    'contexts:',
    '- context:',
    `    cluster: ${c.name}`,
    `    user: ${user}`,
    `  name: ${user}@${c.name}`,
    `current-context: ${user}@${c.name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${caData(`${c.seed}/client`)}`,
    `    client-key-data: ${b64(`-----BEGIN RSA PRIVATE KEY-----\n${rng.alnum(64)}\n-----END RSA PRIVATE KEY-----\n`)}`,
    '',
  ].join('\n');
}

function clientConfig(c: Cluster, name: string, namespace: string, ca: string, created: number): string {
  return [
    '- apiVersion: authentication.gke.io/v2alpha1',
    '  kind: ClientConfig',
    '  metadata:',
    `    creationTimestamp: "${apiTime(created)}"`,
    '    generation: 1',
    `    name: ${name}`,
    `    namespace: ${namespace}`,
    `    uid: ${uidFor(`clientconfig/${c.name}/${namespace}/${name}`)}`,
    '  spec:',
    '    authentication:',
    `    - name: ${namespace === 'kube-public' ? 'oidc-corp' : 'oidc-partner'}`,
    '      oidc:',
    `        clientID: ${namespace === 'kube-public' ? 'anthos-bank-core' : 'partner-portal'}`,
    `        issuerURI: ${namespace === 'kube-public' ? 'https://login.corp.example/adfs' : 'https://sso.partner.example'}`,
    '        kubectlRedirectURI: http://localhost:9879/callback',
    '        scopes: openid,email,groups',
    '        userClaim: email',
    `    certificateAuthorityData: ${ca}`,
    `    name: ${c.name}`,
    `    server: https://${c.controlPlaneVIP}:443`,
  ].join('\n');
}

function rotationLog(c: Cluster, started: number): string {
  const log = new BmctlLines(started, new Rng(`${c.seed}/rotate`));
  log.at(`bmctl update credentials certificate-authorities rotate --cluster ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  log.at('Creating new cluster CA, etcd CA and front-proxy CA... OK', 4 * SEC);
  log.at('Uploading new certificate authorities to namespace cluster-bank-core-1... OK');
  log.at('Waiting for CA rotation to complete... phase 1/3: distributing new CA certificates', 20 * SEC);
  log.at('Waiting for CA rotation to complete... phase 2/3: reissuing leaf certificates', 18 * MIN);
  log.at('Waiting for CA rotation to complete... phase 3/3: removing old CA certificates', 24 * MIN);
  log.at('Waiting for CA rotation to complete... OK', 11 * MIN);
  log.at('Writing kubeconfig file');
  log.at(`kubeconfig of cluster being rotated is present at bmctl-workspace/${c.name}/${c.name}-kubeconfig`);
  log.at('Please restrict access to this file as it contains authentication credentials of your cluster.');
  log.at('Flushing logs... OK');
  return log.text();
}

function build(updated: boolean): BundleSpec {
  const c = cluster();
  const oldCa = caData(`${c.seed}/ca-2023`);
  const newCa = caData(`${c.seed}/ca-2025`);
  const started = c.end - 2 * HOUR - 10 * MIN;
  const items = [clientConfig(c, 'default', 'kube-public', updated ? newCa : oldCa, c.created + 30 * MIN)];
  if (!updated) {
    return withFiles(snapshot(c, { style: STYLE }), c, [
      { path: `bmctl-workspace/${c.name}/${c.name}-kubeconfig`, content: kubeconfig(c, newCa) },
      { path: `bmctl-workspace/${c.name}/log/update-credentials-${dashedStamp(started)}/update-credentials.log`, content: rotationLog(c, started) },
      { path: 'kubectlCommands/kube-public/kubectl get clientconfig default -o yaml', content: yamlList(items) },
    ]);
  }
  items.push(clientConfig(c, 'partner-sso', 'anthos-identity', caData(`${c.seed}/partner-idp`), c.created + 9 * 24 * HOUR));
  return withFiles(snapshot(c, { style: STYLE }), c, [
    { path: `bmctl-workspace/${c.name}/${c.name}-kubeconfig`, content: kubeconfig(c, newCa) },
    { path: `bmctl-workspace/${c.name}/log/update-credentials-${dashedStamp(started)}/update-credentials.log`, content: rotationLog(c, started) },
    { path: 'kubectlCommands/kubectl get clientconfigs -A -o yaml', content: yamlList(items) },
  ]);
}

export const scenario: Scenario = { id: 'ca-rotation-clientconfig-stale', positive: () => build(false), negative: () => build(true) };
export default scenario;
