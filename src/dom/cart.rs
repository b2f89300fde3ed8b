//! The page-wide UI: cart button with its count, the cart dialog (lines, steppers,
//! subtotal, checkout), the card layer and the `role="status"` live region. Built once
//! into its own shadow root; `render` refreshes it from the cart.

use web_sys::Element;

use super::{set_hidden, Dom, El, View};
use crate::core::cart::Cart;
use crate::core::checkout::LineProblem;
use crate::core::i18n::Key;
use crate::io::document;

/// The checkout button says where it leads: "Checkout", or "Order on WhatsApp".
fn checkout_key(view: &View<'_>) -> Key {
    match view.config.checkout.mode {
        crate::core::config::CheckoutMode::WhatsApp => Key::CheckoutWhatsApp,
        _ => Key::Checkout,
    }
}

/// The status region's tones (its class): a message shown and said, an error, or a
/// message only said.
pub const SAID: &str = "toast";
pub const ERROR: &str = "toast err";
pub const QUIET: &str = "sr";

pub struct Ui {
    pub host: Element,
    pub shadow: web_sys::ShadowRoot,
    pub toggle: Element,
    pub count: Element,
    pub scrim: Element,
    pub panel: Element,
    pub lines: Element,
    pub empty: Element,
    pub subtotal: Element,
    pub checkout: Element,
    pub card: Element,
    pub status: Element,
}

impl Ui {
    pub fn build(view: &View<'_>) -> Option<Ui> {
        let host = El::new("shoppable-ui").get();
        document().body()?.add_child(&host);
        let (shadow, root) = view.styles.shadow(&host, view.dir, view.lang)?;
        let s = view.strings;
        let count = El::new("span")
            .class("count")
            .attr("data-shoppable-cart-count", "")
            .text("0")
            .get();
        let toggle = El::button("toggle", None)
            .attr("data-shoppable-cart-toggle", "")
            .attr("aria-haspopup", "dialog")
            .attr("aria-expanded", "false")
            .attr("part", "cart-toggle")
            // Shown by the first `render`, once the count can be written in the shop's digits.
            .attr("hidden", "")
            .get();
        toggle.add_child(&El::new("span").class("label").text(s.get(Key::Cart)).get());
        // A space, so the visible text reads "Cart 2", inside the accessible name
        // "Cart 2 items" (WCAG 2.5.3, axe's label-content-name-mismatch).
        toggle.add_text(" ");
        toggle.add_child(&count);
        let scrim = El::new("div").class("scrim").attr("hidden", "").get();
        let close = El::button("x", Some(s.get(Key::Close)))
            .attr("data-shoppable-close", "")
            .text("×")
            .get();
        let head = El::new("div")
            .class("head")
            .child(
                &El::new("h2")
                    .attr("id", "shoppable-cart-title")
                    .text(s.get(Key::Cart))
                    .get(),
            )
            .child(&close)
            .get();
        let lines = El::new("ul").class("lines").get();
        let empty = El::new("p")
            .class("empty")
            .text(s.get(Key::EmptyCart))
            .get();
        let subtotal = El::new("span")
            .attr("data-shoppable-subtotal", "")
            .attr("data-shoppable-price", "")
            .get();
        let checkout = El::button("primary", None)
            .attr("data-shoppable-checkout", "")
            .text(s.get(checkout_key(view)))
            .get();
        let foot = El::new("div")
            .class("foot")
            .child(
                &El::new("div")
                    .class("sub")
                    .child(&El::new("span").text(s.get(Key::Subtotal)).get())
                    .child(&subtotal)
                    .get(),
            )
            .child(&checkout)
            .get();
        let panel = El::new("section")
            .class("panel")
            .attr("data-shoppable-cart", "")
            .attr("role", "dialog")
            .attr("aria-modal", "true")
            .attr("aria-labelledby", "shoppable-cart-title")
            .attr("part", "cart")
            .attr("tabindex", "-1")
            .attr("hidden", "")
            .child(&head)
            .child(&lines)
            .child(&empty)
            .child(&foot)
            .get();
        let card = El::new("div")
            .class("card")
            .attr("data-shoppable-card", "")
            .attr("role", "dialog")
            .attr("aria-labelledby", "shoppable-card-title")
            .attr("part", "card")
            .attr("tabindex", "-1")
            .attr("hidden", "")
            .get();
        let status = El::new("div")
            .class("toast")
            .attr("data-shoppable-status", "")
            .attr("role", "status")
            .attr("aria-live", "polite")
            .get();
        for e in [&toggle, &scrim, &panel, &card, &status] {
            root.add_child(e);
        }
        Some(Ui {
            host,
            shadow,
            toggle,
            count,
            scrim,
            panel,
            lines,
            empty,
            subtotal,
            checkout,
            card,
            status,
        })
    }

    pub fn render(&self, view: &View<'_>, cart: &Cart, problems: &[LineProblem], busy: bool) {
        let s = view.strings;
        let count = view.prices.count(cart.total_quantity());
        self.count.set_text_content(Some(&count));
        super::set_hidden(&self.toggle, false);
        self.toggle.set_attr(
            "aria-label",
            &s.plural(
                Key::CartButton,
                &view.prices.plural_category(cart.total_quantity()),
                &[("count", &count), ("cart", s.get(Key::Cart))],
            ),
        );
        self.lines.set_text_content(None);
        // Numbers the lines' problem texts: an id in this shadow root, where item ids
        // (any text, spaces included) could not serve as an IDREF.
        let mut n = 0u64;
        for line in cart.lines() {
            let Some(item) = view.config.item(&line.item_id) else {
                continue;
            };
            let id = item.item_id();
            let title = item.title();
            let li = El::new("li")
                .class("line")
                .attr("data-shoppable-line", id)
                .get();
            let image = El::new("img").attr("alt", "").get();
            if let Some(url) = item.image() {
                image.set_attr("src", url.as_str());
            }
            let step = super::stepper(
                view,
                [
                    "data-shoppable-dec",
                    "data-shoppable-qty",
                    "data-shoppable-inc",
                ],
                id,
                &title,
                line.quantity,
            );
            let remove = El::button("remove", Some(&s.fill(Key::Remove, &[("title", &title)])))
                .attr("data-shoppable-remove", id)
                .text(s.get(Key::RemoveButton))
                .get();
            li.add_child(&image);
            li.add_child(
                &El::new("span")
                    .class("name")
                    .attr("dir", "auto")
                    .text(&title)
                    .get(),
            );
            li.add_child(
                &El::new("span")
                    .attr("data-shoppable-price", "")
                    .text(&view.prices.format(item.price()))
                    .get(),
            );
            li.add_child(
                &El::new("div")
                    .class("row")
                    .child(&step)
                    .child(&remove)
                    .get(),
            );
            if let Some(p) = problems.iter().find(|p| p.item_id == id) {
                let key = match p.reason.as_str() {
                    "out_of_stock" => Key::ReasonOutOfStock,
                    "price_changed" => Key::ReasonPriceChanged,
                    "quantity" => Key::ReasonQuantity,
                    _ => Key::ReasonUnknownItem,
                };
                // The reason is the quantity field's and Remove's description: a screen
                // reader says it on reaching the line's controls, not only when reading on.
                n += 1;
                let why = cat!("why", crate::core::json::int(n));
                li.add_child(
                    &El::new("p")
                        .class("problem")
                        .attr("id", &why)
                        .text(s.get(key))
                        .get(),
                );
                if let Some(field) = step.find("input") {
                    field.set_attr("aria-describedby", &why);
                }
                remove.set_attr("aria-describedby", &why);
            }
            self.lines.add_child(&li);
        }
        set_hidden(&self.empty, !cart.is_empty());
        set_hidden(&self.lines, cart.is_empty());
        self.subtotal
            .set_text_content(Some(&view.prices.format(cart.subtotal(view.config))));
        let disabled = busy || cart.is_empty();
        if disabled {
            self.checkout.set_attr("disabled", "");
        } else {
            self.checkout.unset_attr("disabled");
        }
        self.checkout
            .set_attr("aria-busy", if busy { "true" } else { "false" });
        self.checkout.set_text_content(Some(s.get(if busy {
            Key::CheckingOut
        } else {
            checkout_key(view)
        })));
    }

    /// Opens or closes the cart dialog. The status region moves into the open dialog, above
    /// its footer, and back out when it closes: inside, a message takes its own room instead
    /// of floating over the lines (at phone width it covered the last ones), and a screen
    /// reader that hides everything outside a modal dialog still hears it.
    pub fn set_open(&self, open: bool) {
        if open {
            self.empty.put_after(&self.status);
        } else {
            self.card.put_after(&self.status);
        }
        set_hidden(&self.panel, !open);
        set_hidden(&self.scrim, !open);
        self.toggle
            .set_attr("aria-expanded", if open { "true" } else { "false" });
    }

    /// Writes the live region. `tone` is its class: [`SAID`], [`ERROR`], or [`QUIET`] for
    /// what only a screen reader needs to hear (visually hidden, still announced).
    pub fn set_status(&self, text: &str, tone: &str) {
        self.status.set_class_name(tone);
        super::set_isolated_text(&self.status, text);
    }
}
