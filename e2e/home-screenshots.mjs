// Screenshots of the home page per role for docs/screenshots, taken in Debian's Chromium
// against a running demo server:
//   target/debug/kexie serve --demo --data /tmp/homedemo --listen 127.0.0.1:18090
//   node e2e/home-screenshots.mjs http://127.0.0.1:18090 docs/screenshots
import { chromium } from "@playwright/test";

const [base = "http://127.0.0.1:18090", out = "../docs/screenshots"] = process.argv.slice(2);
const users = ["staff", "jinsha", "volunteer", "qiye", "expert"];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const user of users) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  await page.goto(`${base}/login`);
  await page.getByLabel("用户名").fill(user);
  await page.getByLabel("密码").fill(process.env.KEXIE_DEMO_PASSWORD ?? "kexie-demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(`${base}/`);
  await page.waitForLoadState("networkidle");
  // ECharts draws after its script loads; give the animation time to settle.
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${out}/home-${user}.png`, fullPage: false });
  await page.close();
}
await browser.close();
