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
  await expect(page.getByRole("heading", { name: /概览$/ }).or(page.getByRole("heading", { name: "欢迎使用科协工作平台" }))).toBeVisible();
  await page.waitForLoadState("load");
}
