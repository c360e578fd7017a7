/**
 * The rule every service name follows: 1 to 63 characters, ASCII letters, digits, `_`, `.` and `-`, starting with
 * a letter or a digit. Every such name is a valid Docker container name (`[a-zA-Z0-9][a-zA-Z0-9_.-]+`) and a valid
 * Compose service name (`[a-zA-Z0-9._-]+`), and fits in a DNS label (63 characters), so it can also be a host name
 * on a Docker network. It also keeps names safe in file names, metric labels, Mermaid and DOT.
 */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Whether `name` follows {@link SERVICE_NAME_PATTERN}.
 * @param name - a candidate service name
 * @returns `true` when the name is valid
 * @example
 * ```ts
 * isValidServiceName('opal-client'); // true
 * isValidServiceName('-x'); // false: must start with a letter or digit
 * ```
 */
export function isValidServiceName(name: string): boolean {
  // The same rule as SERVICE_NAME_PATTERN, by character code: it runs once per service on every graph built.
  const length = name.length;
  if (length === 0 || length > 63) return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && (i === 0 || (c !== 95 && c !== 46 && c !== 45))) return false;
  }
  return true;
}
