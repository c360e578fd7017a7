import type { ESLint, Rule } from 'eslint';

/** ESLint rule `dive/must-use-result`: a neverthrow Result must not be dropped (see must-use-result.js). */
export declare const mustUseResult: Rule.RuleModule;
/** The plugin holding the rule: `plugins: { dive: divePlugin }`. */
export declare const divePlugin: ESLint.Plugin & { rules: { 'must-use-result': Rule.RuleModule } };
