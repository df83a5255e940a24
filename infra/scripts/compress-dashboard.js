// Precompresses the built dashboard (gzip and brotli beside each text asset), which the API serves as they are
// (@fastify/static preCompressed), and prints what a browser downloads: the JavaScript's size, raw and gzipped.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '../../dist/apps/dashboard');
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.(js|css|html|json|svg)$/.test(entry.name)) files.push(full);
  }
})(root);
let js = 0;
let jsGzip = 0;
for (const file of files) {
  const raw = fs.readFileSync(file);
  const gz = zlib.gzipSync(raw, { level: 9 });
  fs.writeFileSync(`${file}.gz`, gz);
  fs.writeFileSync(
    `${file}.br`,
    zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  if (file.endsWith('.js')) {
    js += raw.length;
    jsGzip += gz.length;
  }
}
console.log(
  `dashboard: ${files.length} files precompressed; JavaScript ${(js / 1024).toFixed(1)} KB, ${(jsGzip / 1024).toFixed(1)} KB gzipped`,
);
