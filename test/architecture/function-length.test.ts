// Issue 9: no function in reconciler/ over about 80 lines, so each one reads as named phases.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const MAX_LINES = 80;
const ROOT = "reconciler";

// Functions allowed past the limit, as "path:name". Only pure data tables belong here, each with a
// comment saying why splitting it would not make it easier to read.
const EXEMPT: readonly string[] = [];

function sourceFiles(): string[] {
  return readdirSync(ROOT, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .map((file) => join(ROOT, file))
    .sort();
}

function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  return `<anonymous@${line + 1}>`;
}

/** Every function, method or arrow function in the file longer than `MAX_LINES`, as "path:name (n lines)". */
function longFunctions(file: string): { id: string; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: { id: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_LINES) found.push({ id: `${file}:${functionName(node as ts.FunctionLikeDeclaration, source)}`, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("function length in reconciler/", () => {
  it(`has no function, method or arrow function over ${MAX_LINES} lines outside the exemptions`, () => {
    const long = sourceFiles().flatMap(longFunctions);
    const offending = long.filter(({ id }) => !EXEMPT.includes(id)).map(({ id, lines }) => `${id} (${lines} lines)`);
    expect(offending, "split these into named phases, each with one job").toEqual([]);
  });

  it("exempts only functions that are still long", () => {
    const long = new Set(sourceFiles().flatMap(longFunctions).map(({ id }) => id));
    expect(EXEMPT.filter((id) => !long.has(id)), "remove these from EXEMPT").toEqual([]);
  });
});
