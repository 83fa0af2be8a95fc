import type { RouteRule } from '../resources/types';
import type { CloudEvent } from './cloudevents';

/** Picks the app path for an event: the first rule whose CEL `match` is true; undefined when none matches. */
export type Router = (event: CloudEvent) => string | undefined;

type Program = (context: Record<string, unknown>) => unknown;

/**
 * Compiles a subscription's rules once. `match` is CEL (google/cel-go's standard environment in daprd) over
 * `event`, the CloudEvent as a JSON map; a rule without `match` always matches. Evaluation errors and
 * non-boolean results throw, which fails the message as in daprd. The CEL library loads only when a
 * subscription has a `match`.
 */
export async function compileRules(rules: RouteRule[]): Promise<Router> {
  if (rules.every((r) => !r.match)) {
    const path = rules[0]?.path;
    return () => path;
  }
  const { Environment } = await import('@marcbachmann/cel-js');
  // Unknown identifiers are `dyn` in daprd's environment, and JSON lists may mix types.
  const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
  env.registerVariable('event', 'dyn');
  const compiled = rules.map((rule) => {
    if (!rule.match) return { path: rule.path, program: undefined };
    try {
      return { path: rule.path, match: rule.match, program: env.parse(rule.match) as unknown as Program };
    } catch (err) {
      throw new Error(`invalid match expression '${rule.match}': ${(err as Error).message.split('\n')[0]}`);
    }
  });
  return (event) => {
    const context = { event };
    for (const rule of compiled) {
      if (!rule.program) return rule.path;
      const result = rule.program(context);
      if (typeof result !== 'boolean') throw new Error(`the result of match expression ${rule.match} was not a boolean`);
      if (result) return rule.path;
    }
    return undefined;
  };
}
