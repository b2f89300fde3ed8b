// Puts the wasm's functions in an order brotli compresses better: grouped by type, then by
// their number of locals, smallest first. Nothing else changes: same functions, same code,
// same imports and exports; only their indices, and so the order of the function and code
// sections.
//
// Why: brotli finds repeats within a window and models bytes by what came just before. The
// order the linker and `wasm-opt` leave is the crate's call graph, which puts a 3 KB event
// handler between two 20-byte accessors of the same shape. Function bodies of one type and
// similar size share their parameter handling, their locals' declaration, their prologues
// and their call patterns, so side by side they compress as repeats. On this widget: −679 B
// brotli of 56,169 (on an older build, −627 B). Other orders, measured on the same two
// builds: by type and size, −507 and −546 B; by size alone, −353 and −405 B; a greedy chain
// of the most similar bodies, −335 B; `wasm-opt --reorder-functions` (by call count) +319 B
// and `--reorder-functions-by-name` +438 B. Function order has no effect on how V8
// compiles or runs a module (lazily, one function at its first call).
//
// How: binaryen prints the module as text, one top-level field per line start (`(func`,
// `(data`, …, nested forms indented deeper), and parses it back; the round trip alone is
// byte-identical (checked below, so a binaryen whose printer changed fails the build instead
// of shipping something else). A function's size is the length of its text, which tracks its
// binary size closely enough for an order; its type is its signature's text.
//
// The glue's import object gets the same treatment: its ~170 entries (one small arrow
// function per import, `Xb:(t,e)=>{throw new Error(f(t,e))}`) are sorted by their shape, the
// code with every name made alike, then by length, so the shims of one pattern sit together
// (−95 B of 3,281; sorted by their text instead, −80 B; by length alone, −20 B). An import object is read by
// name, so the order of its entries is the glue's to choose. After terser, on the shipped
// text: acorn finds the object, and each entry is moved whole, as written.
//
// Usage: node scripts/order-functions.mjs <wasm> [<glue>], both rewritten in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse as parseJs } from 'acorn';
import binaryen from 'binaryen';
import { FEATURES } from './wasm-features.mjs';

function fail(message) {
  console.error(`order-functions: ${message}`);
  process.exit(1);
}

/** A module read from its bytes, with the widget's features. */
function read(bytes) {
  const module = binaryen.readBinary(bytes);
  module.setFeatures(FEATURES);
  return module;
}
/** The bytes of the module `text` describes, validated. */
function parse(text) {
  const module = binaryen.parseText(text);
  module.setFeatures(FEATURES);
  if (!module.validate()) fail('the module parsed back from text does not validate');
  return module.emitBinary();
}

/**
 * The module's text with its function definitions sorted: by signature, number of locals,
 * size, then their old order.
 */
function order(text) {
  const lines = text.split('\n');
  const fields = []; // top-level fields, each a list of lines
  const head = [];
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(' (')) fields.push([line]);
    else if (line.startsWith(')')) { end = i; break; }
    else if (fields.length) fields.at(-1).push(line);
    else head.push(line);
  }
  const isFunc = (f) => f[0].startsWith(' (func ');
  const funcs = fields.filter(isFunc);
  // `(func $12 (param $0 i32) (result i32)`: the names go, the types stay.
  const signature = (f) => f[0].replace(/\$[^\s()]+/g, '').replace(/\s+/g, ' ');
  const size = (f) => f.reduce((n, l) => n + l.length + 1, 0);
  // binaryen prints a local a line: `(local $3 i32)`.
  const locals = (f) => f.filter((l) => /^\s+\(local /.test(l)).length;
  const keyed = funcs.map((f, i) => ({ f, i, sig: signature(f), locals: locals(f), size: size(f) }));
  keyed.sort((a, b) => (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0) || a.locals - b.locals || a.size - b.size || a.i - b.i);
  const out = [...head];
  let placed = false;
  for (const field of fields) {
    if (!isFunc(field)) out.push(...field);
    else if (!placed) {
      // The text format numbers functions by where they are written; the binary writer
      // puts every other field in its own section whatever its place in the text.
      for (const k of keyed) out.push(...k.f);
      placed = true;
    }
  }
  out.push(...lines.slice(end));
  return { text: out.join('\n'), count: funcs.length };
}

/**
 * The glue with its import object's entries sorted: by shape (their code with every name
 * made alike), then length, then their old order. The import object is the largest object
 * literal starting with `__proto__: null`, as wasm-bindgen writes it.
 */
function orderImports(js) {
  const ast = parseJs(js, { ecmaVersion: 'latest', sourceType: 'module' });
  let object = null;
  (function walk(node) {
    if (node.type === 'ObjectExpression' && node.properties[0]?.key?.name === '__proto__' &&
      node.properties.length > (object?.properties.length ?? 1)) object = node;
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child.type === 'string') walk(child);
      }
    }
  })(ast);
  if (!object) fail('the glue has no import object (`{__proto__: null, …}`)');
  const [proto, ...entries] = object.properties;
  for (const e of entries) {
    // A spread, a getter or a computed key could make the order matter.
    if (e.type !== 'Property' || e.kind !== 'init' || e.computed) {
      fail(`the import object has an entry that is not a plain \`name: value\` at ${e.start}`);
    }
  }
  const text = (node) => js.slice(node.start, node.end);
  const shape = (e) => text(e.value).replace(/[A-Za-z_$][\w$]*/g, 'i');
  const keyed = entries.map((e, i) => ({ text: text(e), shape: shape(e), length: e.end - e.start, i }));
  keyed.sort((a, b) => (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0) || a.length - b.length || a.i - b.i);
  const body = [text(proto), ...keyed.map((k) => k.text)].join(',');
  const out = js.slice(0, proto.start) + body + js.slice(entries.at(-1)?.end ?? proto.end);
  parseJs(out, { ecmaVersion: 'latest', sourceType: 'module' });
  return { js: out, count: entries.length };
}

function orderWasm(path) {
  const before = readFileSync(path);
  const text = read(before).emitText();
  const again = parse(text);
  if (Buffer.compare(Buffer.from(again), before) !== 0) {
    fail('binaryen\'s text round trip changed the module; the reordering relies on it being exact');
  }
  const { text: sorted, count } = order(text);
  if (count === 0) fail('no function definitions found in the text (has binaryen\'s printer changed?)');
  const after = parse(sorted);
  const funcsIn = (t) => t.split('\n').filter((l) => l.startsWith(' (func ')).length;
  const check = read(after).emitText();
  if (funcsIn(check) !== count) fail(`${count} functions went in, ${funcsIn(check)} came out`);
  const wa = new WebAssembly.Module(after), wb = new WebAssembly.Module(before);
  const same = (f) => JSON.stringify(f(wa)) === JSON.stringify(f(wb));
  if (!same(WebAssembly.Module.imports) || !same(WebAssembly.Module.exports)) {
    fail('the reordered module\'s imports or exports differ');
  }
  return { bytes: after, count };
}

const [wasm, glue] = process.argv.slice(2);
if (!wasm) fail('usage: node scripts/order-functions.mjs <wasm> [<glue>]');
// Both checked before either is written.
const module = orderWasm(wasm);
const imports = glue && orderImports(readFileSync(glue, 'utf8'));
writeFileSync(wasm, module.bytes);
console.log(`order-functions: ${module.count} functions ordered by type, locals and size`);
if (imports) {
  writeFileSync(glue, imports.js);
  console.log(`order-functions: the glue's ${imports.count} imports ordered by shape and length`);
}
