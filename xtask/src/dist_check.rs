//! The `dist` tier: builds the release artifacts (`cargo xtask dist`) and checks each one as a
//! person would get it, one count per check: every host binary's format and CPU (static for
//! Linux), `SHA256SUMS`, the Linux host end to end in a minimal Debian root (`dist_debian`), the
//! Windows host installing itself under Wine (`dist_wine`), the Chromium zip loaded in
//! Chromium, and Firefox's linter on the xpi.
use crate::dist::{self, HOSTS};
use crate::install::Scratch;
use crate::sh::{self, cmd, root, Result};
use crate::test::{product_env, tap_counts, Counts};
use object::{Architecture, BinaryFormat, Object};
use ssobridge_core::install_hint::HostAsset;

pub fn tier() -> Result<Counts> {
    let mut c = Counts::default();
    let mut tally = |name: &str, r: Result| match r {
        Ok(()) => {
            eprintln!("dist check ok: {name}");
            c.passed += 1
        }
        Err(e) => {
            eprintln!("dist check {name} failed: {e}");
            crate::test::record_failure(&format!("dist check {name}"), &e);
            c.failed += 1;
        }
    };
    // `cargo xtask test` built the extension before the tiers.
    let built = dist::package();
    let ok = built.is_ok();
    tally("cargo xtask dist", built);
    if !ok {
        return Ok(c);
    }
    for host in HOSTS {
        tally(&format!("{} header", host.file), check_header(host));
    }
    tally("SHA256SUMS", sh::run(cmd("sha256sum").arg("-c").arg("SHA256SUMS").current_dir(dist::dir())));
    tally("linux host in a Debian root, then the AWS CLI", crate::dist_debian::check());
    tally("windows host installs itself under Wine", crate::dist_wine::check());
    tally("chromium zip loads in Chromium", chromium_zip_loads());
    tally("web-ext lint on the xpi", xpi_lints_clean());
    Ok(c)
}

/// What a host binary for `triple` must be: its container format and CPU.
pub fn expected(triple: &str) -> (BinaryFormat, Architecture) {
    let format = if triple.contains("windows") {
        BinaryFormat::Pe
    } else if triple.contains("apple") {
        BinaryFormat::MachO
    } else {
        BinaryFormat::Elf
    };
    let arch = if triple.starts_with("aarch64") { Architecture::Aarch64 } else { Architecture::X86_64 };
    (format, arch)
}

fn check_header(host: &HostAsset) -> Result {
    let asset = host.file;
    let path = dist::dir().join(asset);
    let data = std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let file = object::File::parse(&*data).map_err(|e| format!("{}: not an executable: {e}", asset))?;
    let (format, arch) = expected(dist::target(host));
    if file.format() != format || file.architecture() != arch {
        return Err(format!("{} is {:?} {:?}, not {format:?} {arch:?}", asset, file.format(), file.architecture()));
    }
    if format == BinaryFormat::Elf {
        // Static: no program interpreter and no shared library to load.
        let needs = elf_needs(&data)?;
        if !needs.is_empty() {
            return Err(format!("{} is not static: it needs {}", asset, needs.join(", ")));
        }
    }
    if format == BinaryFormat::MachO && arch == Architecture::Aarch64 && !macho_signed(&data)? {
        // Apple silicon refuses to run an arm64 binary with no signature (ad hoc is enough).
        return Err(format!("{asset} has no code signature (LC_CODE_SIGNATURE)"));
    }
    eprintln!("{}: {format:?} {arch:?}{}", asset, if format == BinaryFormat::Elf { ", static" } else { "" });
    Ok(())
}

/// The ELF's interpreter and undefined dynamic symbols (both empty for a static binary).
fn elf_needs(data: &[u8]) -> Result<Vec<String>> {
    use object::read::elf::{ElfFile64, ProgramHeader};
    let elf = ElfFile64::<object::Endianness>::parse(data).map_err(|e| format!("ELF: {e}"))?;
    let endian = elf.endian();
    let mut needs = Vec::new();
    for ph in elf.elf_program_headers() {
        if ph.p_type(endian) == object::elf::PT_INTERP {
            needs.push("a program interpreter (PT_INTERP)".to_string());
        }
    }
    let imports = elf.imports().map_err(|e| format!("ELF imports: {e}"))?;
    needs.extend(imports.iter().take(5).map(|i| String::from_utf8_lossy(i.name()).into_owned()));
    Ok(needs)
}

/// True when the Mach-O carries a code signature load command.
fn macho_signed(data: &[u8]) -> Result<bool> {
    use object::read::macho::MachOFile64;
    let macho = MachOFile64::<object::Endianness>::parse(data).map_err(|e| format!("Mach-O: {e}"))?;
    let mut commands = macho.macho_load_commands().map_err(|e| format!("Mach-O load commands: {e}"))?;
    while let Some(command) = commands.next().map_err(|e| format!("Mach-O load command: {e}"))? {
        if command.cmd() == object::macho::LC_CODE_SIGNATURE {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Unzips the Chromium package and runs the e2e smoke test on it: Chromium loads it with the
/// fixed id, the worker starts, its wasm core answers `{type: 'status'}` with the version.
fn chromium_zip_loads() -> Result {
    let unpacked = Scratch::new("dist-chromium")?;
    sh::run(cmd("python3").args(["-m", "zipfile", "-e"]).arg(dist::dir().join(dist::chromium_zip())).arg(&unpacked.0))?;
    let mut c = cmd("node");
    product_env(&mut c)
        .env("SSOBRIDGE_EXTENSION_DIR", &unpacked.0)
        .args(["--experimental-websocket", "--test", "--test-reporter=tap", "--test-force-exit"])
        .arg(root().join("tests/e2e/smoke.test.mjs"));
    let (ok, out) = sh::tee(&mut c)?;
    let counts = tap_counts(&out);
    if !ok || counts.failed > 0 || counts.passed == 0 {
        return Err(format!("smoke.test.mjs on the zip: {} passed, {} failed", counts.passed, counts.failed));
    }
    Ok(())
}

/// Firefox's linter on the xpi's contents, as addons.mozilla.org would run it.
fn xpi_lints_clean() -> Result {
    let unpacked = Scratch::new("dist-firefox")?;
    sh::run(cmd("python3").args(["-m", "zipfile", "-e"]).arg(dist::dir().join(dist::firefox_xpi())).arg(&unpacked.0))?;
    crate::test::web_ext_lint_dir(&unpacked.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_names_its_os_and_cpu() {
        for h in HOSTS {
            let (format, arch) = expected(dist::target(h));
            let os = match format {
                BinaryFormat::Pe => "windows",
                BinaryFormat::MachO => "macos",
                _ => "linux",
            };
            let cpu = if arch == Architecture::Aarch64 { "arm64" } else { "x86_64" };
            assert!(h.file.starts_with(&format!("ssobridge-host-{os}-{cpu}")), "{}", h.file);
            assert_eq!(h.file.ends_with(".exe"), os == "windows");
        }
    }
}
