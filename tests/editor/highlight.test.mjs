// The editor grammar (editors/vscode) run through the engine VS Code itself
// uses: vscode-textmate with the Oniguruma regex library (WebAssembly).
//   NSP_ROOT     the repository
//   NSP_MODULES  a node_modules with vscode-textmate and vscode-oniguruma
// Run by tests/editor/run.sh (ctest `editor-grammar`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = process.env.NSP_ROOT;
const modules = process.env.NSP_MODULES;
assert.ok(root && modules, 'NSP_ROOT and NSP_MODULES must be set');
const require = createRequire(path.join(modules, 'package.json'));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = path.join(root, 'editors/vscode/syntaxes/nsp.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.nsp') return null;
      return vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath);
    },
  });
  return registry.loadGrammar('source.nsp');
}
const grammar = await loadGrammar();

// [{text, scopes}] for every token of every line of `source`.
function tokenize(source) {
  const out = [];
  let stack = vsctm.INITIAL;
  source.split(/\r?\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens)
      out.push({ line: i + 1, col: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}
const scopeOf = (tokens, text) => {
  const t = tokens.find((x) => x.text === text);
  assert.ok(t, `no token '${text}'`);
  return t.scopes.join(' ');
};

// Every policy the repository ships (the deliberately broken ones under
// tests/errors excepted).
function shippedPolicies() {
  const dirs = ['examples', 'policies', 'tests/golden/cases', 'tests/golden/analysis', 'tests/audit/cases'];
  const files = [];
  for (const d of dirs)
    for (const f of fs.readdirSync(path.join(root, d)))
      if (f.endsWith('.nsp')) files.push(path.join(d, f));
  const enforce = path.join(root, 'tests/enforce/cases');
  for (const c of fs.readdirSync(enforce))
    for (const f of fs.readdirSync(path.join(enforce, c)))
      if (f.endsWith('.nsp')) files.push(path.join('tests/enforce/cases', c, f));
  return files.sort();
}

test('every shipped policy tokenizes with no invalid token and no unscoped text', () => {
  const files = shippedPolicies();
  assert.ok(files.length >= 30, `only ${files.length} policies found`);
  for (const f of files) {
    const text = fs.readFileSync(path.join(root, f), 'utf8').replace(/^\uFEFF/, '');
    for (const t of tokenize(text)) {
      const where = `${f}:${t.line}:${t.col} '${t.text}' (${t.scopes.join(' ')})`;
      assert.ok(!t.scopes.some((s) => s.startsWith('invalid')), `invalid token at ${where}`);
      if (t.text.trim() !== '')
        assert.ok(t.scopes.length > 1, `text without a scope at ${where}`);
    }
  }
});

test('keywords, names, strings, comments, CIDRs, dates, services and punctuation get their scopes', () => {
  const src = [
    'policy acme { owner "netsec@acme.example" }  # the owner',
    'service dns udp/53, tcp/53 no-pivot',
    'zone core in corp { kind datacenter level classified networks 10.10.0.0/16, fd00:10::/48 crown-jewel }',
    'access web-in { from internet, dmz to web service https log justification "say \\"hi\\"" }',
    'firewall fw { backend nftables, iptables interface eth0 zone internet }',
    'expect no-path internet -> core',
    'waive hop app -> core service any until 2027-01-01 because "r" ticket "T"',
  ].join('\n');
  const t = tokenize(src);
  assert.match(scopeOf(t, 'policy'), /storage\.type\.nsp/);
  assert.match(scopeOf(t, 'acme'), /entity\.name\.type\.nsp/);
  assert.match(scopeOf(t, 'netsec@acme.example'), /string\.quoted\.double\.nsp/);
  assert.match(scopeOf(t, ' the owner'), /comment\.line\.number-sign\.nsp/);
  assert.match(scopeOf(t, 'udp/53'), /constant\.other\.service\.nsp/);
  assert.match(scopeOf(t, 'no-pivot'), /keyword\.other\.nsp/);
  assert.match(scopeOf(t, 'in'), /keyword\.other\.nsp/);
  assert.match(scopeOf(t, 'corp'), /variable\.other\.name\.nsp/);
  assert.match(scopeOf(t, 'datacenter'), /support\.constant\.nsp/);
  assert.match(scopeOf(t, '10.10.0.0/16'), /constant\.numeric\.cidr\.nsp/);
  assert.match(scopeOf(t, 'fd00:10::/48'), /constant\.numeric\.cidr\.nsp/);
  assert.match(scopeOf(t, 'crown-jewel'), /keyword\.other\.nsp/);
  assert.match(scopeOf(t, 'web-in'), /entity\.name\.type\.nsp/);
  assert.match(scopeOf(t, '\\"'), /constant\.character\.escape\.nsp/);
  assert.match(scopeOf(t, 'nftables'), /support\.constant\.backend\.nsp/);
  assert.match(scopeOf(t, 'iptables'), /support\.constant\.backend\.nsp/);
  assert.match(scopeOf(t, 'eth0'), /variable\.other\.name\.nsp/);
  assert.match(scopeOf(t, '->'), /keyword\.operator\.arrow\.nsp/);
  assert.match(scopeOf(t, 'any'), /constant\.language\.any\.nsp/);
  assert.match(scopeOf(t, '2027-01-01'), /constant\.numeric\.date\.nsp/);
  assert.match(scopeOf(t, '{'), /punctuation\.section\.block\.begin\.nsp/);
  assert.match(scopeOf(t, '}'), /punctuation\.section\.block\.end\.nsp/);
  // A rule's `service` field is a keyword, not a declaration.
  const web = t.filter((x) => x.line === 4 && x.text === 'service');
  assert.equal(web.length, 1);
  assert.match(web[0].scopes.join(' '), /keyword\.other\.nsp/);
  assert.doesNotMatch(scopeOf(t, 'https'), /entity\.name/);
});

test('broken input is marked invalid: an unterminated string, a stray character', () => {
  const t = tokenize('policy p { owner "no end\nzone a { kind dmz ; }');
  assert.match(scopeOf(t, '"no end'), /invalid\.illegal\.unterminated-string\.nsp/);
  assert.match(scopeOf(t, ';'), /invalid\.illegal\.character\.nsp/);
  // The unterminated string ends with its line: the next line is read afresh.
  assert.match(scopeOf(t, 'zone'), /storage\.type\.nsp/);
});

test('every keyword of grammar/Netsep.g4 is highlighted as a keyword', () => {
  const g4 = fs.readFileSync(path.join(root, 'grammar/Netsep.g4'), 'utf8');
  const keywords = [...g4.matchAll(/^[A-Z_]+\s*:\s*'([a-z][a-z-]*)'\s*;/gm)].map((m) => m[1]);
  assert.ok(keywords.length >= 50, `only ${keywords.length} keywords read from the grammar`);
  for (const k of keywords) {
    const t = tokenize(`  ${k}`).find((x) => x.text === k);
    assert.ok(t, `keyword '${k}' is not one token`);
    assert.match(t.scopes.join(' '), /keyword\.|storage\.type|constant\.language/, `keyword '${k}': ${t.scopes}`);
  }
});

test('the language configuration toggles # comments and matches braces', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(root, 'editors/vscode/language-configuration.json'), 'utf8'));
  assert.equal(conf.comments.lineComment, '#');
  assert.deepEqual(conf.brackets, [['{', '}']]);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'editors/vscode/package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.languages[0].extensions, ['.nsp']);
  assert.equal(manifest.contributes.grammars[0].scopeName, 'source.nsp');
});
