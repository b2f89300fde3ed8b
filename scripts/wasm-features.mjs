// The wasm features binaryen.js reads and writes the widget's module with, in the build's
// scripts: those the Makefile gives wasm-opt (WASM_FEATURES). Not `All`, which would make
// binaryen write GC-style type groups.
import binaryen from 'binaryen';

const F = binaryen.Features;
export const FEATURES = F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt |
  F.MutableGlobals | F.ReferenceTypes | F.Multivalue;
