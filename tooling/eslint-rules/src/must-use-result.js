// @ts-check
/**
 * ESLint rule `dive/must-use-result`: a neverthrow `Result` or `ResultAsync` (or a promise of one) must not be
 * dropped. It flags an expression statement whose value is one (`store.write(x);`, `await store.write(x);`) and
 * `void` of one (`void store.write(x);`). Assign it, return it, pass it on, or branch on it. A write whose failure
 * may be ignored goes through the caller's best-effort helper, which awaits and reports it.
 *
 * Option `allowAwaited` (tests, test suites, benchmarks): `await x();` is allowed — a test drives a double to a
 * state and asserts on what follows; a Result left un-awaited or `void`ed is still an error.
 *
 * Typed: it needs `parserOptions.projectService` (typescript-eslint). Written here rather than taken from
 * `eslint-plugin-neverthrow`, whose `must-use-result` targets ESLint 8 and flags every Result not consumed with
 * `match`/`unwrapOr` (an `if (r.isErr())` branch included), which is how this codebase handles Results.
 */

const RESULT_NAMES = new Set(['Ok', 'Err', 'ResultAsync']);

/**
 * @param {import('typescript').Type} type
 * @param {import('typescript').TypeChecker} checker
 * @param {number} depth
 * @returns {boolean}
 */
function isResultType(type, checker, depth = 0) {
  if (depth > 3) return false;
  if (type.isUnion()) return type.types.some((t) => isResultType(t, checker, depth + 1));
  const symbol = type.getSymbol() ?? type.aliasSymbol;
  if (symbol !== undefined) {
    const fromNeverthrow = (symbol.getDeclarations() ?? []).some((d) =>
      d.getSourceFile().fileName.includes('neverthrow'),
    );
    if (fromNeverthrow && RESULT_NAMES.has(symbol.getName())) return true;
    if (symbol.getName() === 'Promise' || symbol.getName() === 'PromiseLike') {
      const args = checker.getTypeArguments(/** @type {import('typescript').TypeReference} */ (type));
      return args.some((a) => isResultType(a, checker, depth + 1));
    }
  }
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
export const mustUseResult = {
  meta: {
    type: 'problem',
    docs: { description: 'A neverthrow Result (or ResultAsync) must be used, not dropped.' },
    messages: {
      dropped:
        'This {{what}} is dropped: its error would go unseen. Use it (assign, return, branch on it), or send a ' +
        'best-effort write through the best-effort helper.',
    },
    schema: [
      {
        type: 'object',
        properties: { allowAwaited: { type: 'boolean' } },
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const allowAwaited =
      /** @type {{ allowAwaited?: boolean } | undefined} */ (context.options[0])?.allowAwaited === true;
    const services = context.sourceCode.parserServices;
    if (services?.program == null || services.esTreeNodeToTSNodeMap == null) return {};
    const checker = services.program.getTypeChecker();
    const map = services.esTreeNodeToTSNodeMap;
    /** @param {import('estree').Node} node */
    const check = (node) => {
      const tsNode = map.get(/** @type {never} */ (node));
      const type = checker.getTypeAtLocation(tsNode);
      if (!isResultType(type, checker)) return;
      const what = checker.typeToString(type).startsWith('ResultAsync') ? 'ResultAsync' : 'Result';
      context.report({ node, messageId: 'dropped', data: { what } });
    };
    return {
      ExpressionStatement(node) {
        const e = node.expression;
        if (e.type === 'AssignmentExpression' || e.type === 'YieldExpression') return;
        if (allowAwaited && e.type === 'AwaitExpression') return;
        if (e.type === 'UnaryExpression' && e.operator === 'void') check(e.argument);
        else if (e.type !== 'UnaryExpression') check(e);
      },
    };
  },
};

/** The plugin: `plugins: { dive: divePlugin }`, then `'dive/must-use-result': 'error'`. */
export const divePlugin = { rules: { 'must-use-result': mustUseResult } };
