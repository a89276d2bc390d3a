/** A header value with the per-request values of the render cut out, to be filled per serve. */
export interface HeaderTemplate {
  name: string;
  parts: string[];
  holes: number[];
}

export function headerTemplate(name: string, value: string, originals: readonly string[]): HeaderTemplate {
  const parts: string[] = [];
  const holes: number[] = [];
  let rest = value;
  for (;;) {
    let first = -1;
    let which = -1;
    originals.forEach((original, index) => {
      const at = original ? rest.indexOf(original) : -1;
      if (at !== -1 && (first === -1 || at < first)) {
        first = at;
        which = index;
      }
    });
    if (which === -1) break;
    parts.push(rest.slice(0, first));
    holes.push(which);
    rest = rest.slice(first + originals[which].length);
  }
  parts.push(rest);
  return { name, parts, holes };
}

export function fillHeader(template: HeaderTemplate, values: readonly string[]): string {
  let value = template.parts[0];
  template.holes.forEach((hole, index) => {
    value += values[hole] + template.parts[index + 1];
  });
  return value;
}
