// Renders the report in headless Chromium: no console errors, no request
// beyond the file itself, a screenshot, and every figure checked against the
// summary's JSON, PHQ-9 item 9 in words wherever it is above 0 or declined.
// Usage: node render.mjs REPORT.html SUMMARY.json SCREENSHOT.png [MIN_ITEM9_MARKS]
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [report, summaryPath, screenshot, minItem9Marks = "0"] = process.argv.slice(2);
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
  // A result with an item declined has no total, so it is not plotted.
  const complete = (m) => m.complete !== false && m.items.every((i) => i !== null);
  const expected = (summary.measures ?? []).filter((m) => m.instrument === instrument && complete(m)).map((m) => [day(m.at), m.total]);
  const got = await dots(instrument);
  if (!same(got, expected)) problems.push(`${instrument} dots ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
}
const scoreRows = await page.$$eval("#scores-table tbody tr", (rows) => rows.map((r) => Number(r.cells[2].dataset.total)));
if (!same(scoreRows, (summary.measures ?? []).map((m) => m.total))) problems.push("scores table differs from the summary");
// PHQ-9 item 9: above 0 or declined, in words in its row and in the box above the chart; above 0, ringed on the chart.
const item9Words = ["not at all", "several days", "more than half the days", "nearly every day"];
const question = "Thoughts that you would be better off dead or of hurting yourself in some way";
const rows = await page.$$eval("#scores-table tbody tr", (rs) => rs.map((r) => ({ flagged: r.classList.contains("item9"), item9: r.cells[4].textContent })));
const box = await page.$eval("#item9-alert", (b) => b.innerText).catch(() => "");
const visible = await page.$eval("#item9-alert", (b) => b.offsetHeight > 0).catch(() => false);
let marks = 0;
for (const [i, m] of (summary.measures ?? []).entries()) {
  if (m.instrument !== "phq9") continue;
  const answer = m.items[8];
  const words = answer === null ? `${question}: prefer not to answer` : `${question}: ${item9Words[answer]}`;
  if (rows[i].item9 !== words) problems.push(`row ${i}: item 9 reads "${rows[i].item9}", not "${words}"`);
  const needsFollowUp = answer === null || answer > 0;
  if (rows[i].flagged !== needsFollowUp) problems.push(`row ${i}: item-9 marking is ${rows[i].flagged}`);
  if (needsFollowUp && !(visible && box.includes(words))) problems.push(`the item-9 box does not show "${words}"`);
  if (answer > 0) {
    const ring = await page.$(`circle.item9-mark[data-day="${day(m.at)}"][data-item9="${answer}"]`);
    if (!ring) problems.push(`no ring on the chart for item 9 = ${answer} on ${day(m.at)}`);
    else marks += 1;
  }
}
if (marks < Number(minItem9Marks)) problems.push(`${marks} item-9 rings, expected at least ${minItem9Marks}`);
const notes = await page.$$eval(".note", (ns) => ns.length);
if (notes !== (summary.notes ?? []).length) problems.push(`${notes} notes shown, ${(summary.notes ?? []).length} shared`);
const chartsHaveText = await page.$$eval("svg[role=img]", (svgs) => svgs.every((s) => s.querySelector("title") && s.querySelector("desc")));
if (!chartsHaveText) problems.push("a chart lacks its title or description");
await browser.close();
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
console.log(`report: rendered in Chromium with no errors and no requests; ${mood.length} mood days, ` +
  `${scoreRows.length} scores (${marks} with item 9 above 0, ringed and in words) and ${notes} notes match the summary; ` +
  `screenshot ${screenshot}`);
