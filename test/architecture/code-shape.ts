// The code's shape as the architecture asks for it (docs/architecture.md): no source file
// over 350 lines (migrations aside), no function over 80. A factory that only builds and
// returns an object of methods (a repository, the activities) is measured method by method,
// like a class.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export const MAX_FILE_LINES = 350;
export const MAX_FUNCTION_LINES = 80;

export interface Oversize {
  where: string;
  lines: number;
}

/** Written by tools, not by people (scripts/generate-client.ts). */
const GENERATED = new Set(['clients/typescript/schema.d.ts']);

function trackedFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('db/migrations/') && !GENERATED.has(f));
}

/** A function whose body only declares values and returns an object literal: a module of methods. */
function isFactory(node: ts.FunctionLikeDeclaration): boolean {
  const body = node.body;
  if (!body || !ts.isBlock(body)) return false;
  const last = body.statements.at(-1);
  if (!last || !ts.isReturnStatement(last) || !last.expression) return false;
  const returned = ts.isParenthesizedExpression(last.expression) ? last.expression.expression : last.expression;
  if (!ts.isObjectLiteralExpression(returned)) return false;
  return body.statements.slice(0, -1).every((s) => ts.isVariableStatement(s) || ts.isFunctionDeclaration(s));
}

export function oversizeFiles(root: string): Oversize[] {
  const found: Oversize[] = [];
  for (const file of trackedFiles(root)) {
    const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n').length;
    if (lines > MAX_FILE_LINES) found.push({ where: file, lines });
  }
  return found;
}

/** Functions over the limit outside the tests (a test's describe block is a list of cases, not logic). */
export function oversizeFunctions(root: string): Oversize[] {
  const found: Oversize[] = [];
  for (const file of trackedFiles(root).filter((f) => !f.startsWith('test/'))) {
    const source = ts.createSourceFile(file, readFileSync(`${root}/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body && !isFactory(node as ts.FunctionLikeDeclaration)) {
        const lines = lineOf(node.getEnd()) - lineOf(node.getStart()) + 1;
        if (lines > MAX_FUNCTION_LINES) found.push({ where: `${file}:${lineOf(node.getStart()) + 1}`, lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
