//! JS-facing picker view (`ssobridge_core::picker`): one flat call per keystroke or click.
use ssobridge_core::picker;
use wasm_bindgen::prelude::*;

/// The picker's view of `rows` (`\n`-separated, `\t`-separated fields: accountId, accountName,
/// roleName, profileName) for `query`, both lower-cased by the caller (`toLowerCase`): a flat
/// array, laid out as the core's `picker::header` and `picker::group` say. `selected[i]` is 1
/// for each selected row.
#[wasm_bindgen(js_name = pickerView)]
pub fn picker_view(
    rows: &str,
    query: &str,
    selected: &[u8],
    #[wasm_bindgen(js_name = "onlySelected")] only_selected: bool,
) -> Vec<u32> {
    picker::view(rows, query, selected, only_selected)
}
