import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { partialReferences } from '../../../src/render/partial-references.js';

describe('partialReferences', () => {
  it('lists partials included by a written-out name, at their place', () => {
    const ast = Handlebars.parse('<header>\n  {{> site-nav}}\n</header>\n{{#each posts}}{{>post-summary this}}{{/each}}\n');
    expect(partialReferences(ast)).toEqual([
      { name: 'site-nav', line: 2, column: 3, length: 14 },
      { name: 'post-summary', line: 4, column: 16, length: 22 },
    ]);
  });

  it('leaves out partial blocks (they have a fallback), computed names and inline partials the template defines', () => {
    const source = '{{#> newsletter}}none yet{{/newsletter}}{{> (lookup . "kind")}}{{#*inline "card"}}<b>{{title}}</b>{{/inline}}{{> card}}';
    expect(partialReferences(Handlebars.parse(source))).toEqual([]);
  });
});
