// Interpolation of one string, without yaml: the checkpoint code (loaded by every command) reads `${VAR}` too.
type Env = Readonly<Record<string, string | undefined>>;

/** The result of interpolating one string. @internal */
export interface Interpolated {
  readonly value: string;
  /** Variables referenced without a default that are unset (their reference became ''). */
  readonly missing: string[];
  /** `${…}` texts that are not a well-formed reference (left as they are). */
  readonly malformed: string[];
  /** `${VAR:?message}` / `${VAR?message}` whose variable is unset (or empty, with `:`), as `VAR: message`. */
  readonly required: string[];
  /** Every variable name read, in order of appearance (for redaction of interpolated values). */
  readonly used: string[];
}

/** How to interpolate. @internal */
export interface InterpolateOptions {
  /** Also replace unbraced `$VAR` (Compose does; dive files leave it as it is). Default false. */
  readonly unbraced?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/** The index of the `}` closing the `${` whose body starts at `from` (nested `${…}` counted), or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

class Scanner {
  readonly missing: string[] = [];
  readonly malformed: string[] = [];
  readonly required: string[] = [];
  readonly used: string[] = [];
  constructor(
    private readonly env: Env,
    private readonly unbraced: boolean,
  ) {}

  /** One `${name<op>arg}` body (without `${` and `}`); `undefined` when malformed. */
  private braced(body: string): string | undefined {
    const name = NAME.exec(body)?.[0];
    if (name === undefined) return undefined;
    const rest = body.slice(name.length);
    const operator = OPERATORS.find((op) => rest.startsWith(op));
    if (rest !== '' && operator === undefined) return undefined;
    this.used.push(name);
    const found = this.env[name];
    if (operator === undefined) {
      if (found === undefined) this.missing.push(name);
      return found ?? '';
    }
    return this.apply(name, found, operator, rest.slice(operator.length));
  }

  private apply(name: string, found: string | undefined, operator: Operator, arg: string): string {
    const unset = operator.startsWith(':') ? found === undefined || found === '' : found === undefined;
    switch (operator) {
      case ':-':
      case '-':
        return unset ? this.expand(arg) : (found ?? '');
      case ':+':
      case '+':
        return unset ? '' : this.expand(arg);
      default:
        if (unset) this.required.push(`${name}: ${arg === '' ? 'required variable is not set' : this.expand(arg)}`);
        return found ?? '';
    }
  }

  expand(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const next = text[i + 1];
      if (c !== '$') out += c ?? '';
      else if (next === '$') {
        out += '$';
        i++;
      } else if (next === '{') {
        const end = closingBrace(text, i + 2);
        const body = end < 0 ? undefined : text.slice(i + 2, end);
        const value = body === undefined ? undefined : this.braced(body);
        if (value === undefined) {
          this.malformed.push(end < 0 ? text.slice(i) : text.slice(i, end + 1));
          out += end < 0 ? text.slice(i) : text.slice(i, end + 1);
          i = end < 0 ? text.length : end;
        } else {
          out += value;
          i = end;
        }
      } else {
        const name = this.unbraced ? NAME.exec(text.slice(i + 1))?.[0] : undefined;
        if (name === undefined) out += '$';
        else {
          out += this.braced(name) ?? '';
          i += name.length;
        }
      }
    }
    return out;
  }
}

/**
 * Interpolate one string with Compose's syntax: `${VAR}`; `${VAR:-default}` (unset or empty) and `${VAR-default}`
 * (unset); `${VAR:?message}` and `${VAR?message}` (required); `${VAR:+replacement}` and `${VAR+replacement}`;
 * defaults may hold references (`${A:-${B}}`); `$$` is a literal `$`; unbraced `$VAR` with `options.unbraced`.
 * @internal
 */
export function interpolateString(text: string, env: Env, options: InterpolateOptions = {}): Interpolated {
  const scanner = new Scanner(env, options.unbraced ?? false);
  const value = scanner.expand(text);
  return {
    value,
    missing: scanner.missing,
    malformed: scanner.malformed,
    required: scanner.required,
    used: scanner.used,
  };
}
