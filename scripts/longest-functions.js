#!/usr/bin/env node
// `node scripts/longest-functions.js [src] [--max 80]`: lists the functions in src/ longer than --max lines (default
// 80, one screen), longest first, and exits 1 when there is one. A function's length counts its whole text,
// nested functions included, so a long closure shows up as itself.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const maxAt = args.indexOf('--max');
const max = maxAt >= 0 ? Number(args.splice(maxAt, 2)[1]) : 80;
const root = path.resolve(args[0] ?? 'src');

const found = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) measure(full);
  }
};

function measure(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const lines = last - first + 1;
      if (lines > max) found.push({ lines, where: `${path.relative(process.cwd(), file)}:${first + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function nameOf(node) {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText();
  return '(anonymous)';
}

walk(root);
found.sort((a, b) => b.lines - a.lines);
for (const { lines, where, name } of found) console.log(`${String(lines).padStart(4)}  ${name}  ${where}`);
if (found.length > 0) {
  console.log(`${found.length} function(s) longer than ${max} lines`);
  process.exitCode = 1;
}
