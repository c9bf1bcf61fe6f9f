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

/// The first `groups` groups of `view` (a [`picker_view`] result) for a first paint: a flat
/// array `[n, n rows kept (ascending), the preview's view over those rows]`, as the core's
/// `picker::preview` says.
#[wasm_bindgen(js_name = pickerPreview)]
pub fn picker_preview(view: &[u32], groups: u32) -> Vec<u32> {
    let (rows, preview) = picker::preview(view, groups as usize);
    let mut out = Vec::with_capacity(1 + rows.len() + preview.len());
    out.push(rows.len() as u32);
    out.extend(rows);
    out.extend(preview);
    out
}
