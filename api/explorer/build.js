// Copies the browser libraries the app serves into api/static/vendor/ (axe-core is for the accessibility
// check the tests run on the explorer; the page itself does not load it), so the explorer and /docs work offline
// and a fresh clone needs no npm. Run `npm ci && npm run build` here after changing a version, then commit the
// lock file and the copied files together (tests/test_explorer.py checks that they agree).
const fs = require("fs");
const path = require("path");

const out = path.join(__dirname, "..", "static", "vendor");
const files = [
  ["cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape.LICENSE"],
  ["axe-core/axe.min.js", "axe.min.js"],
  ["axe-core/LICENSE", "axe.LICENSE"],
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui-bundle.js"],
  ["swagger-ui-dist/swagger-ui.css", "swagger-ui.css"],
  ["swagger-ui-dist/LICENSE", "swagger-ui.LICENSE"],
];
fs.mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  fs.copyFileSync(path.join(__dirname, "node_modules", from), path.join(out, to));
  console.log(`copied ${from} -> api/static/vendor/${to}`);
}
