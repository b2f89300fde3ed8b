// scripts/order-functions.mjs on small modules and glue made here: the functions come out
// grouped by type, fewer locals first, then smallest first, and the module does what it
// did, through direct calls, a table and its exports alike; the glue's import shims come out grouped by shape,
// each the same code under the same name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import binaryen from 'binaryen';

const SCRIPT = new URL('../../scripts/order-functions.mjs', import.meta.url).pathname;
const run = (...paths) => spawnSync('node', [SCRIPT, ...paths], { encoding: 'utf8' });

/** Writes the module in `wat` to a file of its own; its path. */
function file(wat) {
  const m = binaryen.parseText(wat);
  m.setFeatures(binaryen.Features.All);
  assert.ok(m.validate());
  const path = join(mkdtempSync(join(tmpdir(), 'order-functions-')), 'm.wasm');
  writeFileSync(path, m.emitBinary());
  return path;
}

// Written big before small and the two types interleaved; `$big` calls `$small` directly
// and `$wide` through the table, so a wrong index anywhere changes a result.
const WAT = `(module
  (type $ii (func (param i32) (result i32)))
  (table 2 2 funcref)
  (elem (i32.const 0) $wide $small)
  (func $big (export "big") (param $x i32) (result i32)
    (i32.add
      (call $small (i32.mul (local.get $x) (i32.const 3)))
      (call_indirect (type $ii) (local.get $x) (i32.const 0))))
  (func $pair (export "pair") (param $a i32) (param $b i32) (result i32)
    (i32.sub (local.get $a) (local.get $b)))
  (func $small (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  (func $wide (param $x i32) (result i32)
    (i32.xor (i32.shl (local.get $x) (i32.const 4)) (i32.const 0x55)))
  (func $apply (export "apply") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $ii) (local.get $x) (local.get $i)))
  (func $twice (export "twice") (param $x i32) (result i32) (local $y i32)
    (local.set $y (call $small (local.get $x)))
    (i32.add (local.get $y) (local.get $y)))
)`;

/** Each function's parameter count, number of locals and text's length, in the module's
 * order. */
function layout(bytes) {
  const text = binaryen.readBinary(bytes).emitText();
  const funcs = text.split(/\n(?= \()/).filter((f) => f.startsWith(' (func '));
  return funcs.map((f) => ({
    params: (f.split('\n')[0].match(/\(param /g) || []).length,
    locals: (f.match(/\n\s+\(local /g) || []).length,
    size: f.length,
  }));
}

test('groups functions by type, smallest first, and keeps what the module does', async () => {
  const path = file(WAT);
  const before = readFileSync(path);
  const result = run(path);
  assert.equal(result.status, 0, result.stderr);
  const after = readFileSync(path);
  assert.notDeepEqual(after, before, 'nothing was reordered');

  const order = layout(after);
  assert.equal(order.length, 6);
  // Each type in one run (they were interleaved: 1, 2, 1, 1, 2, 1 parameters); within it,
  // fewer locals first (`$twice`, with one, is smaller than `$big` but comes after it),
  // then smallest first.
  const runs = order.map((f) => f.params).filter((p, i, all) => i === 0 || p !== all[i - 1]);
  assert.deepEqual([...runs].sort(), [1, 2], JSON.stringify(order));
  for (let i = 1; i < order.length; i++) {
    const [p, f] = [order[i - 1], order[i]];
    if (f.params !== p.params) continue;
    assert.ok(f.locals > p.locals || (f.locals === p.locals && f.size >= p.size), JSON.stringify(order));
  }
  assert.equal(order.filter((f) => f.locals === 1).length, 1);

  const exports = async (bytes) => (await WebAssembly.instantiate(bytes)).instance.exports;
  const [a, b] = [await exports(before), await exports(after)];
  for (const x of [0, 1, 7, -5, 1000]) {
    assert.equal(b.big(x), a.big(x));
    assert.equal(b.pair(x, 3), a.pair(x, 3));
    assert.equal(b.apply(0, x), a.apply(0, x));
    assert.equal(b.apply(1, x), a.apply(1, x));
    assert.equal(b.twice(x), a.twice(x));
  }
  assert.equal(b.big(2), 7 + ((2 << 4) ^ 0x55));
});

test('fails, and leaves the file alone, on a module without functions', () => {
  const path = file('(module (memory 1) (data (i32.const 0) "(func (param i32))"))');
  const before = readFileSync(path);
  const result = run(path);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no function definitions/);
  assert.deepEqual(readFileSync(path), before);
});

// As terser leaves wasm-bindgen's glue: the import object `i` inside a function, and the
// object of import modules around it, which also starts with `__proto__: null`.
const glue = (entries) => `let u;function f(t){return String(t)}
const g=(()=>{const i={__proto__:null,${entries}};return{__proto__:null,a:i}})();export default g;`;
const ENTRIES = 'b:(t,e)=>t+e,a:t=>t.width,c:(t,e)=>t-e,d:t=>t.x,e:(t,e)=>{throw new Error(f(t))},h:t=>t.height';

test('groups the glue\'s import shims by shape, then length, each the same code', async () => {
  const path = file(WAT);
  const js = join(mkdtempSync(join(tmpdir(), 'order-functions-')), 'glue.js');
  writeFileSync(js, glue(ENTRIES));
  const result = run(path, js);
  assert.equal(result.status, 0, result.stderr);
  const load = async (text) => (await import(`data:text/javascript,${encodeURIComponent(text)}`)).default;
  const [a, b] = [await load(glue(ENTRIES)), await load(readFileSync(js, 'utf8'))];
  // `(t,e)=>…` before `t=>…`; within a shape, shortest first.
  assert.deepEqual(Object.keys(b.a), ['b', 'c', 'e', 'd', 'a', 'h']);
  for (const k of Object.keys(a.a)) assert.equal(String(b.a[k]), String(a.a[k]), k);
  assert.deepEqual(Object.keys(b), ['a']);
  assert.equal(Object.getPrototypeOf(b.a), null);
});

test('fails, and leaves both files alone, on an import object with a spread', () => {
  const path = file(WAT);
  const js = join(mkdtempSync(join(tmpdir(), 'order-functions-')), 'glue.js');
  writeFileSync(js, glue(`...u,${ENTRIES}`));
  const [wasm, text] = [readFileSync(path), readFileSync(js, 'utf8')];
  const result = run(path, js);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /not a plain/);
  assert.deepEqual(readFileSync(path), wasm);
  assert.equal(readFileSync(js, 'utf8'), text);
});
