// Renders the report in headless Chromium: no console errors, no request
// beyond the file itself, a screenshot, and every figure checked against the
// summary's JSON. Usage: node render.mjs REPORT.html SUMMARY.json SCREENSHOT.png
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [report, summaryPath, screenshot] = process.argv.slice(2);
// playwright-core is installed under .tools/node, named by WAYMARK_NODE_TOOLS.
const { chromium } = createRequire(`${process.env.WAYMARK_NODE_TOOLS}/index.js`)("playwright-core");
const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
const problems = [];
const url = pathToFileURL(report).href;
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
page.on("pageerror", (e) => problems.push(`page error: ${e}`));
page.on("request", (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
await page.goto(url, { waitUntil: "load" });
await page.screenshot({ path: screenshot, fullPage: true });

const day = (at) => new Intl.DateTimeFormat("en-CA", { timeZone: summary.zone }).format(new Date(at));
const byDay = new Map();
for (const m of summary.mood ?? []) {
  const d = day(m.at);
  const [sum, n] = byDay.get(d) ?? [0, 0];
  byDay.set(d, [sum + m.valence, n + 1]);
}
const expectedMood = [...byDay.entries()].sort().map(([d, [sum, n]]) => [d, Math.round((sum / n) * 10) / 10]);
const dots = (series) => page.$$eval(`circle[data-series="${series}"]`,
  (cs) => cs.map((c) => [c.dataset.day, Number(c.dataset.value)]));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const mood = await dots("mood");
if (!same(mood, expectedMood)) problems.push(`mood dots ${JSON.stringify(mood)} != ${JSON.stringify(expectedMood)}`);
const moodRows = await page.$$eval("#mood-table tbody tr", (rows) => rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent)]));
if (!same(moodRows, expectedMood)) problems.push(`mood table differs from the summary`);
for (const instrument of ["phq9", "gad7"]) {
  const expected = (summary.measures ?? []).filter((m) => m.instrument === instrument).map((m) => [day(m.at), m.total]);
  const got = await dots(instrument);
  if (!same(got, expected)) problems.push(`${instrument} dots ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
}
const scoreRows = await page.$$eval("#scores-table tbody tr", (rows) => rows.map((r) => Number(r.cells[2].textContent)));
if (!same(scoreRows, (summary.measures ?? []).map((m) => m.total))) problems.push("scores table differs from the summary");
const notes = await page.$$eval(".note", (ns) => ns.length);
if (notes !== (summary.notes ?? []).length) problems.push(`${notes} notes shown, ${(summary.notes ?? []).length} shared`);
const chartsHaveText = await page.$$eval("svg[role=img]", (svgs) => svgs.every((s) => s.querySelector("title") && s.querySelector("desc")));
if (!chartsHaveText) problems.push("a chart lacks its title or description");
await browser.close();
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
console.log(`report: rendered in Chromium with no errors and no requests; ${mood.length} mood days, ` +
  `${scoreRows.length} scores and ${notes} notes match the summary; screenshot ${screenshot}`);
