import { dirname, isAbsolute, resolve } from 'node:path';
import { isObj, isScalar, refuse, type ComposeContext, type Obj, type Path } from './context.js';
import { rebase } from './extends.js';
import { readComposeFile } from './read-file.js';
import { checkComposeSpec } from './spec-check.js';

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

function paths(entry: unknown): { files: string[]; dir?: string } {
  if (isScalar(entry)) return { files: [String(entry)] };
  if (!isObj(entry)) return { files: [] };
  const p = entry['path'];
  const files = Array.isArray(p) ? p.map(String) : isScalar(p) ? [String(p)] : [];
  return isScalar(entry['project_directory']) ? { files, dir: String(entry['project_directory']) } : { files };
}

/** An included file's sections, relative paths made absolute against its own directory. */
function rebased(doc: Obj, dir: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const section of SECTIONS) {
    const value = doc[section];
    if (!isObj(value)) continue;
    out[section] = Object.fromEntries(
      Object.entries(value).map(([name, spec]) => {
        if (section === 'services' && isObj(spec)) return [name, rebase(spec, dir)];
        if ((section === 'secrets' || section === 'configs') && isObj(spec) && typeof spec['file'] === 'string')
          return [name, { ...spec, file: isAbsolute(spec['file']) ? spec['file'] : resolve(dir, spec['file']) }];
        return [name, spec];
      }),
    );
  }
  return out;
}

/**
 * Apply the top-level `include`: each file's services, networks, volumes, secrets and configs join the document
 * (an included file's own `include` too). A name defined twice, an unreadable or invalid file, and an include
 * cycle are refused at the `include` entry.
 * @returns the document with the included sections merged in and no `include`
 * @internal
 */
export function applyInclude(doc: Obj, file: string, c: ComposeContext, at: Path = [], seen: string[] = []): Obj {
  const list: unknown[] = Array.isArray(doc['include']) ? doc['include'] : [];
  const { include: _, ...rest } = doc;
  const merged: Record<string, unknown> = { ...rest };
  list.forEach((entry, i) => {
    const { files, dir } = paths(entry);
    const entryAt = at.length > 0 ? at : ['include', i];
    for (const f of files) {
      const path = resolve(dirname(file), f);
      if (seen.includes(path) || path === file) {
        refuse(c, entryAt, `include cycle: ${[...seen, file, path].join(' → ')}`);
        continue;
      }
      const read = readComposeFile(path, c);
      if (typeof read === 'string') {
        refuse(c, entryAt, read);
        continue;
      }
      const invalid = checkComposeSpec(read);
      for (const p of invalid) refuse(c, entryAt, `${path}: ${p.path.join('.')}: ${p.message}`);
      if (invalid.length > 0) continue;
      const inner = applyInclude(read, path, c, entryAt, [...seen, file]);
      const sections = rebased(inner, dir === undefined ? dirname(path) : resolve(dirname(file), dir));
      for (const [section, values] of Object.entries(sections)) {
        const current = (isObj(merged[section]) ? merged[section] : {}) as Record<string, unknown>;
        for (const name of Object.keys(values).filter((n) => Object.hasOwn(current, n)))
          refuse(c, entryAt, `${section.slice(0, -1)} '${name}' from ${path} is already defined`);
        merged[section] = { ...values, ...current };
      }
    }
  });
  return merged;
}
