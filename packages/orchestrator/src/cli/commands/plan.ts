import { UsageError } from '@dive/errors';
import { plan } from '../../operations/plan.js';
import { runtimeFor } from '../runtime-for.js';
import { stateFor } from '../state-for.js';
import { loadFor, type TopologyFlags } from '../topology-file.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { formatPlan } from '../format.js';
import { printData, reportError, say, type CliIO, type GlobalFlags } from '../io.js';

/** The flags of `dive plan`. */
export interface PlanFlags extends TopologyFlags {
  readonly file?: string;
  readonly format?: string;
  readonly runtime?: string;
}

/** `dive plan`: levels, order, critical path, risk; or the graph as Mermaid or DOT. */
export async function planCommand(io: CliIO, flags: GlobalFlags, opts: PlanFlags): Promise<ExitCode> {
  const format = opts.format ?? (flags.json === true ? 'json' : 'text');
  if (!['text', 'json', 'mermaid', 'dot'].includes(format)) {
    return reportError(
      io,
      flags,
      new UsageError(`--format must be text, json, mermaid or dot, got ${format}`, { context: { flag: '--format' } }),
    );
  }
  const loaded = await loadFor(io, opts.file, opts);
  if (loaded.isErr()) return reportError(io, flags, loaded.error);
  for (const w of loaded.value.warnings) say(io, flags, `warning: ${w}`);
  const state = await stateFor(io, flags);
  if (state.isErr()) return reportError(io, flags, state.error);
  const runtime = runtimeFor(
    opts.runtime,
    loaded.value,
    state.value.kind === 'file' ? state.value.location : undefined,
  );
  if (runtime.isErr()) return reportError(io, flags, runtime.error);
  try {
    const p = await plan(loaded.value.topology, {
      state: state.value,
      env: io.env,
      ...(runtime.value === undefined ? {} : { runtime: runtime.value }),
    });
    if (p.isErr()) return reportError(io, flags, p.error);
    if (format === 'mermaid') io.stdout.write(`${p.value.mermaid}\n`);
    else if (format === 'dot') io.stdout.write(`${p.value.dot}\n`);
    else printData(io, { ...flags, json: format === 'json' }, p.value, () => formatPlan(p.value));
    return EXIT.ok;
  } finally {
    if (runtime.value !== undefined) await runtime.value[Symbol.asyncDispose]();
    await state.value[Symbol.asyncDispose]();
  }
}
