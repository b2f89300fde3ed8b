// Prints the size of the core-only experiment (see src/lib.rs here) next to the widget's
// own wasm, brotli -q 11 like scripts/size.mjs. Run by `make size-core`.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const br = (path) => {
  const data = readFileSync(new URL(`../../${path}`, import.meta.url));
  const packed = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  return [data.length, packed.length];
};
const rows = [
  ["core alone: wasm", "target/core-only/core_bg.wasm"],
  ["core alone: glue (minified)", "target/core-only/core.js"],
  ["widget: wasm", "dist/shoppable-core_bg.wasm"],
  ["widget: glue (minified)", "dist/shoppable-core.js"],
];
console.log("file".padEnd(30), "raw".padStart(8), "brotli".padStart(8));
for (const [name, path] of rows) {
  try {
    const [raw, packed] = br(path);
    console.log(name.padEnd(30), String(raw).padStart(8), String(packed).padStart(8));
  } catch {
    console.log(name.padEnd(30), "(not built)".padStart(17));
  }
}
