/**
 * Split a command string into words the way a POSIX shell would, without running one: whitespace separates words;
 * `'…'` is literal; `"…"` keeps spaces and honours `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes
 * escapes the next character. No variables, globs or operators (`|`, `&&` are plain words). This is how Compose
 * treats the string form of `command` and `entrypoint`.
 * @returns the words, or `undefined` when a quote is not closed
 * @internal
 */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text.charAt(i + 1))) word += text.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (inWord) words.push(word);
  return words;
}
