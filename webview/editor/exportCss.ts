/**
 * The stylesheet embedded in an exported diagram: the graph's CSS without editing state
 * (selection, keyboard focus, hover, connection targets) and with every `var()` resolved, so the
 * file looks the same outside VS Code. Pure: colours come from a lookup function.
 */

/** Selectors of editing state: an export shows none of it. */
const STATE_SELECTOR = /\.(?:selected|focused|connect-target|target|panning)(?![\w-])|:(?:hover|focus|focus-visible|focus-within|active)(?![\w-])/;

/** `css` without comments and without every selector of editing state (a rule left with none goes). */
export function withoutStateRules(css: string): string {
  const rules: string[] = [];
  for (const m of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selectors = m[1].split(',').map((s) => s.trim()).filter((s) => s && !STATE_SELECTOR.test(s));
    if (selectors.length) rules.push(`${selectors.join(', ')} { ${m[2].trim()} }`);
  }
  return rules.join('\n');
}

const VAR_RE = /var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)/g;

/** Replaces every `var(--name, fallback)` in `css` with `lookup(name)`, else its fallback, else `initial`. */
export function resolveCssVariables(css: string, lookup: (name: string) => string | undefined): string {
  let out = css;
  // Nested var() fallbacks resolve from the outside in, so repeat until none is left.
  for (let i = 0; i < 5 && out.includes('var('); i++) {
    out = out.replace(VAR_RE, (_m, name: string, fallback?: string) => lookup(name)?.trim() || (fallback ?? '').trim() || 'initial');
  }
  return out;
}

/**
 * A lookup for `resolveCssVariables` from a fixed palette: a name in `vars` takes its value; a
 * custom property `css` declares itself (`--nc-fg: var(--vscode-editor-foreground, #333)`) takes
 * its declaration resolved the same way; anything else asks `fallback` (undefined: the var()'s own
 * fallback applies).
 */
export function paletteLookup(css: string, vars: Readonly<Record<string, string>>, fallback: (name: string) => string | undefined = () => undefined): (name: string) => string | undefined {
  const declared = new Map<string, string>();
  for (const m of css.matchAll(/(--[\w-]+)\s*:\s*([^;{}]+)/g)) if (!declared.has(m[1])) declared.set(m[1], m[2].trim());
  const resolving = new Set<string>();
  const lookup = (name: string): string | undefined => {
    if (Object.hasOwn(vars, name)) return vars[name];
    const decl = declared.get(name);
    if (decl === undefined) return fallback(name);
    if (resolving.has(name)) return undefined;
    resolving.add(name);
    try {
      return resolveCssVariables(decl, lookup);
    } finally {
      resolving.delete(name);
    }
  };
  return lookup;
}

/**
 * The stylesheet of an export: state rules removed, variables resolved through `lookup`, and the
 * custom property declarations (all resolved now) left out.
 */
export function exportCss(css: string, lookup: (name: string) => string | undefined): string {
  return resolveCssVariables(withoutStateRules(css), lookup).replace(/(?<=^|[{;])\s*--[\w-]+\s*:[^;{}]*;?/g, '');
}
