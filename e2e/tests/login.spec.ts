import { test, expect } from "@playwright/test";
import { login, loginOk, PASSWORD } from "./helpers";

test("a staff member signs in and sees the district at a glance", async ({ page }) => {
  await loginOk(page, "staff");
  await expect(page.locator("[data-stat=orgs]")).toHaveText(/^\d{1,3}(,\d{3})+$/);
  // ECharts drew both charts.
  await expect(page.locator("[data-chart=kinds] canvas")).toBeVisible();
  await expect(page.locator("[data-chart=towns] canvas")).toBeVisible();
  // Counts link to the records behind them.
  await page.getByRole("link", { name: /组织总数/ }).click();
  await expect(page).toHaveURL(/\/orgs$/);
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page.getByText("您已安全退出。")).toBeVisible();
});

test("a wrong password is refused, five lock the account, and an administrator lifts the lock", async ({ page, browser }) => {
  for (let i = 1; i <= 4; i++) {
    await login(page, "volunteer", "Wrong-pass-" + i);
    await expect(page.locator("#login-error")).toHaveText("用户名或密码不正确");
  }
  await login(page, "volunteer", "Wrong-pass-5");
  await expect(page.locator("#login-error")).toContainText("登录失败次数过多，请 15 分钟后再试");
  await login(page, "volunteer", PASSWORD);
  await expect(page.locator("#login-error")).toContainText("登录失败次数过多");
  // The administrator lifts it on the account's page; the right password works again.
  const admin = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await loginOk(admin, "admin");
  await admin.goto("/accounts?q=volunteer");
  await admin.getByRole("link", { name: "volunteer", exact: true }).click();
  await admin.getByRole("button", { name: "解除锁定" }).click();
  await expect(admin.getByRole("button", { name: "解除锁定" })).toHaveCount(0);
  await loginOk(page, "volunteer");
});

test("empty fields are flagged inline before anything is sent", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("[data-error-for=username]")).toHaveText("此项为必填");
  await expect(page).toHaveURL(/\/login$/);
});

test("the interface switches to English and back", async ({ page }) => {
  await loginOk(page, "admin");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "District at a glance" })).toBeVisible();
  await page.getByRole("link", { name: "Organisations", exact: true }).first().click();
  await expect(page.getByRole("link", { name: "Export to Excel" })).toBeVisible();
  await page.getByRole("link", { name: "中文" }).click();
  await expect(page.getByRole("link", { name: "导出 Excel" })).toBeVisible();
});
