//! Embeds the browser libraries (htmx, ECharts) from the npm registry: `npm ci` into
//! `vendor/node_modules` when they are missing, then copies the minified files to OUT_DIR.

use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [(&str, &str); 2] =
    [("htmx.org/dist/htmx.min.js", "htmx.min.js"), ("echarts/dist/echarts.min.js", "echarts.min.js")];

fn main() {
    let vendor = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendor");
    println!("cargo:rerun-if-changed=vendor/package-lock.json");
    println!("cargo:rerun-if-changed=vendor/package.json");
    let modules = vendor.join("node_modules");
    if FILES.iter().any(|(src, _)| !modules.join(src).exists()) {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&vendor)
            .status()
            .unwrap_or_else(|e| {
                panic!("kexie needs npm to fetch htmx and ECharts (run `npm ci` in {}): {e}", vendor.display())
            });
        assert!(status.success(), "`npm ci` in {} failed", vendor.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for (src, dest) in FILES {
        std::fs::copy(modules.join(src), out.join(dest)).unwrap_or_else(|e| panic!("copy {src}: {e}"));
    }
}
