//! `~/.aws/config`: parse → print returns the input byte for byte, and the parse is stable.
//! A refused file names a line that exists; lint never panics on what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssobridge_core::config::{lint, ConfigFile};

fuzz_target!(|data: &[u8]| {
    match ConfigFile::parse_bytes(data) {
        Ok(file) => {
            let printed = file.to_string();
            assert_eq!(printed.as_bytes(), data, "parse → print changed the file");
            let again = ConfigFile::parse(&printed).expect("printed text parses");
            assert_eq!(again, file, "parsing the printed text gave another tree");
            let sections = file.section_ids().count();
            let headers =
                ssobridge_fuzz::config_lines::split_lines(&printed).iter().filter(|l| l.text.starts_with('[')).count();
            assert_eq!(sections, headers, "a header line was not read as a section");
            let _ = lint(&printed);
        }
        Err(e) => {
            let lines = data.split(|b| *b == b'\n').count();
            assert!(e.line() >= 1 && e.line() <= lines, "error names line {} of {lines}: {e}", e.line());
        }
    }
});
