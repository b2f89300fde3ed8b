//! The product card a tag opens: image, title, price (with `compare_at_price` struck
//! through), availability, variant select, quantity stepper, add button and product link.
//! Rebuilt on open and when the variant changes; placed next to its tag by the core's
//! `card_position`.

use web_sys::Element;

use super::{Dom, El, View};
use crate::core::config::{Availability, Item};
use crate::core::geometry::{card_position, css_px, Rect, Size};
use crate::core::i18n::{Key, Strings};

pub fn availability_text(strings: &Strings, a: Availability) -> &str {
    strings.get(match a {
        Availability::InStock => Key::InStock,
        Availability::Preorder | Availability::AvailableForOrder => Key::Preorder,
        Availability::OutOfStock => Key::SoldOut,
        Availability::Discontinued => Key::Unavailable,
    })
}

/// The card's quantity input, as a selector.
pub const QTY_INPUT: &str = "[data-shoppable-card-qty]";

/// The card's quantity hooks: decrease, the input, increase (each set to the item id).
pub const QTY: [&str; 3] = [
    "data-shoppable-card-dec",
    "data-shoppable-card-qty",
    "data-shoppable-card-inc",
];

/// Fills `card` with the given item of its product, `quantity` in its stepper.
pub fn render(view: &View<'_>, card: &Element, item: &Item<'_>, quantity: u32) {
    fill(view, card, item, quantity, true);
}

/// Fills `card` as `render` does, minus the product image (no download), lays it out
/// unseen, and empties it again: the card's first style, layout and font matching, and
/// compiling this code, happen in idle time instead of in the shopper's first tag click
/// (`App::warm_dialogs`).
pub fn warm(view: &View<'_>, card: &Element, item: &Item<'_>) {
    fill(view, card, item, 1, false);
    super::lay_out_unseen(card);
    card.set_text_content(None);
}

fn fill(view: &View<'_>, card: &Element, item: &Item<'_>, quantity: u32, with_image: bool) {
    card.set_text_content(None);
    let product = item.product;
    let close = El::button("x", Some(view.strings.get(Key::Close)))
        .attr("data-shoppable-close", "")
        .text("×")
        .get();
    card.add_child(&close);
    if let Some(image) = item.image().filter(|_| with_image) {
        card.add_child(
            &El::new("img")
                .attr("src", image.as_str())
                .attr("alt", "")
                .get(),
        );
    }
    let body = El::new("div").class("body").get();
    let add = |e: Element| {
        body.add_child(&e);
    };
    add(El::new("h3")
        .attr("id", "shoppable-card-title")
        .attr("dir", "auto")
        .text(&product.title)
        .get());
    let prices = El::new("p").class("prices").get();
    prices.add_child(
        &El::new("span")
            .class("price")
            .attr("data-shoppable-price", "")
            .text(&view.prices.format(item.price()))
            .get(),
    );
    if let Some(was) = item.compare_at_price().filter(|w| *w > item.price()) {
        prices.add_child(
            &El::new("s")
                .class("was")
                .text(&view.prices.format(was))
                .get(),
        );
    }
    add(prices);
    let availability = item.availability();
    let status = El::new("p")
        .class(if availability.is_purchasable() {
            "avail"
        } else {
            "avail no"
        })
        .attr("id", "shoppable-card-availability")
        .text(availability_text(view.strings, availability))
        .get();
    add(status);
    if !product.variants.is_empty() {
        let select = El::new("select").attr("data-shoppable-variant", "").get();
        for v in &product.variants {
            let mut text = v.title.clone();
            if !v.availability.is_purchasable() {
                text = cat!(text, " — ", availability_text(view.strings, v.availability));
            }
            let option = El::new("option").attr("value", &v.id).text(&text).get();
            if Some(v.id.as_str()) == item.variant_id() {
                option.set_attr("selected", "");
            }
            select.add_child(&option);
        }
        add(El::new("label")
            .text(view.strings.get(Key::Option))
            .child(&select)
            .get());
    }
    let button = El::button("primary", None)
        .attr("data-shoppable-add", item.item_id())
        .attr("aria-describedby", "shoppable-card-availability")
        .text(view.strings.get(Key::AddToCart))
        .get();
    if !availability.is_purchasable() {
        button.set_attr("disabled", "");
    }
    add(El::new("div")
        .class("buy")
        .child(&super::stepper(
            view,
            QTY,
            item.item_id(),
            &product.title,
            quantity,
        ))
        .child(&button)
        .get());
    if let Some(url) = &product.url {
        add(El::new("a")
            .class("more")
            .attr("href", url.as_str())
            .attr("target", "_blank")
            .attr("rel", "noopener")
            .text(view.strings.get(Key::ViewProduct))
            .get());
    }
    card.add_child(&body);
}

/// An element's box on screen (the card's tag; `App::on_scroll`'s images).
pub fn rect(e: &Element) -> Rect {
    let r = e.get_bounding_client_rect();
    Rect {
        x: r.x(),
        y: r.y(),
        width: r.width(),
        height: r.height(),
    }
}

/// Moves the (visible) card next to its tag; below 480 px CSS makes it a bottom sheet.
pub fn place(card: &Element, tag: &Element, rtl: bool) {
    let (width, height) = crate::io::viewport();
    let viewport = Size { width, height };
    let own = rect(card);
    let (x, y) = card_position(
        rect(tag),
        Size {
            width: own.width,
            height: own.height,
        },
        viewport,
        rtl,
    );
    card.set_inline_style(&cat!("left:", css_px(x), ";top:", css_px(y)));
}
