/**
 * A strict reader of Prometheus text exposition format 0.0.4 for tests (no promtool here): it throws on
 * anything a Prometheus server would reject or that the format's rules forbid — bad metric or label
 * names, unknown escapes in label values, a TYPE after samples or twice, a family's samples split up,
 * duplicate series, summaries without a quantile label — and returns the samples.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  type: string;
  help: string | undefined;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, where: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`${where}: bad value ${text}`);
  return Number(text);
}

/** Label set `{a="x",b="y"}` starting at text[0] === '{'; returns labels and the index after '}'. */
function parseLabels(text: string, where: string): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = 1;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without '='`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`${where}: bad label name ${name}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    if (text[eq + 1] !== '"') throw new Error(`${where}: label value not quoted`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`${where}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const e = text[j + 1];
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else throw new Error(`${where}: unknown escape \\${e}`);
        j += 2;
      } else {
        value += c;
        j++;
      }
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`${where}: expected ',' or '}' after a label`);
  }
  return [labels, i + 1];
}

/** The family a sample belongs to (summary/histogram series carry suffixes). */
function familyOf(name: string, families: Map<string, Family>): string {
  for (const suffix of ['_sum', '_count', '_bucket']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      const type = families.get(base)?.type;
      if (type === 'summary' || type === 'histogram') return base;
    }
  }
  return name;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition does not end with a line feed');
  const families = new Map<string, Family>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | undefined;
  const lines = text.slice(0, -1).split('\n');
  for (const [n, line] of lines.entries()) {
    const where = `line ${n + 1}`;
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const [, kind, name, rest = ''] = meta;
      if (!METRIC_NAME.test(name!)) throw new Error(`${where}: bad metric name ${name}`);
      const f = families.get(name!) ?? { type: 'untyped', help: undefined, samples: [] };
      if (f.samples.length > 0) throw new Error(`${where}: ${kind} for ${name} after its samples`);
      if (kind === 'TYPE') {
        if (families.has(name!) && f.type !== 'untyped') throw new Error(`${where}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        f.type = rest;
      } else {
        if (f.help !== undefined) throw new Error(`${where}: second HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) throw new Error(`${where}: bad escape in HELP`);
        f.help = rest;
      }
      families.set(name!, f);
      continue;
    }
    if (line.startsWith('#')) continue;
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`${where}: no metric name`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
    let labels: Record<string, string> = {};
    let rest = line.slice(nameEnd);
    if (rest.startsWith('{')) {
      const [parsed, end] = parseLabels(rest, where);
      labels = parsed;
      rest = rest.slice(end);
    }
    const fields = rest.trim().split(/ +/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) {
      throw new Error(`${where}: expected ' value [timestamp]'`);
    }
    const value = parseValue(fields[0]!, where);
    const familyName = familyOf(name, families);
    if (familyName !== current) {
      if (current !== undefined) finished.add(current);
      if (finished.has(familyName)) throw new Error(`${where}: samples of ${familyName} are not together`);
      current = familyName;
    }
    const family = families.get(familyName) ?? { type: 'untyped', help: undefined, samples: [] };
    families.set(familyName, family);
    if (family.type === 'summary' && name === familyName && labels.quantile === undefined) {
      throw new Error(`${where}: summary sample without a quantile label`);
    }
    if (family.type === 'counter' && (value < 0 || Number.isNaN(value))) {
      throw new Error(`${where}: counter ${name} = ${value}`);
    }
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (series.has(id)) throw new Error(`${where}: duplicate series ${id}`);
    series.add(id);
    family.samples.push({ name, labels, value });
  }
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value;
    }
  }
  return undefined;
}
