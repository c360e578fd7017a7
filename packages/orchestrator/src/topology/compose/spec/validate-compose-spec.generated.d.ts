/** One error of the compiled compose-spec validator (Ajv's ErrorObject, the fields DIVE reads). */
export interface ComposeSpecError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** The compose-spec schema, compiled (see SOURCE.md): true when valid; otherwise `validate.errors` holds why. */
export declare const validate: ((data: unknown) => boolean) & { errors?: readonly ComposeSpecError[] | null };

/** The top-level keys the schema defines (`version`, `name`, `include`, `services`, …). */
export declare const topLevelKeys: readonly string[];
/** The keys of a service the schema defines, in the schema's order. */
export declare const serviceKeys: readonly string[];
