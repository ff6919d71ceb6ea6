// Drives the real kexie binary in Debian's Chromium (never a downloaded browser). The server
// starts on a fresh data directory with the demo district.
import { defineConfig } from "@playwright/test";
import * as os from "os";
import * as path from "path";

const port = Number(process.env.KEXIE_E2E_PORT ?? 18090);
const bin = process.env.KEXIE_BIN ?? path.resolve(__dirname, "../target/debug/kexie");
const data = path.join(os.tmpdir(), `kexie-e2e-${process.pid}`);

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "zh-CN",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `rm -rf ${data} && ${bin} --data ${data} serve --demo --listen 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { KEXIE_LOGIN_BURST: "200", KEXIE_LOGIN_PER_MINUTE: "200", RUST_LOG: "warn" },
  },
});
