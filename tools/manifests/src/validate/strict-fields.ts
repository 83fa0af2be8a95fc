import ts from 'typescript';
import { isRecord } from '../yaml-docs';

/**
 * Unknown fields, which schema validation alone lets through (Kubernetes' OpenAPI schemas allow extra properties, so
 * a `readinesProbe` typo would pass and the API server would drop it). The field names come from the kubernetes-models
 * type declarations, read with the TypeScript compiler: the same schemas validate() uses, as types.
 */
export type FieldChecker = (object: Record<string, unknown>, modelModule: string, interfaceName: string) => string[];

/** A checker over these kubernetes-models modules; one compiler program for all of them, made on first use. */
export function createFieldChecker(modelModules: string[]): FieldChecker {
  let program: ts.Program | undefined;
  const types = new Map<string, ts.Type>();
  // The package's exports map serves only JavaScript; the declarations sit beside it.
  const declarationOf = (module: string) => require.resolve(module).replace(/\.m?js$/, '.d.ts');
  return (object, modelModule, interfaceName) => {
    program ??= ts.createProgram(modelModules.map(declarationOf), { noEmit: true, skipLibCheck: true, types: [] });
    const checker = program.getTypeChecker();
    const key = `${modelModule}#${interfaceName}`;
    let type = types.get(key);
    if (!type) {
      const source = program.getSourceFile(declarationOf(modelModule));
      let declaration: ts.InterfaceDeclaration | undefined;
      if (source) {
        ts.forEachChild(source, (node) => {
          if (ts.isInterfaceDeclaration(node) && node.name.text === interfaceName) declaration = node;
        });
      }
      if (!declaration) throw new Error(`${modelModule} declares no interface ${interfaceName}`);
      type = checker.getTypeAtLocation(declaration);
      types.set(key, type);
    }
    const out: string[] = [];
    walk(checker, object, type, '', out);
    return out;
  };
}

function walk(checker: ts.TypeChecker, value: unknown, type: ts.Type, at: string, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  let t = checker.getNonNullableType(type);
  if (Array.isArray(value)) {
    const element = checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : undefined;
    if (element) value.forEach((v, i) => walk(checker, v, element, `${at}[${i}]`, out));
    return;
  }
  if (t.isUnion()) {
    // e.g. IntOrString: only an object member has fields to check.
    const objects = t.types.filter((member) => member.getFlags() & ts.TypeFlags.Object);
    if (objects.length !== 1) return;
    t = objects[0]!;
  }
  // Maps such as labels, annotations, data or resource quantities take any key.
  if (checker.getIndexInfosOfType(t).length > 0) return;
  const properties = new Map(checker.getPropertiesOfType(t).map((p) => [p.name, p]));
  if (properties.size === 0 || !isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const property = properties.get(key);
    const fieldPath = at ? `${at}.${key}` : key;
    if (!property) out.push(fieldPath);
    else walk(checker, child, checker.getTypeOfSymbol(property), fieldPath, out);
  }
}
