// Writes the benchmark's two pictures, bench/www/img/post.png and product.png, as PNGs.
// Deterministic; run by hand only when they change (`node bench/make-images.mjs`), the
// files are committed.
//
// Raster, not SVG: shops' post and product photos are JPEG, PNG or WebP. Chromium renders
// an SVG `<img>` through a document of its own built on the main thread (the product
// picture's took 4-6 ms, traced, inside the bench's first tag → card click), a cost no
// photo has: its decoding happens off the main thread.
import { crc32, deflateSync } from "node:zlib"; // crc32: Node 20.15+
import { writeFileSync } from "node:fs";

const out = new URL("./www/img/", import.meta.url).pathname;

const chunk = (type, data) => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, tail]);
};

/** An 8-bit RGB PNG of `width`×`height`, `pixel(x, y)` → [r, g, b] at each pixel's centre. */
function png(width, height, pixel) {
  const row = width * 3 + 1; // filter byte 0 (none), then the row's pixels
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      raw.set(pixel(x + 0.5, y + 0.5), y * row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const rgb = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));

// A figure on a warm gradient, 600×750 (shown at 240×300 in every mount).
const [top, bottom, coat, head] = ["#efdfd2", "#c9a58a", "#2d3633", "#7a5a48"].map(rgb);
writeFileSync(`${out}post.png`, png(600, 750, (x, y) => {
  if ((x - 300) ** 2 + (y - 120) ** 2 <= 44 ** 2) return head;
  const shoulders = ((x - 300) / 90) ** 2 + ((y - 250) / 110) ** 2 <= 1;
  if (x >= 210 && x <= 390 && y <= 580 && (y >= 250 || shoulders)) return coat;
  return mix(top, bottom, y / 750);
}));

// A product on a grey ground, 400×300 (the card's picture).
const [ground, item] = ["#e4e5ea", "#5b616e"].map(rgb);
writeFileSync(`${out}product.png`, png(400, 300, (x, y) => (
  x >= 150 && x < 250 && y >= 80 && y < 220 ? item : ground
)));
