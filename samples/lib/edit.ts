/**
 * Edits of a finished snapshot that scenarios share: add members, rewrite members, filter a
 * file line by line, and the paths of node outputs. They work on what `snapshot()` returns, so
 * every file still comes from the same cluster model.
 */
import type { Cluster, Node } from './cluster.js';
import type { BundleEntry, BundleSpec, Content, LineGenerator } from './bundle.js';
import { type NameStyle, commandFile, nodeFilePath, topFolder } from './snapshot.js';

/** A file to add, with its path below the snapshot's top folder. */
export interface ExtraFile {
  path: string;
  content: Content;
}

/** The snapshot with more members (paths below the top folder), kept in path order. */
export function addFiles(spec: BundleSpec, c: Cluster, files: readonly ExtraFile[]): BundleSpec {
  const top = topFolder(c);
  const entries = [...spec.entries, ...files.map((f) => ({ path: `${top}/${f.path}`, content: f.content }))];
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...spec, entries };
}

/** The snapshot with the members whose path (below the top folder) passes `test` rewritten. */
export function editFiles(spec: BundleSpec, c: Cluster, test: (path: string) => boolean, edit: (content: Content, path: string) => Content): BundleSpec {
  const top = `${topFolder(c)}/`;
  const entries = spec.entries.map((e): BundleEntry => {
    const rel = e.path.startsWith(top) ? e.path.slice(top.length) : e.path;
    return test(rel) ? { path: e.path, content: edit(e.content, rel) } : e;
  });
  return { ...spec, entries };
}

/** A content whose every line goes through `fn` (`undefined` drops the line). */
export function mapLines(content: Content, fn: (line: string) => string | undefined): Content {
  if (typeof content === 'object') return content;
  const source: LineGenerator = typeof content === 'string' ? () => content.replace(/\n$/, '').split('\n') : content;
  return function* () {
    for (const line of source()) {
      const out = fn(line);
      if (out !== undefined) yield out;
    }
  };
}

/** Path of a node command's output (`nodes/10.200.0.3/sysctl -a`, or with underscores). */
export function nodeCommandPath(node: Node, command: string, style: NameStyle): string {
  return `nodes/${node.ip}/${commandFile(command, style)}`;
}

/** Path of a file copied from a node (`nodes/10.200.0.3/etc/os-release` or `…/cat__etc_os-release`). */
export function nodeCopyPath(node: Node, path: string, style: NameStyle): string {
  return `nodes/${node.ip}/${nodeFilePath(path, style)}`;
}
