/** The command line of a CLI command: FILE, repeated `--input`, flags and valued options. */
import { CliFailure } from './cliFailure';

/** Splits argv into the FILE, repeated `--input` values, flags and options. */
export function parseArgs(args: string[], valued: string[]): { file?: string; inputs: string[]; flags: Set<string>; options: Map<string, string> } {
  const out = { file: undefined as string | undefined, inputs: [] as string[], flags: new Set<string>(), options: new Map<string, string>() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') && !a.startsWith('--input=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '--input' || name.startsWith('--input=')) {
      const v = name.startsWith('--input=') ? name.slice(8) : args[++i];
      if (v === undefined) throw new CliFailure('nn: --input needs a value.', 2);
      out.inputs.push(v);
    } else if (valued.includes(name)) {
      const v = inline ?? args[++i];
      if (v === undefined) throw new CliFailure(`nn: ${name} needs a value.`, 2);
      out.options.set(name, v);
    } else if (name.startsWith('--')) {
      out.flags.add(name);
    } else if (!out.file) {
      out.file = a;
    } else {
      throw new CliFailure(`nn: unexpected argument '${a}'.`, 2);
    }
  }
  return out;
}
