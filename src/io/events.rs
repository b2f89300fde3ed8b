//! The `shoppable:*` CustomEvents on `document` and the GA4 `dataLayer` pushes (SPEC §4).
//! Details arrive as JSON text built by the caller, so they are JSON-safe by construction.

use wasm_bindgen::{JsCast, JsValue};

use super::{document, window, Target};

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}

pub fn emit(name: &str, detail_json: &str) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&parse(detail_json));
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(&cat!("shoppable:", name), &init)
    {
        document().unchecked_ref::<Target>().dispatch_event(&event);
    }
}

/// `window.dataLayer.push({ecommerce: null}, entry)`, creating the array as GA's snippet
/// does. The `null` first is Google's advice for ecommerce events: Tag Manager merges each
/// push into its data model, so without it a `view_cart` after a `purchase` would still
/// carry the purchase's `transaction_id`.
pub fn push_data_layer(entry_json: &str) {
    let window = window();
    let key = JsValue::from_str("dataLayer");
    let mut layer = js_sys::Reflect::get(&window, &key).unwrap_or(JsValue::UNDEFINED);
    if !js_sys::Array::is_array(&layer) && !layer.is_object() {
        layer = js_sys::Array::new().into();
        let _ = js_sys::Reflect::set(&window, &key, &layer);
    }
    if let Ok(push) = js_sys::Reflect::get(&layer, &"push".into()) {
        if let Ok(push) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(push) {
            // Two pushes, not one of two entries: some pages replace `push` with a
            // function that only reads its first argument.
            let _ = push.call1(&layer, &parse(r#"{"ecommerce":null}"#));
            let _ = push.call1(&layer, &parse(entry_json));
        }
    }
}
