// Copy the front-end files jamlik serves from npm packages into the package's static folder.
//
// Run through `npm ci && npm run build` (the Makefile does this). The web application only ever
// serves these copies: nothing is fetched from the network when a page is shown. axe-core is a
// test-only dependency and stays in node_modules, where the browser tests read it.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "jamlik", "web", "static", "vendor");

// package → [file inside the package, name in vendor/]
const FILES = {
  vega: [["build/vega.min.js", "vega.min.js"], ["LICENSE", "vega.LICENSE.txt"]],
  "vega-lite": [["build/vega-lite.min.js", "vega-lite.min.js"], ["LICENSE", "vega-lite.LICENSE.txt"]],
  "vega-embed": [["build/vega-embed.min.js", "vega-embed.min.js"], ["LICENSE", "vega-embed.LICENSE.txt"]],
  "htmx.org": [["dist/htmx.min.js", "htmx.min.js"], ["LICENSE", "htmx.LICENSE.txt"]],
};

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const versions = {};
for (const [pkg, files] of Object.entries(FILES)) {
  const root = join(here, "node_modules", pkg);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  } catch {
    console.error(`${pkg} is not installed: run \`npm ci\` in ${here} first.`);
    process.exit(1);
  }
  versions[pkg] = manifest.version;
  for (const [from, to] of files) copyFileSync(join(root, from), join(target, to));
}
// The app reads this to say which versions it serves, and to refuse a half-built folder.
writeFileSync(join(target, "VERSIONS.json"), JSON.stringify(versions, null, 2) + "\n");
console.log(`Vendored into ${target}: ${Object.entries(versions).map(([p, v]) => `${p} ${v}`).join(", ")}`);
