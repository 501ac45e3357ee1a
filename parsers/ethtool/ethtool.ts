/**
 * NIC offload features (`ethtool -k <if>`) and driver information (`ethtool -i <if>`).
 *
 * Sample input:
 *   Features for ens192:
 *   tx-checksumming: on
 *   	tx-checksum-ipv4: off [fixed]
 *   tx-udp_tnl-segmentation: on
 *   driver: vmxnet3                                  (ethtool -i)
 *
 * Events: one `ethtool.feature` per feature line: `iface` (from `Features for X:`, else the
 * file name), `feature`, `enabled`, `fixed` (`[fixed]`: the driver cannot change it),
 * `requested` (`[requested on]`: the wanted state the driver refused) and `parent` for an
 * indented sub-feature. `ethtool -i` gives one `ethtool.driver`: `iface`, `driver`, `version`,
 * `firmwareVersion`, `busInfo`. Several interfaces may follow each other in one file.
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';

const HEADER = /^Features for ([^\s:]+):\s*$/;
const FEATURE = /^(\s*)([\w-]+): (on|off)(?: \[(fixed|requested (?:on|off))\])?\s*$/;
const INFO = /^(driver|version|firmware-version|expansion-rom-version|bus-info|supports-[\w-]+): ?(.*)$/;
/** Older ethtool prints one of these per feature it cannot read; they are not errors of the file. */
const CANNOT_FEATURE = /^Cannot get device [\w -]+ settings: /;
const NAME = /^ethtool (?:-k|--show-features|--show-offload|-i|--driver)\b/;
const NAME_IFACE = /^ethtool (?:-k|--show-features|--show-offload|-i|--driver) (\S+)/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;

const INFO_FIELDS: Record<string, string> = {
  driver: 'driver', version: 'version', 'firmware-version': 'firmwareVersion', 'bus-info': 'busInfo',
};

export const ethtool: ParserModule = {
  meta: {
    id: 'ethtool',
    title: 'NIC features and driver (ethtool)',
    description: '`ethtool -k` offload features (on/off, [fixed], [requested …], sub-features) and `ethtool -i` driver information.',
    emits: {
      'ethtool.feature': ['iface', 'feature', 'enabled', 'fixed', 'requested', 'parent'],
      'ethtool.driver': ['iface', 'driver', 'version', 'firmwareVersion', 'busInfo'],
    },
    sources: ['ethtool'],
    inputs: ['ethtool -k ens192', 'ethtool --show-features eth0', 'ethtool -i ens192'],
  },
  detect(probe) {
    const named = NAME.test(probe.command);
    const lines = probe.head.split('\n', 12).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const features = lines.some((l) => HEADER.test(l)) && lines.filter((l) => FEATURE.test(l)).length >= 2;
    const driver = /^driver: \S+/.test(lines[0]) && lines.some((l) => l.startsWith('bus-info:'));
    if (features || driver) return named ? 1 : 0.8;
    if (named && lines.filter((l) => FEATURE.test(l) || INFO.test(l)).length >= lines.length / 2) return 1;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    let iface = NAME_IFACE.exec(ctx.file.command)?.[1] ?? '';
    let parent: string | undefined;
    let info: ParsedEvent | undefined;
    const flushInfo = () => { if (info) ctx.emit(info); info = undefined; };
    return {
      line(text, lineNo) {
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('ethtool.binary', lineNo, 'binary bytes in ethtool output'); return; }
        const h = HEADER.exec(text);
        if (h) { flushInfo(); iface = h[1]; parent = undefined; return; }
        const f = FEATURE.exec(text);
        if (f) {
          const sub = f[1].length > 0;
          if (!sub) parent = f[2];
          const fields: Record<string, FieldValue> = { iface, feature: f[2], enabled: f[3] === 'on', fixed: f[4] === 'fixed' };
          if (f[4]?.startsWith('requested')) fields.requested = f[4].endsWith('on');
          if (sub && parent) fields.parent = parent;
          ctx.emit({ source: 'ethtool', kind: 'ethtool.feature', fields, line: lineNo, text });
          return;
        }
        const i = INFO.exec(text);
        if (i) {
          if (i[1] === 'driver') {
            flushInfo();
            info = { source: 'ethtool', kind: 'ethtool.driver', fields: { iface, driver: i[2].trim() }, line: lineNo, text };
          } else if (info) {
            const name = INFO_FIELDS[i[1]];
            const value = i[2].trim();
            if (name && value !== '') info.fields[name] = value;
            info.endLine = lineNo;
          }
          return;
        }
        if (CANNOT_FEATURE.test(text)) return;
        ctx.warn('ethtool.bad-line', lineNo, 'line is neither a `feature: on|off` line, a `Features for` header nor driver information');
      },
      end() { flushInfo(); },
    };
  },
};

export default ethtool;
