// scripts/stub-dead.mjs on a small module made here: the listed functions lose their bodies,
// other functions keep theirs, source paths and panic messages in the data become zeros,
// and texts wasm-bindgen throws to JavaScript stay. The data is laid out as Rust's is,
// strings end to end, with real strings ending where a path could seem to begin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import binaryen from 'binaryen';

const SCRIPT = new URL('../../scripts/stub-dead.mjs', import.meta.url).pathname;
const WAKER = 'js_sys::futures::jspi::task_waker::raw_';
const KEPT = 'shoppable::app::start::h0123456789abcdef';
const CARGO_HOME = '/home/ci/.cargo';
const DATA = [
  'imgsrc',
  'src/app.rs',
  'application/json',
  '/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/cell/once.rs',
  'text/src',
  `${CARGO_HOME}/registry/src/index.crates.io-1949cf8c6b5b557f/js-sys-0.3.107/src/futures/jspi.rs`,
  'RefCell already borrowed',
  'closure invoked recursively or after being dropped',
  'shoppable:cart:',
].join('');
const BASE = 1024; // where the data is loaded
/** Little-endian u32s. */
const words = (...ns) => new Uint8Array(new Uint32Array(ns).buffer);
/** The data: `DATA`, padding to 4, then two `Location`s (file address, length, line,
 * column): one of src/app.rs, one shaped alike but naming a string that is not a path. */
function data() {
  const text = new TextEncoder().encode(DATA);
  const pad = (4 - ((BASE + text.length) % 4)) % 4;
  const at = (t) => BASE + DATA.indexOf(t);
  return new Uint8Array([
    ...text, ...new Uint8Array(pad),
    ...words(at('src/app.rs'), 'src/app.rs'.length, 693, 46),
    ...words(at('shoppable:cart:'), 'shoppable:cart:'.length, 7, 9),
  ]);
}
const run = (path) => spawnSync('node', [SCRIPT, path], { encoding: 'utf8', env: { ...process.env, CARGO_HOME } });

/** A module with the four waker functions (or only `wakers` of them), one other function
 * and a data segment holding `DATA`. */
function module(wakers = ['clone', 'wake', 'wake_by_ref', 'drop']) {
  const m = new binaryen.Module();
  m.setMemory(1, 1, null, [{ offset: m.i32.const(BASE), data: data() }]);
  const body = () => m.i32.add(m.local.get(0, binaryen.i32), m.i32.const(7));
  for (const w of wakers) {
    m.addFunction(`${WAKER}${w}::h0123456789abcdef`, binaryen.i32, binaryen.i32, [], body());
  }
  m.addFunction(KEPT, binaryen.i32, binaryen.i32, [], body());
  const names = m.getNumFunctions();
  const all = [];
  for (let i = 0; i < names; i++) all.push(binaryen.Function.getName(m.getFunctionByIndex(i)));
  m.addTable('t', all.length, all.length);
  m.addActiveElementSegment('t', 'e', all, m.i32.const(0));
  m.addFunctionExport(KEPT, 'start');
  assert.ok(m.validate());
  binaryen.setDebugInfo(true);
  const dir = mkdtempSync(join(tmpdir(), 'stub-dead-'));
  const path = join(dir, 'm.wasm');
  writeFileSync(path, m.emitBinary());
  return path;
}

test('stubs the waker functions, keeps the others, blanks paths and panic messages', () => {
  const path = module();
  assert.equal(run(path).status, 0);
  const bytes = readFileSync(path);
  const m = binaryen.readBinary(bytes);
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const fn = m.getFunctionByIndex(i);
    const name = binaryen.Function.getName(fn);
    const id = binaryen.getExpressionId(binaryen.Function.getBody(fn));
    if (name.startsWith(WAKER)) assert.equal(id, binaryen.UnreachableId, name);
    else assert.notEqual(id, binaryen.UnreachableId, name);
  }
  const text = bytes.toString('latin1');
  for (const gone of ['src/app.rs', '/rustc/', 'once.rs', '.cargo', 'jspi.rs', 'RefCell already borrowed']) {
    assert.ok(!text.includes(gone), `${gone} is still in the data`);
  }
  // Each blanked text leaves as many zeros, and the strings beside it are whole.
  const zeros = (t) => '\0'.repeat(t.length);
  const jspi = DATA.slice(DATA.indexOf(`${CARGO_HOME}/`), DATA.indexOf('RefCell'));
  const once = DATA.slice(DATA.indexOf('/rustc/'), DATA.indexOf('text/src'));
  assert.ok(text.includes([
    'imgsrc', zeros('src/app.rs'), 'application/json', zeros(once), 'text/src', zeros(jspi),
    zeros('RefCell already borrowed'), 'closure invoked recursively or after being dropped',
    'shoppable:cart:',
  ].join('')));
  // The path's location loses its line and column; the look-alike keeps its numbers.
  const tail = Buffer.from(data().slice(-32));
  const after = bytes.subarray(bytes.indexOf(tail.subarray(16, 24)) - 16);
  assert.deepEqual([...after.subarray(0, 16)], [...tail.subarray(0, 8), ...new Uint8Array(8)]);
  assert.deepEqual([...after.subarray(16, 32)], [...tail.subarray(16, 32)]);
});

test('fails, and leaves the file alone, when a listed function is missing', () => {
  const path = module(['clone', 'wake', 'drop']);
  const before = readFileSync(path);
  const result = run(path);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /raw_wake_by_ref/);
  assert.deepEqual(readFileSync(path), before);
});
