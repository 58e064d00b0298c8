// Screenshots of the running `scripts/develop` venue, taken in headless Chromium from
// Debian's packages (scripts/screenshots installs playwright-core and chromium).
// Besides pictures, it handles one call and sends one group message from the UI, and
// prints what the simulators recorded.
import { chromium } from "playwright-core";

const BASE = "http://127.0.0.1:8123";
const OUT = process.argv[2];
const TRIO_CONTROL = "http://127.0.0.1:8091";
const TX_CONTROL = "http://127.0.0.1:8098";
const PHONE = "127.0.0.5";

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

async function open(path) {
  await page.goto(`${BASE}${path}`);
  // trusted_networks with one user: the login page logs in by itself.
  await page.waitForURL((url) => !url.pathname.startsWith("/auth"), { timeout: 30000 });
  await page.waitForTimeout(3500);
}
async function shot(name) {
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`docs/screenshots/${name}.png`);
}
async function post(url, body) {
  const response = await fetch(url, { method: "POST", body: JSON.stringify(body ?? {}),
    headers: { "Content-Type": "application/json" } });
  return response.json();
}
async function clickText(text) {
  await page.getByText(text, { exact: true }).first().click();
  await page.waitForTimeout(1500);
}

await open("/venue-av/signage");
await shot("dashboard-signage");
await open("/lovelace/0");
await shot("overview");

// A call handled from the UI: it rings, is answered, held, resumed and ended there.
await post(`${TRIO_CONTROL}/phones/${PHONE}/incoming`, { number: "5551234", name: "Front Desk" });
await open("/venue-av/phones");
await shot("dashboard-phone-ringing");
await clickText("Answer");
await page.waitForTimeout(2500);
await shot("dashboard-phone-in-call");
await clickText("Hold");
await clickText("Resume");
await clickText("End");
await page.waitForTimeout(2500);
await shot("dashboard-phone-call-ended");
const log = await (await fetch(`${TRIO_CONTROL}/phones/${PHONE}/log`)).json();
console.log("phone received:", JSON.stringify(
  (log.requests ?? log).map((r) => r.path ?? r).filter((p) => String(p).includes("callctrl"))));

// A message to the first floor's TVs from the dashboard (notify entity dialog).
await open("/venue-av/tvs");
// The message box: typed in the text helper, sent by the script's "Run".
try {
  const box = page.getByLabel("TV message").first();
  await box.fill("Pool closes at 20:00");
  await box.press("Enter");
  await page.waitForTimeout(1000);
  await page.getByRole("button", { name: /^run$/i }).first().click();
  await page.waitForTimeout(2000);
} catch (error) {
  console.log(`message box not driven: ${error.message.split("\n")[0]}`);
}
await shot("dashboard-tvs");
await clickText("Breakfast message to the first floor");
await shot("tv-message-confirm");
await page.getByRole("button", { name: /^(yes|confirm|ok)$/i }).first().click();
await page.waitForTimeout(2500);
const boxes = await (await fetch(`${TX_CONTROL}/boxes`)).json();
const reached = [];
for (const box of boxes) {
  const done = await (await fetch(`${TX_CONTROL}/boxes/${box._id}/executed`)).json();
  const messages = done.map((item) => item.params?.message).filter(Boolean);
  if (messages.length) reached.push(`${box.name}: ${messages.join(" / ")}`);
}
console.log("messages the boxes showed:", reached.join("; "));

await open("/config/devices/dashboard");
await shot("devices");
// One signage player's device page (entity names read as sentences).
await clickText("IMM Client 1");
await page.waitForTimeout(2500);
await shot("imm-device-page-after");
await browser.close();
