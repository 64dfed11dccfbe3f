// Provider-defined functions (Terraform >= 1.8, `provider::xen::NAME(...)` in HCL): declared like a resource, with
// typed parameters, a return type and docs, and called through CallFunction. A function is pure: it gets the
// argument values and nothing else (no provider configuration, no host), so Terraform may call it at any time,
// validate included.

import type { tfplugin6 } from '../protocol/generated/protocol';
import { decodeMsgpack, encodeMsgpack } from '../protocol/cty';
import { typeToJsonBytes } from '../protocol/cty/typejson';
import type { CtyType, CtyValue } from '../protocol/cty/types';
import { Unknown } from '../protocol/cty/types';
import { containsUnknown } from '../protocol/cty/values';

export interface FunctionParameter {
  /** Shown by Terraform in its messages ("Invalid value for "address" parameter"). */
  name: string;
  type: CtyType;
  /** Markdown. */
  description: string;
  /** Terraform rejects a null argument itself unless this is set. */
  allowNull?: boolean;
  /** Terraform skips the call (result unknown) for an unknown argument unless this is set. */
  allowUnknown?: boolean;
}

export interface FunctionDefinition {
  /** The name after `provider::xen::`. */
  name: string;
  /** One line. */
  summary: string;
  /** Markdown; becomes docs/functions/NAME.md. */
  description: string;
  parameters: FunctionParameter[];
  /** Zero or more further arguments of one type. */
  variadic?: FunctionParameter;
  returnType: CtyType;
  deprecation?: string;
  /**
   * The function itself. `args` has one value per parameter, then the variadic ones. Throw FunctionArgumentError to
   * blame one argument; any other error is reported without an argument.
   */
  run(args: CtyValue[]): CtyValue;
}

/** A problem with one argument; `index` counts from 0 over all arguments, variadic ones included. */
export class FunctionArgumentError extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

export interface FunctionErrorMsg {
  text: string;
  functionArgument?: number;
}

const STRING_KIND_MARKDOWN = 1 as tfplugin6.StringKind;

function protoParameter(p: FunctionParameter): tfplugin6.Function.IParameter {
  return {
    name: p.name,
    type: typeToJsonBytes(p.type),
    allowNullValue: !!p.allowNull,
    allowUnknownValues: !!p.allowUnknown,
    description: p.description,
    descriptionKind: STRING_KIND_MARKDOWN,
  };
}

/** The tfplugin6.Function message (as a plain object for the generated encoder). */
export function toProtoFunction(f: FunctionDefinition): tfplugin6.IFunction {
  const out: tfplugin6.IFunction = {
    parameters: f.parameters.map(protoParameter),
    return: { type: typeToJsonBytes(f.returnType) },
    summary: f.summary,
    description: f.description,
    descriptionKind: STRING_KIND_MARKDOWN,
    deprecationMessage: f.deprecation ?? '',
  };
  if (f.variadic) out.variadicParameter = protoParameter(f.variadic);
  return out;
}

/** Checked once at start-up, like schemas: a declaration mistake is a test failure, not a Terraform error. */
export function checkFunction(f: FunctionDefinition): void {
  const where = `function ${f.name}`;
  if (!/^[a-z][a-z0-9_]*$/.test(f.name)) throw new Error(`${where}: the name must be a lower-case identifier`);
  if (!f.summary || !f.description) throw new Error(`${where}: needs a summary and a description`);
  const names = new Set<string>();
  for (const p of [...f.parameters, ...(f.variadic ? [f.variadic] : [])]) {
    if (!/^[a-z][a-z0-9_]*$/.test(p.name))
      throw new Error(`${where}: parameter name ${JSON.stringify(p.name)} is not an identifier`);
    if (names.has(p.name)) throw new Error(`${where}: parameter ${p.name} is declared twice`);
    if (!p.description) throw new Error(`${where}: parameter ${p.name} has no description`);
    names.add(p.name);
  }
}

interface DynamicValueMsg {
  msgpack?: Uint8Array | null;
  json?: Uint8Array | null;
}

function describeArity(f: FunctionDefinition): string {
  const n = f.parameters.length;
  return f.variadic ? `at least ${n}` : `exactly ${n}`;
}

/**
 * Decodes the arguments, runs the function and encodes its result. Never throws: whatever goes wrong becomes the
 * FunctionError Terraform shows, naming the argument when there is one.
 */
export function callFunction(
  f: FunctionDefinition,
  args: DynamicValueMsg[],
): { result?: { msgpack: Uint8Array }; error?: FunctionErrorMsg } {
  const n = f.parameters.length;
  if (args.length < n || (!f.variadic && args.length > n)) {
    return {
      error: {
        text: `${f.name} takes ${describeArity(f)} argument${n === 1 && !f.variadic ? '' : 's'}, got ${args.length}.`,
      },
    };
  }
  const values: CtyValue[] = [];
  for (const [i, raw] of args.entries()) {
    const p = i < n ? f.parameters[i] : f.variadic!;
    let v: CtyValue;
    try {
      v = raw?.msgpack && raw.msgpack.length > 0 ? decodeMsgpack(raw.msgpack, p.type) : null;
    } catch (err) {
      return {
        error: { text: `The ${p.name} argument could not be read: ${(err as Error).message}`, functionArgument: i },
      };
    }
    if (v === null && !p.allowNull) return { error: { text: `${p.name} must not be null.`, functionArgument: i } };
    if ((v instanceof Unknown || containsUnknown(v)) && !p.allowUnknown) {
      return {
        error: {
          text: `${p.name} must be known; Terraform should not call ${f.name} with an unknown value.`,
          functionArgument: i,
        },
      };
    }
    values.push(v);
  }
  try {
    const result = f.run(values);
    return { result: { msgpack: encodeMsgpack(result, f.returnType) } };
  } catch (err) {
    if (err instanceof FunctionArgumentError) {
      return { error: { text: err.message, functionArgument: err.index } };
    }
    return { error: { text: `${f.name} failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
}
