#!/usr/bin/env node
// `node scripts/precompile-theme.js` (part of `npm run build`, after tsc): precompiles the built-in theme's templates
// (templates/**/*.hbs) with the Handlebars blogbuild runs with, into lib/builtin-template-code.json. A build or dev
// server start with an empty cache revives them from there instead of compiling them (see shippedSpec in
// src/render/compile-theme.ts); a template a theme overrides, or another Handlebars version, is compiled as before.
import fs from 'node:fs';
import path from 'node:path';

const { precompileTemplates, shippedTemplatesFile } = await import('../lib/render/compile-theme.js');
const { builtinTemplatesDir: templates } = await import('../lib/render/templates.js');
const sources = fs.readdirSync(templates, { recursive: true })
  .filter((rel) => rel.endsWith('.hbs'))
  .sort()
  .map((rel) => fs.readFileSync(path.join(templates, rel), 'utf8'));
const shipped = precompileTemplates(sources);
fs.writeFileSync(shippedTemplatesFile, `${JSON.stringify(shipped)}\n`);
