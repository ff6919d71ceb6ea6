import { Page, expect } from "@playwright/test";

export const PASSWORD = "kexie-demo-2026";

export async function login(page: Page, username: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

export async function loginOk(page: Page, username: string) {
  await login(page, username);
  // A scope's overview (全区概览, 金沙街道概览), or a greeting for people acting for themselves.
  await expect(page.getByRole("heading", { level: 1, name: /(概览|您好)$|^首页$/ })).toBeVisible();
  await page.waitForLoadState("load");
}

// Ticks a public form's consent to the privacy notice (个人信息保护法), if the page has one.
export async function tickConsent(page: Page) {
  const box = page.locator("input[name=consent]");
  if (await box.count()) await box.check();
}

// An ID number with its check character (GB 11643).
export function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split("").reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

// The sum a public form asks, answered as a person reads it ("3 加 4 等于几？"); the form's
// privacy consent box is ticked on the way, as the person must before sending.
export async function solve(page: Page): Promise<string> {
  await tickConsent(page);
  const q = (await page.locator("[data-question]").textContent()) ?? "";
  const [a, op, b] = q.trim().split(/\s+/);
  return String(op === "加" ? Number(a) + Number(b) : Number(a) - Number(b));
}
