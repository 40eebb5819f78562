// Turns the files `cdk8s synth --format helm` writes into Helm templates.
// The app was built in Helm mode (src/model/knobs.ts): every knob a placeholder,
// everything built, and what exists only under a condition marked with it.
// Here, file by file,
//   1. each marked document, list item or field is wrapped in `{{- if }}`
//      (the marks are YAML keys "@@if" / "@@if:<field>", found with the YAML
//      parser and removed);
//   2. every literal `{{` / `}}` already in the manifests (Grafana legends
//      such as {{service_name}}) is escaped, or Helm would parse it;
//   3. each placeholder becomes its template expression, typed.
import { LineCounter, isScalar, isSeq, parseDocument, visit, type Node, type YAMLMap } from 'yaml';
import { MARK_KEY, PLACEHOLDER } from '../model/knobs.ts';

/** `{{x}}` renders as `{{x}}` once Helm has run. */
export function escapeTemplateBraces(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => (m === '{{' ? '{{ "{{" }}' : '{{ "}}" }}'));
}

function expression(kind: string, key: string): string {
  if (kind === 't') {
    const [helper, ...rest] = key.split(':');
    const arg = rest.join(':');
    return `include "otel-shop.${helper}" (dict "root" $ "arg" "${arg}")`;
  }
  if (kind === 'n' || kind === 'i') return `.Values.${key} | int`;
  return `.Values.${key}`;
}

/**
 * Placeholders to template expressions: a whole (quoted) scalar keeps its
 * type (numbers unquoted, the rest quoted), text inside a string is spliced.
 */
export function expandPlaceholders(text: string): string {
  const whole = new RegExp(`(:[ \\t]+|-[ \\t]+)(["']?)${PLACEHOLDER.source}\\2[ \\t]*$`, 'gm');
  const out = text.replace(whole, (_m, lead: string, _q: string, kind: string, key: string) =>
    kind === 'n' || kind === 'f' ? `${lead}{{ ${expression(kind, key)} }}` : `${lead}{{ ${expression(kind, key)} | quote }}`,
  );
  return out.replace(PLACEHOLDER, (_m, kind: string, key: string) => `{{ ${expression(kind, key)} }}`);
}

const ENV_ITEM = /^([ \t]*)- name: (["']?)@@env:([A-Za-z0-9_.-]+)@@\2[ \t]*$/;

interface Wrap {
  start: number;
  end: number;
  expr: string;
}

/** The marks of one YAML document: line ranges to wrap, marker lines to drop, and a condition on the whole document. */
function marksOf(text: string): { wraps: Wrap[]; drop: Set<number>; whole: string[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const line = (offset: number) => lc.linePos(offset).line - 1;
  const lastLine = (node: Node) => {
    let e = node.range![1];
    while (e > 0 && /\s/.test(text[e - 1]!)) e--;
    return line(e - 1);
  };
  const wraps: Wrap[] = [];
  const drop = new Set<number>();
  const whole: string[] = [];
  visit(doc, {
    Map(_key, map: YAMLMap, path) {
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key !== MARK_KEY && !key.startsWith(`${MARK_KEY}:`)) continue;
        const expr = String((pair.value as { value: unknown }).value);
        for (let l = line((pair.key as Node).range![0]); l <= lastLine(pair.value as Node); l++) drop.add(l);
        if (key === MARK_KEY) {
          const parent = path.at(-1);
          if (map === doc.contents) whole.push(expr);
          else if (isSeq(parent)) wraps.push({ start: line(map.range![0]), end: lastLine(map), expr });
          else throw new Error(`a "${MARK_KEY}" mark on a map that is neither a document nor a list item`);
        } else {
          const field = key.slice(MARK_KEY.length + 1);
          const target = map.items.find((p) => isScalar(p.key) && p.key.value === field);
          if (!target) throw new Error(`"${key}": no field ${field}`);
          wraps.push({ start: line((target.key as Node).range![0]), end: lastLine(target.value as Node), expr });
        }
      }
    },
  });
  return { wraps, drop, whole };
}

function templateDocument(text: string): string {
  if (!text.trim()) return text;
  const { wraps, drop, whole } = marksOf(text);
  const lines = text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  const indent = (i: number) => /^[ \t]*/.exec(lines[i]!)![0];
  for (let i = 0; i < lines.length; i++) {
    for (const w of wraps.filter((x) => x.start === i).sort((a, b) => b.end - a.end)) out.push(`${indent(i)}{{- if ${w.expr} }}`);
    const env = ENV_ITEM.exec(lines[i]!);
    if (env) {
      // The extra variables of the values: name/value pairs (the schema allows nothing else).
      const [, ind, , path] = env;
      out.push(`${ind}{{- range .Values.${path} }}`, `${ind}- name: {{ .name | quote }}`, `${ind}  value: {{ .value | quote }}`, `${ind}{{- end }}`);
      if (/^\s*value: (""|'')\s*$/.test(lines[i + 1] ?? '')) i++;
    } else if (!drop.has(i)) {
      out.push(expandPlaceholders(escapeTemplateBraces(lines[i]!)));
    }
    for (const w of wraps.filter((x) => x.end === i).sort((a, b) => b.start - a.start)) out.push(`${indent(w.start)}{{- end }}`);
  }
  const body = `${out.join('\n')}\n`;
  if (!whole.length) return body;
  const expr = whole.length === 1 ? whole[0]! : `and ${whole.map((e) => `(${e})`).join(' ')}`;
  return `{{- if ${expr} }}\n${body}{{- end }}\n`;
}

/** One template file, from cdk8s output to Helm template. */
export function toTemplate(text: string): string {
  // cdk8s joins the documents of a file with `---` lines.
  return text
    .split(/(?<=\n)---\n/)
    .map(templateDocument)
    .join('---\n');
}
