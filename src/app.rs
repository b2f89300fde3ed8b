//! The running widget: one `App` per page holding the config, the cart and the mounted
//! posts. Entry points (JS API calls and browser events) borrow it, ask the core what to
//! do, render through `dom`, and queue events that are dispatched only after the borrow
//! ends, so a page's event listener may call back into `Shoppable` safely.

use crate::prelude::*;

use ::core::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlImageElement};

use crate::core::analytics::{ga4, Detail};
use crate::core::cart::{Cart, CartError, Line, MAX_QUANTITY};
use crate::core::checkout::{self, Answer, Decision, LineProblem};
use crate::core::config::{CheckoutMode, Config, Credentials};
use crate::core::i18n::{is_rtl, parse_pack, Key, Strings};
use crate::core::json::Json;
use crate::core::json::{parse_digits, quoted};
use crate::dom::cart::{Ui, ERROR, QUIET, SAID};
use crate::dom::post::{self, Frame, TagFactory};
use crate::dom::price::PriceFormat;
use crate::dom::{self, focus, set_hidden, target_with, Dom, Styles, View};
use crate::io::fetch::{self, Outcome};
use crate::io::listener::{EventListener, Intersections, Mutations, Resize};
use crate::io::storage::CartStore;
use crate::io::{self, document, events, window};

/// The property set on mounted images so a resize entry finds its mount, and on mount
/// elements so `scan` tells them from copies.
const MOUNT_ID: &str = "__shoppableMount";
/// The property set on a mount naming an unknown post: the post id it was tried with, so
/// a `scan` trying it again does not warn again until the page changes the id. A
/// property, not an attribute: SPEC §7 leaves such a mount untouched.
const UNKNOWN_POST: &str = "__shoppableUnknown";

/// The id of the mount an element (a mount, or an `<img>` mount's image) belongs to, from
/// its `MOUNT_ID` expando property (`add_mount`): one property read, not a search.
fn mount_id_of(element: &JsValue) -> Option<u32> {
    let id = js_sys::Reflect::get(element, &MOUNT_ID.into()).ok()?;
    id.as_f64().map(|id| id as u32)
}

/// How long `start` or one near slice may spend rendering mounts, a near slice laying each
/// out as it goes (so the browser's style and layout of them is inside the budget): with
/// the paint that follows, a frame stays under the 50 ms of a long task. The rest waits a
/// frame.
const RENDER_BUDGET_MS: f64 = 16.0;
/// How long one idle slice may take, rendering far posts and then laying all of them out
/// at once (a forced layout per post made a 5000-post page several times slower). The
/// layout is part of the task, so the slice stops rendering when the time spent plus the
/// layout it will cost (`App::layout_cost`, measured by the slices before, counted up to
/// half of this) reaches this: the task stays under the 50 ms of a long task with room
/// for the frame after it.
/// Whatever the browser's deadline says: idle periods between frames are often a few ms,
/// which rendered one post per frame, and a page that is never idle still gets its far
/// posts (the callback's 50 ms timeout). A fixed 12 ms of script before the layout gave
/// tasks of 52–84 ms on the 50-post bench pages (27–36 ms of it the forced layout).
const IDLE_SLICE_MS: f64 = 30.0;
/// The first guess of one far post's style and layout cost, before a slice has measured it.
const LAYOUT_COST_GUESS_MS: f64 = 8.0;
const MOUNT_SELECTOR: &str =
    "[data-shoppable-post]:not([data-shoppable-state]),shoppable-post[post-id]:not([data-shoppable-state])";

struct Mount {
    element: Element,
    post_id: String,
    /// An `<img>` mount's `data-shoppable-media` as it was mounted: a gallery that swaps
    /// the picture changes it, and the mount is made again for the new media.
    media: Option<String>,
    shadow: web_sys::ShadowRoot,
    frames: Vec<Frame>,
    overlay: Option<Element>,
    _listeners: Vec<EventListener>,
}

impl Drop for Mount {
    fn drop(&mut self) {
        if let Some(o) = &self.overlay {
            o.remove();
        }
        if self.overlay.is_none() {
            self.shadow.set_text_content(None);
        }
        self.element.unset_attr("data-shoppable-state");
        // An element unmounted because its id changed to an unknown one is warned about,
        // even if it had named that id before it was mounted.
        let _ = js_sys::Reflect::set(&self.element, &UNKNOWN_POST.into(), &JsValue::UNDEFINED);
    }
}

struct OpenCard {
    mount: u32,
    item_id: String,
    tag: Element,
    /// The card's stepper; kept when the variant changes.
    quantity: u32,
}

enum Out {
    Event(&'static str, String),
    DataLayer(String),
    Navigate(String),
    /// Starting a checkout borrows the app itself, so a click can only ask for one.
    Checkout,
}

pub struct App {
    config: Config,
    strings: Strings,
    prices: PriceFormat,
    styles: Styles,
    tags: TagFactory,
    rtl: bool,
    /// Empty until `load_cart` has read the stored one.
    cart: Cart,
    cart_loaded: bool,
    store: CartStore,
    problems: Vec<LineProblem>,
    ui: Ui,
    /// Mounts by id, in mounting order (a Vec: cheaper in wasm than a map, and small).
    mounts: Vec<(u32, Mount)>,
    /// Mounts found far from the viewport, not rendered yet: each is rendered when it
    /// comes within a viewport (`near`) or when the browser is idle, whichever is first.
    pending: Vec<Element>,
    idle_scheduled: bool,
    /// `warm_dialogs` has run (the first idle callback after `finish_start` runs it).
    dialogs_warm: bool,
    /// The style and layout of one post rendered by an idle slice, in ms, as the last slice
    /// measured it (see `IDLE_SLICE_MS`).
    layout_cost: f64,
    /// Pending mounts the near observer reported, rendered a budget per task; prices wait
    /// for them, so the posts in view are labelled once.
    near_queue: Vec<Element>,
    near: Option<Intersections>,
    /// Plays a mount's one pulse when it is first really on screen, once `ready` has come
    /// (`add_mount`, `schedule_idle`).
    seen: Option<Intersections>,
    /// Which images in scroll containers that leave their overlays behind are in view
    /// (`post::Frame::near`), so that a scroll lays out those alone.
    shown: Option<Intersections>,
    next_mount: u32,
    card: Option<OpenCard>,
    cart_open: bool,
    /// What had focus when the cart opened (a page's own button calling `openCart`), where
    /// closing returns it; `None` for the widget's cart button.
    cart_opener: Option<Element>,
    busy: bool,
    checkout: Option<js_sys::Promise>,
    layout_pending: bool,
    /// What the pending layout covers: every mount, or only these (new ones, loaded images).
    layout_all: bool,
    layout_ids: Vec<u32>,
    /// Resolves `start`'s promise; `None` once `finish_start` has run.
    started: Option<js_sys::Function>,
    /// The same resolver, held from `finish_start` until no mount is pending: `ready` means
    /// every mount on the page is rendered (SPEC §4). `None` once called.
    announce: Option<js_sys::Function>,
    /// `finish_start` has run (labels carry prices): far posts may be rendered in idle time.
    priced: bool,
    /// Settles when the loader's worker has warmed ICU (`dom::price`): prices wait for it.
    intl_warm: Option<js_sys::Promise>,
    /// `finish_start` is waiting on `intl_warm`: its other triggers (the 100 ms timer for
    /// hidden tabs) must not make the formatter on the main thread meanwhile.
    intl_waiting: bool,
    status_generation: u32,
    /// A typed quantity's `change` is being handled: see `render_cart_keeping_focus`.
    typed_quantity: bool,
    outbox: Vec<Out>,
    resize: Option<Resize>,
    _page: Vec<EventListener>,
    _mutations: Option<Mutations>,
}

/// The page's one app. A `static` rather than `thread_local!`, which is `std`'s: this wasm is
/// built without the `atomics` feature, so it has one thread and this is what a thread-local
/// would be.
struct OneThread<T>(T);
// SAFETY: without `atomics`, wasm32 has no threads to share `APP` with.
unsafe impl<T> Sync for OneThread<T> {}
#[cfg(target_feature = "atomics")]
compile_error!("`APP` assumes a single-threaded wasm");
static APP: OneThread<RefCell<Option<App>>> = OneThread(RefCell::new(None));

/// Runs `f` on the app, then dispatches what it queued. `None` when there is no app yet, or
/// when called re-entrantly from inside another entry point (which never happens through
/// events, since those are dispatched after the borrow ends).
fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    let mut entry = Entry {
        f: Some(f),
        result: None,
    };
    run(&mut entry);
    entry.result
}

/// An entry point's closure and its result, as `run` sees them (`dyn Call`). A trait of
/// its own rather than `dyn FnMut`: a `dyn FnMut` vtable also holds `FnOnce::call_once`,
/// a shim compiled for each of the ~34 closure types though never called.
struct Entry<F, R> {
    f: Option<F>,
    result: Option<R>,
}

trait Call {
    fn call(&mut self, app: &mut App);
}

impl<F: FnOnce(&mut App) -> R, R> Call for Entry<F, R> {
    fn call(&mut self, app: &mut App) {
        self.result = self.f.take().map(|f| f(app));
    }
}

/// The one non-generic body behind `with_app`, so the borrow and dispatch code exist once.
#[inline(never)]
fn run(f: &mut dyn Call) {
    // The borrow ends with this block, before any event reaches a page listener.
    let out = {
        let Ok(mut slot) = APP.0.try_borrow_mut() else {
            return;
        };
        let Some(app) = slot.as_mut() else {
            return;
        };
        f.call(app);
        ::core::mem::take(&mut app.outbox)
    };
    dispatch(out);
}

/// Carries out what an entry point queued. Kept out of line: `with_app` is generic, and
/// this loop copied into each of its ~25 instances cost ~1 KB of wasm apiece.
#[inline(never)]
fn dispatch(out: Vec<Out>) {
    for o in out {
        match o {
            Out::Event(name, detail) => events::emit(name, &detail),
            Out::DataLayer(entry) => events::push_data_layer(&entry),
            Out::Navigate(url) => {
                io::navigate(&url);
            }
            // The Checkout button's own call: its result is shown in the dialog and sent as
            // events, so nobody holds the promise; a handler keeps a refused checkout from
            // being reported as an unhandled rejection on the page.
            Out::Checkout => io::on_settled(&start_checkout(), io::once_fn(|| {})),
        }
    }
}

/// The API's error when there is no running widget: the loader defines the API just
/// before `start`, so this is a start that failed (an invalid config), whose reason
/// `Shoppable.ready` rejects with.
const NOT_RUNNING: &str = "Shoppable did not start; Shoppable.ready rejected with the reason";

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// Parses the config, restores the cart, builds the UI and mounts the posts near the
/// viewport, laid out at once so the first tags are on screen in the next frame. Prices,
/// labels and the cart button follow right after that frame (`finish_start`); far mounts
/// in idle time after that. The returned promise resolves when no mount is left pending:
/// it is what `Shoppable.ready` waits for.
///
/// `pack` is the shop's language pack (JSON text, see `core::i18n`), which the loader
/// fetched; without one, or with a broken one, the UI is in English. `intl_warm` settles
/// when the loader's worker has warmed ICU; prices (and `ready`) wait for it.
pub fn start(
    config_text: &str,
    pack: Option<String>,
    intl_warm: Option<js_sys::Promise>,
) -> Result<js_sys::Promise, JsValue> {
    if APP.0.borrow().is_some() {
        return Err(js_error("Shoppable is already started on this page"));
    }
    let config = Config::parse(config_text).map_err(|e| js_error(&e.message()))?;
    let mut texts = match pack.as_deref().map(parse_pack) {
        Some(Ok(texts)) => texts,
        Some(Err(e)) => {
            io::warn(&cat!("language pack: ", e, "; showing English"));
            Vec::new()
        }
        None => Vec::new(),
    };
    texts.extend(config.shop.strings.iter().cloned());
    let strings = Strings::new(&config.shop.locale, &texts);
    let prices = PriceFormat::new(&config.shop, config.whole_prices());
    let styles = Styles::new(config.accent.as_deref());
    let tags = TagFactory::new(&config, &strings, None);
    let rtl = is_rtl(&config.shop.locale);
    let lang = config.shop.locale.clone();
    let view = View {
        config: &config,
        strings: &strings,
        prices: &prices,
        styles: &styles,
        tags: &tags,
        dir: if rtl { "rtl" } else { "ltr" },
        lang: &lang,
    };
    let ui = Ui::build(&view).ok_or_else(|| js_error("could not create the widget's UI"))?;
    let store = CartStore::new(cat!(
        "shoppable:cart:",
        config.shop.currency.code(),
        ":",
        config.shop.name
    ));
    let page = page_listeners(&ui);
    let app = App {
        config,
        strings,
        prices,
        styles,
        tags,
        rtl,
        cart: Cart::default(),
        cart_loaded: false,
        store,
        problems: Vec::new(),
        ui,
        mounts: Vec::new(),
        pending: Vec::new(),
        idle_scheduled: false,
        dialogs_warm: false,
        layout_cost: LAYOUT_COST_GUESS_MS,
        near_queue: Vec::new(),
        // Mounts coming within a viewport of the visible area: rendered a budget at a time
        // (a fast scroll can bring dozens at once), the rest in the tasks after.
        near: Intersections::new("100% 0px", 0.0, false, |targets| {
            with_app(|app| {
                for (t, _) in targets {
                    if !app.near_queue.contains(&t) {
                        app.near_queue.push(t);
                    }
                }
                app.render_near();
            });
        }),
        seen: Intersections::new("0px", 0.25, false, |targets| {
            with_app(|app| {
                for (t, _) in targets {
                    if let Some(seen) = &app.seen {
                        seen.unobserve(&t);
                    }
                    if let Some(m) = mount_id_of(&t).and_then(|id| app.mount(id)) {
                        post::mark_seen(&m.shadow);
                    }
                }
            });
        }),
        // Images in scroll containers that do not move their overlays (`on_scroll`): which
        // of them the page shows (through those containers' clipping).
        shown: Intersections::new("0px", 0.0, true, |targets| {
            with_app(|app| {
                let mut ids = Vec::new();
                for (t, on) in targets {
                    // An `<img>` mount's image carries its mount's id (`add_mount`).
                    let id = mount_id_of(&t);
                    if let Some((id, m)) = id.and_then(|id| app.mount(id).map(|m| (id, m))) {
                        for f in &m.frames {
                            f.near.set(on);
                        }
                        if on {
                            ids.push(id);
                        }
                    }
                }
                app.layout(Some(&ids));
            });
        }),
        next_mount: 1,
        card: None,
        cart_open: false,
        cart_opener: None,
        busy: false,
        checkout: None,
        layout_pending: false,
        layout_all: false,
        layout_ids: Vec::new(),
        started: None,
        announce: None,
        priced: false,
        intl_warm,
        intl_waiting: false,
        status_generation: 0,
        typed_quantity: false,
        outbox: Vec::new(),
        // Watches every mounted image, and the document element: when the page reflows
        // (content above an image grows), overlays beside `<img>` mounts must follow.
        resize: Resize::new(|entries: js_sys::Array| {
            // An entry without a mount id is the document element: the page reflowed, which
            // moves `<img>` mounts but not the tags inside container mounts. Those are laid
            // out along with the mounts whose own box changed in the same batch (a reflow
            // used to replace those; e2e "a page reflow and a container's own resize…").
            with_app(|app| {
                let mut ids = Vec::new();
                let mut reflow = false;
                let get = |v: &JsValue, name: &str| js_sys::Reflect::get(v, &name.into());
                for e in entries.iter() {
                    let Some(id) = get(&e, "target").ok().and_then(|t| mount_id_of(&t)) else {
                        reflow = true;
                        continue;
                    };
                    // The first report on each image, in the frame after the slice that
                    // rendered and laid it out, changes nothing (`Frame::unchanged`).
                    // Compared with all of the mount's images (a carousel's): the size of
                    // every one of them is no change to the one reported.
                    let size = get(&e, "contentRect").unwrap_or_default();
                    let side = |name| get(&size, name).ok().and_then(|v| v.as_f64());
                    let width = side("width").unwrap_or(f64::NAN);
                    let height = side("height").unwrap_or(f64::NAN);
                    let same = app
                        .mount(id)
                        .is_some_and(|m| m.frames.iter().all(|f| f.unchanged(width, height)));
                    if !same {
                        ids.push(id);
                    }
                }
                if reflow {
                    for (id, m) in &app.mounts {
                        if m.overlay.is_some() {
                            ids.push(*id);
                        }
                    }
                }
                app.layout(Some(&ids));
            });
        }),
        _page: page,
        _mutations: None,
    };
    *APP.0.borrow_mut() = Some(app);
    // The whole document, not the body: a page may replace its body (Turbo, pjax).
    let mutations = document().document_element().and_then(|root| {
        Mutations::new(&root, |records| {
            // Inserting and removing overlays beside `<img>` mounts is the widget's own doing.
            if records.iter().all(|r| only_overlays(&r)) {
                return;
            }
            with_app(|app| {
                app.scan();
                app.schedule_layout();
            });
        })
    });
    let mut started = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| started = Some(resolve));
    // The posts in view are rendered in this task, so the next frame shows them. In a task
    // of their own (a zero timer), they waited for the frame that was due when `start`
    // ended, and came a frame later: 38 against 31 ms from instantiation to the first frame
    // that painted a tag (medians of 29 interleaved cold loads; the bench's probe had
    // counted the tags of a task run between a frame and its end as painted by it). This
    // task is 20–25 ms on a cold start on the bench machine, well under a long task, and
    // the posts it renders are held to `RENDER_BUDGET_MS` (`scan`).
    with_app(|app| {
        app._mutations = mutations;
        app.started = started;
        if let (Some(r), Some(root)) = (&app.resize, document().document_element()) {
            r.observe(&root);
        }
        app.scan();
        app.layout(None);
    });
    // After the frame that shows the tags; the timer alone covers a hidden tab, where
    // animation frames do not run.
    io::after_paint(finish);
    io::set_timeout(&io::once_fn(finish), 100);
    Ok(promise)
}

fn viewport_height() -> f64 {
    io::viewport().1
}

/// One name for the many triggers of `finish_start` (one copy of the code behind them).
fn finish() {
    with_app(App::finish_start);
}

/// The loader's ICU warm-up has settled (done, refused or timed out): prices may be made.
fn intl_warmed() {
    with_app(|app| {
        app.intl_waiting = false;
        app.finish_start();
    });
}

/// The post a mount names: `data-shoppable-post`, or a `<shoppable-post>`'s `post-id`.
fn post_id_of(element: &Element) -> String {
    element
        .get_attribute("data-shoppable-post")
        .or_else(|| element.get_attribute("post-id"))
        .unwrap_or_default()
}

/// A mount naming a post the config does not have: warned about once per id it names, and
/// left untouched (SPEC §7); one far from view is marked pending until it comes near, as
/// any far mount is. Corrected, it is a new mount at the next `scan`.
fn unknown(element: &Element, post_id: &str) {
    let tried = js_sys::Reflect::get(element, &UNKNOWN_POST.into())
        .ok()
        .and_then(|v| v.as_string());
    if tried.as_deref() != Some(post_id) {
        io::warn(&cat!(
            "no post ",
            quoted(post_id),
            " in the config; this mount is left untouched"
        ));
        let _ = js_sys::Reflect::set(element, &UNKNOWN_POST.into(), &post_id.into());
    }
}

/// Whether a mutation record only adds or removes `<shoppable-overlay>` elements (a
/// changed post id is not: its record has no nodes).
fn only_overlays(record: &JsValue) -> bool {
    // A MutationObserver hands only MutationRecords: no `instanceof` check.
    let r = record.unchecked_ref::<web_sys::MutationRecord>();
    let lists = [r.added_nodes(), r.removed_nodes()];
    lists.iter().any(|list| list.length() > 0)
        && lists.iter().all(|list| {
            (0..list.length()).all(|i| {
                list.item(i)
                    .is_some_and(|n| n.node_name().eq_ignore_ascii_case("shoppable-overlay"))
            })
        })
}

/// Page-wide listeners: outside clicks, Escape and Tab, resizes, other tabs' storage.
fn page_listeners(ui: &Ui) -> Vec<EventListener> {
    let doc: &web_sys::EventTarget = &document();
    let win: &web_sys::EventTarget = &window();
    vec![
        EventListener::new(ui.shadow.as_ref(), "click", |e| {
            with_app(|app| app.on_ui_click(&e));
        }),
        EventListener::new(ui.shadow.as_ref(), "change", |e| {
            with_app(|app| app.on_ui_change(&e));
        }),
        EventListener::new(doc, "click", |e| {
            with_app(|app| app.on_page_click(&e));
        }),
        EventListener::new(doc, "keydown", |e| {
            with_app(|app| app.on_key(&e));
        }),
        EventListener::new(win, "resize", |_| {
            with_app(|app| app.schedule_layout());
        }),
        // Captured on the document: the page's scrolling and any element's (which does not
        // bubble), for the card and for `<img>` mounts in scroll containers.
        EventListener::capture(doc, "scroll", |e| {
            with_app(|app| app.on_scroll(&e));
        }),
    ]
}

impl App {
    fn view(&self) -> View<'_> {
        View {
            config: &self.config,
            strings: &self.strings,
            prices: &self.prices,
            styles: &self.styles,
            tags: &self.tags,
            dir: if self.rtl { "rtl" } else { "ltr" },
            lang: &self.config.shop.locale,
        }
    }

    /// Reads the stored cart and starts following other tabs' changes to it. Not in `start`:
    /// a page's first `localStorage` access loads its whole storage area (1–2.5 ms on the
    /// bench machine), a `storage` listener costs another 0.3 ms, and the first frame's
    /// tags need neither. Called after that frame (`finish_start`, which shows the cart)
    /// and first by everything that reads or changes the cart before it: the API (`with`),
    /// the UI's and the tags' handlers, and checkout. A change made before it would be
    /// made to an empty cart and then saved over the stored one.
    fn load_cart(&mut self) {
        if ::core::mem::replace(&mut self.cart_loaded, true) {
            return;
        }
        if let Some(stored) = self.store.load() {
            match Cart::restore(&stored, &self.config) {
                Ok((restored, dropped)) => {
                    self.cart = restored;
                    if dropped > 0 {
                        self.store.save(&self.cart.to_json());
                    }
                }
                Err(reason) if reason == crate::core::cart::NEWER => {
                    self.store.leave_to_newer(&reason)
                }
                Err(reason) => {
                    self.store
                        .warn_once(&cat!(reason, "; starting with an empty cart"));
                    self.store.save(&self.cart.to_json());
                }
            }
        }
        self._page
            .push(EventListener::new(&window(), "storage", |e| {
                with_app(|app| app.on_storage(&e));
            }));
    }

    /// The second half of `start`: prices (the first `Intl` use), full tag labels, the
    /// cart button; `ready` once no mount is pending. Runs once, whichever of its two
    /// triggers comes first.
    fn finish_start(&mut self) {
        self.load_cart();
        if self.started.is_none() {
            return;
        }
        // The page's first `Intl` constructor is a single call of 30–65 ms (ICU's number
        // data), under 1 ms once the loader's worker has warmed ICU: wait for that. Else
        // it gets a task of its own, and the relabelling the next one, so the two
        // never add up to one long task. The near queue's slices come first: the posts in
        // view get their prices with the others, in one relabelling.
        if let Some(warm) = self.intl_warm.take() {
            self.intl_waiting = true;
            io::on_settled(&warm, io::once_fn(intl_warmed));
            return;
        }
        if self.intl_waiting {
            return;
        }
        if self.prices.warm() || !self.near_queue.is_empty() {
            io::soon(finish);
            return;
        }
        let Some(started) = self.started.take() else {
            return;
        };
        self.tags = TagFactory::new(&self.config, &self.strings, Some(&self.prices));
        let view = self.view();
        for (_, m) in &self.mounts {
            if let Some(post) = self.config.post(&m.post_id) {
                post::relabel(&view, &m.shadow, post, &m.frames);
            }
        }
        self.render_cart();
        // Every mount rendered so far is laid out already (`start` and the near slices lay
        // out what they render), so every rendered tag is placed and focusable now; `ready`
        // resolves when the far ones are rendered too (`schedule_idle`).
        // No layout here: it would force the style and layout of the new labels now, in
        // this task, instead of in the next frame (25–70 ms on the bench machine).
        self.announce = Some(started);
        self.priced = true;
        self.schedule_idle();
    }

    /// Styles and lays out the card and the cart panel once, unseen, in the first idle time
    /// after `finish_start` (before far posts). The first tag click of a page otherwise
    /// paid for the card's first style, layout and font matching and for compiling its
    /// code: a handler of 25–60 ms against under 10 ms for later clicks on the bench
    /// machine. The card is filled without its image, so nothing is downloaded for a card
    /// the shopper may never open.
    fn warm_dialogs(&mut self) {
        self.dialogs_warm = true;
        if self.card.is_some() || self.cart_open || self.config.products.is_empty() {
            return;
        }
        let item = self.config.default_item(0);
        dom::card::warm(&self.view(), &self.ui.card, &item);
        dom::lay_out_unseen(&self.ui.panel);
    }

    // ----- mounts -------------------------------------------------------------------

    /// Mounts what is new on the page and unmounts what left it.
    fn scan(&mut self) {
        let (near, seen, resize, shown) = (&self.near, &self.seen, &self.resize, &self.shown);
        // The page's body replaced (Turbo, pjax): the cart button and dialogs go back in.
        if !self.ui.host.is_connected() {
            if let Some(body) = document().body() {
                body.add_child(&self.ui.host);
            }
        }
        self.mounts.retain(|(_, m)| {
            // A framework re-rendering the same element for another post changes its id,
            // a gallery its media: the mount goes, and the selector below finds the
            // element again.
            let keep = m.element.is_connected()
                && post_id_of(&m.element) == m.post_id
                && (m.overlay.is_none()
                    || m.element.get_attribute("data-shoppable-media") == m.media);
            if let (true, Some(overlay)) = (keep, &m.overlay) {
                // An `<img>` moved elsewhere (a keyed list) takes its overlay along.
                if m.element.next_element_sibling().as_ref() != Some(overlay) {
                    m.element.put_after(overlay);
                }
            }
            if !keep {
                // Listeners go with the `Mount`; the page-wide observers let go here.
                if let Some(seen) = seen {
                    seen.unobserve(&m.element);
                }
                for frame in &m.frames {
                    if let Some(resize) = resize {
                        resize.unobserve(&frame.img);
                    }
                    if let (true, Some(shown)) = (frame.scrolled.get(), shown) {
                        shown.unobserve(&frame.img);
                    }
                }
            }
            keep
        });
        self.pending.retain(|e| {
            let keep = e.is_connected();
            if let (false, Some(near)) = (keep, near) {
                near.unobserve(e);
                e.unset_attr("data-shoppable-state");
            }
            keep
        });
        // A card whose mount went (removed, or made again for another post or media).
        if let Some(open) = &self.card {
            if self.mount(open.mount).is_none() {
                self.close_card(false);
            }
        }
        // Copies of rendered mounts (`cloneNode`, a snapshot a framework restores) carry the
        // state but not the mount: expando properties are not copied. Each is then found as
        // a new mount.
        for e in document().find_all("[data-shoppable-state=ready]") {
            let copy =
                || js_sys::Reflect::get(&e, &MOUNT_ID.into()).is_ok_and(|id| id.is_undefined());
            if copy() && self.config.post(&post_id_of(&e)).is_some() {
                e.unset_attr("data-shoppable-state");
            }
        }
        // A mount naming an unknown post is told when it would render (`add_mount`): reading
        // every far mount's post id here made the 1000-post page's scan 6–10 ms longer.
        let found = document().find_all(MOUNT_SELECTOR);
        // Mounts in the visible area are rendered now; the rest wait (below) for the near
        // observer (a viewport around the visible area) or idle time, a budget at a time.
        // Positions are read for all mounts at once, so an `<img>` page costs one layout;
        // they are read again only after rendering an empty container, which pushes down
        // whatever follows it.
        let reach = viewport_height();
        let read = |rest: &[Element]| -> Vec<(bool, bool)> {
            let mut places = Vec::with_capacity(rest.len());
            for e in rest {
                let r = e.get_bounding_client_rect();
                let near = r.bottom() >= 0.0 && r.top() <= reach;
                let empty = r.height() == 0.0 && e.dyn_ref::<HtmlImageElement>().is_none();
                places.push((near, empty));
            }
            places
        };
        let mut places = read(&found);
        let mut offset = 0;
        let until = js_sys::Date::now() + RENDER_BUDGET_MS;
        let mut first = true;
        for (i, element) in found.iter().enumerate() {
            let (near, empty) = places[i - offset];
            // Over budget, visible overlays on `<img>` mounts wait (the first always
            // renders): the near observer reports them at the next frame, after this one
            // has painted. Visible empty containers never wait: rendering one after the
            // frame pushes the page down under the shopper's eyes (layout shift). They
            // are bounded by the screen, since each rendered post pushes the rest down.
            let near = near && (first || empty || js_sys::Date::now() < until);
            first &= !near;
            match (&self.near, near) {
                (Some(observer), false) => {
                    element.set_attr("data-shoppable-state", "pending");
                    observer.observe(element);
                    self.pending.push(element.clone());
                }
                _ => {
                    self.add_mount(element.clone());
                    if empty && self.near.is_some() {
                        places = read(found.get(i + 1..).unwrap_or_default());
                        offset = i + 1;
                    }
                }
            }
        }
        // No layout scheduled here: `start` lays out at once, a page mutation schedules a
        // full layout itself, and each new mount's images report to the ResizeObserver.
        self.schedule_idle();
    }

    /// Renders a pending mount; its id when it was mounted.
    fn render_pending(&mut self, element: &Element) -> Option<u32> {
        let at = self.pending.iter().position(|e| e == element)?;
        let element = self.pending.remove(at);
        if let Some(near) = &self.near {
            near.unobserve(&element);
        }
        self.add_mount(element)
    }

    /// Renders the pending mounts `next` hands out, at least one, until `budget_ms` is spent.
    ///
    /// Rendered mounts are laid out in the slice, which makes the browser style and lay
    /// them out then, not in the next frame: counting the script alone, 16 ms of rendering
    /// left the next frame 50–80 ms of style and layout on the bench machine. With
    /// `each_at_once` (posts about to be seen), each is laid out as soon as it is rendered,
    /// so the budget covers that work too; otherwise all of them once at the end, and the
    /// budget counts that layout at `layout_cost` per post (then measures it again). Near
    /// slices laid out once at the end made the 50-post bench pages' long tasks 39 against
    /// 22 over 120 loads each (a near slice after the first runs in a frame's own task).
    fn render_slice(
        &mut self,
        budget_ms: f64,
        each_at_once: bool,
        next: impl Fn(&mut App) -> Option<Element>,
    ) {
        let until = js_sys::Date::now() + budget_ms;
        let mut rendered = Vec::new();
        while let Some(element) = next(self) {
            if let Some(id) = self.render_pending(&element) {
                if each_at_once {
                    self.layout(Some(&[id]));
                } else {
                    rendered.push(id);
                }
            }
            // At most half the budget: when the layout's cost is mostly the page's, not
            // the posts' (a page of thousands), cost per post would shrink the slices to
            // one post each, and they could never recover.
            let layout_left = (self.layout_cost * rendered.len() as f64).min(budget_ms / 2.0);
            if js_sys::Date::now() + layout_left >= until {
                break;
            }
        }
        if !rendered.is_empty() {
            let at = js_sys::Date::now();
            self.layout(Some(&rendered));
            // At least 1 ms: a slice that found layout free (a hidden tab) must not make
            // the next one render without bound.
            self.layout_cost = ((js_sys::Date::now() - at) / rendered.len() as f64).max(1.0);
        }
    }

    /// Renders the mounts the near observer reported, up to the budget; the rest after the
    /// next frame, and so on (not in idle time: these are about to be seen).
    fn render_near(&mut self) {
        // Still near when its turn comes? Empty containers all sit near the top before the
        // first ones are rendered, and are all reported; rendering pushes most of them far
        // down. Those wait, and the observer reports them again if they come near.
        let reach = viewport_height();
        // The ones in view first. The observer reports in page order, so after a jump (a
        // fast scroll, an anchor) the posts of the viewport above came first: on the
        // 1000-post bench page, a viewport scrolled to right after the first one showed its
        // tags 239 against 375 ms after the scroll (medians of 12 interleaved loads).
        // Reading positions once per slice instead of again before each post (the second
        // forced layout of the whole page per post) took it to 206 ms, for +100 B: not kept.
        let mut front = 0;
        for i in 0..self.near_queue.len() {
            let r = self.near_queue[i].get_bounding_client_rect();
            if r.top() < reach && r.bottom() > 0.0 {
                self.near_queue.swap(front, i);
                front += 1;
            }
        }
        self.render_slice(RENDER_BUDGET_MS, true, |app| {
            while !app.near_queue.is_empty() {
                let element = app.near_queue.remove(0);
                let r = element.get_bounding_client_rect();
                if r.bottom() >= -reach && r.top() <= 2.0 * reach {
                    return Some(element);
                }
            }
            None
        });
        // The next slice comes after the frame that styles, lays out and paints this one's
        // posts: back to back, slices added up to one frame of 1000+ new elements (70 ms
        // of style and layout in `make bench`). A second observer report before then
        // queues another slice: harmless, it finds the queue shorter or empty.
        if !self.near_queue.is_empty() {
            io::next_frame(|| {
                with_app(App::render_near);
            });
        }
        self.schedule_idle();
    }

    /// Renders far mounts while the browser is idle, within each idle period, so a page
    /// of many posts never blocks the main thread; and resolves `ready` once none is left
    /// pending, so tests and scripts find every post's tags at `ready` without scrolling.
    /// Every slice, near or idle, ends here.
    fn schedule_idle(&mut self) {
        if self.pending.is_empty() {
            if let Some(announce) = self.announce.take() {
                // `call1` with `undefined`, not `call0`: one binding of `Function.call`
                // (`on_checkout_answer`).
                let _ = announce.call1(&JsValue::NULL, &JsValue::UNDEFINED);
                self.outbox.push(Out::Event("ready", "{}".into()));
                if let Some(seen) = &self.seen {
                    for (_, m) in &self.mounts {
                        seen.observe(&m.element);
                    }
                }
            }
        }
        // Not before `finish_start`: far posts rendered earlier had their labels rewritten
        // with prices when `Intl` came, a second style and layout of every one of them (a
        // 63 ms forced layout of 50 posts in `make bench`). `finish_start` calls this.
        if self.idle_scheduled || (self.pending.is_empty() && self.dialogs_warm) || !self.priced {
            return;
        }
        self.idle_scheduled = true;
        io::when_idle(50, || {
            with_app(|app| {
                app.idle_scheduled = false;
                // The dialogs first: one short task, and the first tag click may come soon.
                if app.dialogs_warm {
                    app.render_slice(IDLE_SLICE_MS, false, |app| app.pending.first().cloned());
                } else {
                    app.warm_dialogs();
                }
                app.schedule_idle();
            });
        });
    }

    /// `mounts` is in id order (ids grow, `retain` keeps the order): a binary search, since
    /// the ResizeObserver's reports on every image of a long page each look their mount up.
    fn mount(&self, id: u32) -> Option<&Mount> {
        let at = self.mounts.binary_search_by_key(&id, |(i, _)| *i).ok()?;
        Some(&self.mounts[at].1)
    }

    /// Renders a mount; its id, or `None` when it could not be mounted (told in a warning).
    fn add_mount(&mut self, element: Element) -> Option<u32> {
        let post_id = post_id_of(&element);
        let Some(post) = self.config.post(&post_id) else {
            // A far one was pending until it came near.
            element.unset_attr("data-shoppable-state");
            unknown(&element, &post_id);
            return None;
        };
        let id = self.next_mount;
        self.next_mount += 1;
        let view = self.view();
        let wanted = element.get_attribute("data-shoppable-media");
        let rendered = match element.dyn_ref::<HtmlImageElement>() {
            Some(img) => {
                let index = match wanted.as_deref().map(parse_digits) {
                    None => 0,
                    Some(Some(n)) if n < post.media.len() as u64 => n as usize,
                    Some(_) => {
                        io::warn(&cat!(
                            "data-shoppable-media=",
                            quoted(wanted.as_deref().unwrap_or_default()),
                            " is not a media index of post ",
                            quoted(&post_id),
                            "; using 0"
                        ));
                        0
                    }
                };
                post::mount_overlay(&view, img, post, index)
            }
            None => post::mount_container(&view, &element, post),
        };
        let Some(rendered) = rendered else {
            io::warn(&cat!("could not mount post ", quoted(&post_id)));
            return None;
        };
        let mut listeners = vec![EventListener::new(
            rendered.shadow.as_ref(),
            "click",
            move |e| {
                with_app(|app| app.on_mount_click(id, &e));
            },
        )];
        if rendered.frames.len() > 1 {
            listeners.push(EventListener::new(
                rendered.shadow.as_ref(),
                "keydown",
                move |e| {
                    with_app(|app| app.on_mount_key(id, &e));
                },
            ));
            if let Some(track) = rendered.shadow.find(".track") {
                listeners.push(EventListener::new(track.as_ref(), "scroll", move |_| {
                    with_app(|app| {
                        if let Some(m) = app.mount(id) {
                            post::sync_carousel(&m.shadow);
                        }
                    });
                }));
            }
        }
        // Watched once `ready` has come (`schedule_idle`): a pulse is an animation, and
        // one running makes every frame restyle and repaint. Pulses played while far
        // posts were still being rendered cost the 1000-post bench page 28 % of its time
        // to the last tag.
        if let (None, true, Some(seen)) = (&self.announce, self.priced, &self.seen) {
            seen.observe(&element);
        }
        for frame in &rendered.frames {
            let _ = js_sys::Reflect::set(&frame.img, &MOUNT_ID.into(), &JsValue::from(id));
            if let Some(r) = &self.resize {
                r.observe(&frame.img);
            }
            // Batched into the next frame's layout: laying out on each image's own `load`
            // forced a synchronous layout per image (27–74 ms each in `make bench`). An
            // image that fails to load is laid out again too: its tags hide (`Frame`).
            listeners.push(EventListener::new(
                frame.img.as_ref(),
                "load error",
                move |_| {
                    with_app(|app| app.schedule_layout_of(id));
                },
            ));
        }
        element.set_attr("data-shoppable-state", "ready");
        // What tells a mount from a copy of it (`scan`): `cloneNode` copies attributes only.
        let _ = js_sys::Reflect::set(&element, &MOUNT_ID.into(), &JsValue::from(id));
        // The ResizeObserver's first report on each newly observed image lays the mount
        // out, in the frame that paints it; only without one is a layout scheduled here.
        if self.resize.is_none() {
            self.schedule_layout_of(id);
        }
        // `mount` binary-searches: the list stays in id order.
        debug_assert!(self.mounts.last().is_none_or(|(last, _)| *last < id));
        self.mounts.push((
            id,
            Mount {
                element,
                post_id,
                media: wanted,
                shadow: rendered.shadow,
                frames: rendered.frames,
                overlay: rendered.overlay,
                _listeners: listeners,
            },
        ));
        Some(id)
    }

    /// Lays out every mount in the next frame.
    fn schedule_layout(&mut self) {
        self.layout_all = true;
        self.request_layout();
    }

    /// Lays out one mount in the next frame (a new mount, a loaded image): on a page of
    /// thousands of posts, re-measuring all of them for each would be quadratic.
    fn schedule_layout_of(&mut self, id: u32) {
        if !self.layout_ids.contains(&id) {
            self.layout_ids.push(id);
        }
        self.request_layout();
    }

    fn request_layout(&mut self) {
        if self.layout_pending {
            return;
        }
        self.layout_pending = true;
        let callback = io::once_fn(|| {
            with_app(|app| {
                app.layout_pending = false;
                let ids = ::core::mem::take(&mut app.layout_ids);
                if ::core::mem::take(&mut app.layout_all) {
                    app.layout(None);
                } else {
                    app.layout(Some(&ids));
                }
            });
        });
        io::request_frame(&callback);
    }

    /// Places the tags of the given mounts (all when `None`): every read, then every write.
    fn layout(&mut self, only: Option<&[u32]>) {
        let mut frames: Vec<&Frame> = Vec::new();
        for (id, m) in &self.mounts {
            if only.is_none_or(|ids| ids.contains(id)) {
                frames.extend(&m.frames);
            }
        }
        let mut measures = Vec::with_capacity(frames.len());
        for f in &frames {
            measures.push(f.measure());
        }
        for (frame, m) in frames.iter().zip(&measures) {
            frame.apply(m);
            // Observing twice is no-op; it happens only for images in such containers.
            if let (true, Some(shown)) = (frame.scrolled.get(), &self.shown) {
                shown.observe(&frame.img);
            }
        }
        self.place_card();
    }

    /// The card follows its tag; the overlays of images inside the scrolled element that
    /// its scrolling moves without them (`post::Frame::scrolled`) are laid out again, in
    /// this frame: scroll events come once a frame, before its animation callbacks. Only
    /// those the page shows (`Frame::near`): in an app shell whose scrolling `<main>`
    /// holds every post, one scroll lays out a screenful, not all.
    fn on_scroll(&mut self, event: &web_sys::Event) {
        // Not for the page's own scrolling (the document), which moves image and overlay
        // alike. The images are known without asking the page (`shown` observes them): a
        // scroll costs no call per post.
        let target = event.target().map(|t| t.unchecked_into::<web_sys::Node>());
        if target.is_some_and(|t| t.node_type() != web_sys::Node::DOCUMENT_NODE) {
            let mut ids = Vec::new();
            for (id, m) in &self.mounts {
                if m.frames.iter().any(|f| f.scrolled.get() && f.near.get()) {
                    ids.push(*id);
                }
            }
            if !ids.is_empty() {
                self.layout(Some(&ids));
                return;
            }
        }
        self.place_card();
    }

    /// A click on one of the post's controls is the widget's: `preventDefault`, since an
    /// `<img>` mount often sits in the page's own link (`<a><img data-shoppable-post></a>`),
    /// which the click would otherwise follow. A click on the picture itself is the page's.
    fn on_mount_click(&mut self, mount: u32, event: &web_sys::Event) {
        self.load_cart();
        if let Some(nav) = target_with(event, "data-shoppable-nav") {
            event.prevent_default();
            let step: f64 = nav
                .get_attribute("data-shoppable-nav")
                .and_then(|s| crate::core::json::parse_f64(&s))
                .unwrap_or(1.0);
            if let Some(m) = self.mount(mount) {
                post::step_carousel(&m.shadow, step, self.rtl);
            }
            return;
        }
        if target_with(event, "data-shoppable-tags-toggle").is_some() {
            event.prevent_default();
            let shown = self
                .mount(mount)
                .is_some_and(|m| post::toggle_tags(&m.shadow));
            if !shown && self.card.as_ref().is_some_and(|c| c.mount == mount) {
                self.close_card(false);
            }
            return;
        }
        let Some(tag) = target_with(event, "data-shoppable-tag") else {
            return;
        };
        event.prevent_default();
        let index = |name: &str| {
            tag.get_attribute(name)
                .and_then(|v| parse_digits(&v))
                .map_or(0, |n| n as usize)
        };
        let (media, tag_index) = (index("data-m"), index("data-t"));
        if self.card.as_ref().is_some_and(|c| c.tag == tag) {
            self.close_card(true);
            return;
        }
        let Some(m) = self.mount(mount) else {
            return;
        };
        let Some(post) = self.config.post(&m.post_id) else {
            return;
        };
        let Some(t) = post.media.get(media).and_then(|md| md.tags.get(tag_index)) else {
            return;
        };
        let product = t.product;
        let post_id = m.post_id.clone();
        self.open_card(mount, product, tag);
        let product_id = self.config.products[product].id.clone();
        self.outbox.push(Out::Event(
            "tag-open",
            Detail::new()
                .text("post_id", &post_id)
                .text("product_id", &product_id)
                .finish(),
        ));
        let item = self.config.default_item(product);
        let line = Line {
            item_id: item.item_id().to_owned(),
            quantity: 1,
            post_id: None,
        };
        self.data_layer("view_item", &[line], None);
    }

    /// Arrow keys move a carousel a slide in the arrow's direction, whatever the script
    /// direction (in right-to-left posts, the next slide is to the left).
    fn on_mount_key(&mut self, mount: u32, event: &web_sys::Event) {
        let Some(key) = event.event_key() else {
            return;
        };
        let rightward = match key.as_str() {
            "ArrowRight" => 1.0,
            "ArrowLeft" => -1.0,
            _ => return,
        };
        if let Some(m) = self.mount(mount) {
            event.prevent_default();
            let step = if self.rtl { -rightward } else { rightward };
            post::step_carousel(&m.shadow, step, self.rtl);
        }
    }

    // ----- card ---------------------------------------------------------------------

    fn open_card(&mut self, mount: u32, product: usize, tag: Element) {
        if let Some(old) = self.card.take() {
            old.tag.set_attr("aria-expanded", "false");
        }
        let item_id = self.config.default_item(product).item_id().to_owned();
        tag.set_attr("aria-expanded", "true");
        self.card = Some(OpenCard {
            mount,
            item_id,
            tag,
            quantity: 1,
        });
        self.render_card();
        set_hidden(&self.ui.card, false);
        self.place_card();
        dom::focus_after_paint(&self.ui.card);
    }

    fn render_card(&self) {
        let Some(open) = &self.card else { return };
        let Some(item) = self.config.item(&open.item_id) else {
            return;
        };
        let view = self.view();
        dom::card::render(&view, &self.ui.card, &item, open.quantity);
    }

    /// The card's quantity input, if a card is open.
    fn card_quantity_input(&self) -> Option<Element> {
        self.ui.card.find(dom::card::QTY_INPUT)
    }

    /// Takes the card's typed quantity, read as cart lines read theirs (`parse_quantity`:
    /// any digits, clamped to 1..=99; no digit keeps the last one).
    fn take_card_quantity(&mut self) {
        let typed = self.card_quantity_input().map(|i| i.field_value());
        if let (Some(open), Some(n)) = (
            &mut self.card,
            typed.and_then(|t| crate::core::cart::parse_quantity(&t)),
        ) {
            open.quantity = n;
        }
    }

    /// Reads the card's typed quantity and writes it back corrected (`abc` → the last
    /// good one, `250` → 99), in the shop's digits.
    fn settle_card_quantity(&mut self) {
        self.take_card_quantity();
        self.write_card_quantity();
    }

    /// Writes the card's quantity back into its input, in the shop's digits.
    fn write_card_quantity(&self) {
        if let (Some(open), Some(input)) = (&self.card, self.card_quantity_input()) {
            input.set_field_value(&self.prices.count(open.quantity));
        }
    }

    fn step_card_quantity(&mut self, by: i32) {
        self.take_card_quantity();
        if let Some(open) = &mut self.card {
            open.quantity = open
                .quantity
                .saturating_add_signed(by)
                .clamp(1, MAX_QUANTITY);
        }
        self.write_card_quantity();
        if let Some(open) = &self.card {
            let (id, quantity) = (open.item_id.clone(), open.quantity);
            self.say_quantity(&id, quantity, false);
        }
    }

    fn place_card(&self) {
        if let Some(open) = &self.card {
            dom::card::place(&self.ui.card, &open.tag, self.rtl);
        }
    }

    fn close_card(&mut self, return_focus: bool) {
        if let Some(open) = self.card.take() {
            set_hidden(&self.ui.card, true);
            open.tag.set_attr("aria-expanded", "false");
            if return_focus {
                focus(&open.tag);
            }
        }
    }

    // ----- cart ---------------------------------------------------------------------

    fn render_cart(&self) {
        let view = self.view();
        self.ui.render(&view, &self.cart, &self.problems, self.busy);
    }

    /// After any change to the cart: persist, re-render, keep focus where the shopper was.
    fn cart_changed(&mut self) {
        self.problems
            .retain(|p| self.cart.line(&p.item_id).is_some());
        self.store.save(&self.cart.to_json());
        self.render_cart_keeping_focus();
    }

    /// Re-renders the cart panel; focus on a line's control moves to the same control of
    /// the new line, or to the panel when the line is gone (removed), so it never falls
    /// to the page's body in the middle of a modal dialog.
    ///
    /// A typed quantity is committed by its `change` event, which fires while Tab or a click
    /// moves focus on from the field (focus is on no element then): re-rendering the lines
    /// removed the element focus was moving to, and it fell to the page's body. So for a
    /// typed quantity the lines are re-rendered in the next task, once focus has landed,
    /// and it is kept where it landed (the field already shows the quantity, `on_ui_change`).
    fn render_cart_keeping_focus(&mut self) {
        if ::core::mem::take(&mut self.typed_quantity) {
            io::soon(|| {
                with_app(App::render_cart_keeping_focus_now);
            });
            return;
        }
        self.render_cart_keeping_focus_now();
    }

    fn render_cart_keeping_focus_now(&mut self) {
        let focused = self.ui.shadow.active_element().and_then(|e| {
            [
                "data-shoppable-inc",
                "data-shoppable-dec",
                "data-shoppable-qty",
                "data-shoppable-remove",
            ]
            .iter()
            .find_map(|a| {
                e.get_attribute(a)
                    .map(|v| cat!("[", a, "=\"", css_escape(&v), "\"]"))
            })
        });
        self.render_cart();
        if let Some(selector) = focused {
            // Valid whatever the id (see `css_escape`), so bound without `catch`.
            match self.ui.shadow.find(&selector) {
                Some(e) => focus(&e),
                None => focus(&self.ui.panel),
            }
        }
        self.hold_cart_focus();
    }

    /// In the open cart, focus that fell to the page's body (its control was disabled,
    /// like Checkout while a checkout is in flight or once the cart is empty) goes to the
    /// panel, so Tab goes on inside the modal dialog and a screen reader stays in it.
    /// (Chromium moves focus off a disabled control only at its next rendering update, so
    /// a control disabled just now counts as lost focus too.)
    fn hold_cart_focus(&self) {
        let lost = self
            .ui
            .shadow
            .active_element()
            .is_none_or(|e| e.has_attribute("disabled"));
        if self.cart_open && lost {
            focus(&self.ui.panel);
        }
    }

    fn data_layer(&mut self, event: &str, lines: &[Line], transaction: Option<&str>) {
        if self.config.data_layer {
            self.outbox
                .push(Out::DataLayer(ga4(event, lines, &self.config, transaction)));
        }
    }

    fn quantity_event(
        &mut self,
        name: &'static str,
        item_id: &str,
        quantity: u32,
        post_id: Option<&str>,
    ) {
        self.outbox.push(Out::Event(
            name,
            Detail::new()
                .text("item_id", item_id)
                .number("quantity", u64::from(quantity))
                .optional_text("post_id", post_id)
                .finish(),
        ));
        let line = Line {
            item_id: item_id.to_owned(),
            quantity,
            post_id: None,
        };
        let ga = if name == "add-to-cart" {
            "add_to_cart"
        } else {
            "remove_from_cart"
        };
        self.data_layer(ga, &[line], None);
    }

    pub fn add(
        &mut self,
        item_id: &str,
        quantity: u32,
        post_id: Option<&str>,
    ) -> Result<u32, String> {
        let added = self
            .cart
            .add(&self.config, item_id, quantity, post_id)
            .map_err(|e| e.describe(item_id))?;
        if added > 0 {
            self.cart_changed();
            self.quantity_event("add-to-cart", item_id, added, post_id);
            self.say_done(Key::Added, item_id);
        }
        Ok(added)
    }

    /// Announces an addition or a removal in the status region ("Added … to your cart"),
    /// for a screen reader as much as for the eye: focus stays where it was.
    fn say_done(&mut self, key: Key, item_id: &str) {
        if let Some(item) = self.config.item(item_id) {
            let title = crate::core::i18n::isolate(&item.title());
            let text = self.strings.fill(key, &[("title", &title)]);
            self.status(&text, SAID, true);
        }
    }

    /// A stepper's new quantity, for a screen reader only: the field shows it to the eye,
    /// while focus stays on the − or + that changed it, so without this nothing is heard.
    /// "Silk scarf: 3", and on a cart line the new subtotal: "Silk scarf: 3. Subtotal: …".
    fn say_quantity(&mut self, item_id: &str, quantity: u32, in_cart: bool) {
        let Some(item) = self.config.item(item_id) else {
            return;
        };
        let colon = self.strings.colon();
        let title = crate::core::i18n::isolate(&item.title());
        let mut text = cat!(title, colon, self.prices.count(quantity));
        if in_cart {
            let subtotal = self.prices.format(self.cart.subtotal(&self.config));
            text = cat!(text, ". ", self.strings.get(Key::Subtotal), colon, subtotal);
        }
        self.status(&text, QUIET, true);
    }

    pub fn set_quantity(&mut self, item_id: &str, quantity: u32) -> Result<(), String> {
        let Some(before) = self.cart.line(item_id).map(|l| l.quantity) else {
            return Err(cat!(quoted(item_id), " is not in the cart"));
        };
        let post_id = self.cart.line(item_id).and_then(|l| l.post_id.clone());
        if self.cart.set_quantity(item_id, quantity) {
            let after = self.cart.line(item_id).map_or(0, |l| l.quantity);
            self.cart_changed();
            if after > before {
                self.quantity_event("add-to-cart", item_id, after - before, post_id.as_deref());
            } else {
                self.quantity_event(
                    "remove-from-cart",
                    item_id,
                    before - after,
                    post_id.as_deref(),
                );
            }
        }
        Ok(())
    }

    /// Removes a line. An item of the shop that is not in the cart is nothing to remove
    /// (as `clear` on an empty cart); an id that names no item of the shop is an error, so
    /// a typo in a page's call does not pass unnoticed.
    pub fn remove(&mut self, item_id: &str) -> Result<(), String> {
        match self.cart.remove(item_id) {
            Some(line) => {
                self.cart_changed();
                self.quantity_event(
                    "remove-from-cart",
                    item_id,
                    line.quantity,
                    line.post_id.as_deref(),
                );
                self.say_done(Key::Removed, item_id);
                Ok(())
            }
            None if self.config.item(item_id).is_some() => Ok(()),
            None => Err(CartError::UnknownItem.describe(item_id)),
        }
    }

    pub fn clear(&mut self) {
        let lines = self.cart.lines().to_vec();
        if self.cart.clear() {
            self.cart_changed();
            for l in lines {
                self.quantity_event(
                    "remove-from-cart",
                    &l.item_id,
                    l.quantity,
                    l.post_id.as_deref(),
                );
            }
        }
    }

    pub fn items(&self) -> String {
        self.cart.items_json(&self.config)
    }

    pub fn subtotal(&self) -> String {
        self.cart
            .subtotal(&self.config)
            .to_decimal(self.config.shop.currency)
    }

    pub fn open_cart(&mut self) {
        self.close_card(false);
        if !self.cart_open {
            self.cart_open = true;
            // Focus inside the widget shows as its host; the page's body is no place.
            let doc = document();
            let body: Option<JsValue> = doc.body().map(Into::into);
            self.cart_opener = doc
                .active_element()
                .filter(|e| e != &self.ui.host && Some(e.as_ref()) != body.as_ref());
            self.ui.set_open(true);
            dom::focus_after_paint(&self.ui.panel);
            let lines = self.cart.lines().to_vec();
            self.data_layer("view_cart", &lines, None);
        }
    }

    pub fn close_cart(&mut self) {
        if self.cart_open {
            self.cart_open = false;
            self.ui.set_open(false);
            match self.cart_opener.take().filter(|e| e.is_connected()) {
                Some(opener) => focus(&opener),
                None => focus(&self.ui.toggle),
            }
        }
    }

    /// A shopper's add or + that the 99-per-line limit swallowed: said, not silent.
    fn quantity_limit(&mut self) {
        let count = self.prices.count(MAX_QUANTITY);
        let text = self.strings.fill(Key::QuantityLimit, &[("count", &count)]);
        self.status(&text, ERROR, true);
    }

    /// Shows a message in the live region (`tone`: see `dom::cart::SAID`); `transient` ones
    /// clear themselves after 4 s.
    fn status(&mut self, text: &str, tone: &str, transient: bool) {
        self.status_generation += 1;
        self.ui.set_status(text, tone);
        if transient {
            let generation = self.status_generation;
            io::later(4000, move || {
                with_app(|app| {
                    if app.status_generation == generation {
                        app.ui.set_status("", SAID);
                    }
                });
            });
        }
    }

    // ----- events -------------------------------------------------------------------

    fn on_ui_click(&mut self, event: &web_sys::Event) {
        self.load_cart();
        let attr = |name: &str| target_with(event, name).and_then(|e| e.get_attribute(name));
        if target_with(event, "data-shoppable-cart-toggle").is_some() {
            if self.cart_open {
                self.close_cart();
            } else {
                self.open_cart();
            }
        } else if target_with(event, "data-shoppable-close").is_some() {
            if self.card.is_some() {
                self.close_card(true);
            } else {
                self.close_cart();
            }
        } else if target_with(event, "data-shoppable-checkout").is_some() {
            self.outbox.push(Out::Checkout);
        } else if let Some(id) = attr("data-shoppable-add") {
            // The stepper's text, in case it was typed into and `change` has not fired.
            self.settle_card_quantity();
            let (post_id, quantity) = self.card.as_ref().map_or((None, 1), |c| {
                (self.mount(c.mount).map(|m| m.post_id.clone()), c.quantity)
            });
            match self.add(&id, quantity, post_id.as_deref()) {
                Err(e) => self.status(&e, ERROR, true),
                Ok(0) => self.quantity_limit(),
                Ok(_) => {}
            }
        } else if target_with(event, dom::card::QTY[0]).is_some() {
            self.step_card_quantity(-1);
        } else if target_with(event, dom::card::QTY[2]).is_some() {
            self.step_card_quantity(1);
        } else if let Some(id) = attr("data-shoppable-inc") {
            self.step_line(&id, 1);
        } else if let Some(id) = attr("data-shoppable-dec") {
            self.step_line(&id, -1);
        } else if let Some(id) = attr("data-shoppable-remove") {
            let _ = self.remove(&id);
        } else if event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|t| t == self.ui.scrim)
        {
            self.close_cart();
        }
    }

    /// A cart line's − or +: one less (never under 1) or one more (at 99, said instead).
    fn step_line(&mut self, id: &str, by: i32) {
        let q = self.cart.line(id).map_or(0, |l| l.quantity);
        if by > 0 && q >= MAX_QUANTITY {
            self.quantity_limit();
        } else {
            let n = q.saturating_add_signed(by).max(1);
            let _ = self.set_quantity(id, n);
            self.say_quantity(id, n, true);
        }
    }

    fn on_ui_change(&mut self, event: &web_sys::Event) {
        self.load_cart();
        if let Some(select) = target_with(event, "data-shoppable-variant") {
            let value = select.field_value();
            if let Some(open) = &mut self.card {
                if self.config.item(&value).is_some() {
                    open.item_id = value;
                }
            }
            self.render_card();
            self.place_card();
            if let Some(s) = self.ui.card.find("[data-shoppable-variant]") {
                focus(&s);
            }
        } else if target_with(event, dom::card::QTY[1]).is_some() {
            self.settle_card_quantity();
        } else if let Some(input) = target_with(event, "data-shoppable-qty") {
            let id = input
                .get_attribute("data-shoppable-qty")
                .unwrap_or_default();
            let typed = input.field_value();
            // Bad entries are corrected, not refused (`parse_quantity`); an entry without a
            // digit restores the quantity the line had.
            if let Some(n) = crate::core::cart::parse_quantity(&typed) {
                self.typed_quantity = true;
                let _ = self.set_quantity(&id, n);
                self.typed_quantity = false;
            }
            // Unchanged (a typed 0 is 1, "abc" nothing): the field shows the quantity again,
            // in place. Re-rendering the line here, while Tab moves focus on from it, would
            // drop focus to the page's body.
            if let Some(line) = self.cart.line(&id) {
                let (quantity, shown) = (line.quantity, self.prices.count(line.quantity));
                if input.field_value() != shown {
                    input.set_field_value(&shown);
                }
                // What the line holds now, corrected or not, and the subtotal it makes.
                self.say_quantity(&id, quantity, true);
            }
        }
    }

    fn on_page_click(&mut self, event: &web_sys::Event) {
        let Some(open) = &self.card else { return };
        let card: &JsValue = self.ui.card.as_ref();
        let tag: &JsValue = open.tag.as_ref();
        let inside = event
            .composed_path()
            .iter()
            .any(|n| &n == card || &n == tag);
        if !inside {
            self.close_card(false);
        }
    }

    fn on_key(&mut self, event: &web_sys::Event) {
        let Some(name) = event.event_key() else {
            return;
        };
        // A keydown listener's event. Only `shiftKey` is read as a KeyboardEvent's, which
        // is `false` on anything else, so no `instanceof` check.
        let key = event.unchecked_ref::<web_sys::KeyboardEvent>();
        match name.as_str() {
            "Escape" if self.card.is_some() => {
                event.prevent_default();
                self.close_card(true);
            }
            "Escape" if self.cart_open => {
                event.prevent_default();
                self.close_cart();
            }
            "Tab" if self.cart_open => self.trap_focus(&self.ui.panel, key),
            // The card traps Tab only while focus is in it (it moves there on opening): a
            // shopper who clicked a tag and then tabs from elsewhere is not pulled in.
            "Tab" if self.card.is_some() && self.focus_in_card() => {
                self.trap_focus(&self.ui.card, key)
            }
            _ => {}
        }
    }

    /// Keeps Tab inside an open dialog (the cart panel, or the card while focus is in it):
    /// past the last control it comes back to the first, and the other way round.
    fn trap_focus(&self, dialog: &Element, key: &web_sys::KeyboardEvent) {
        let items = dialog.find_all(
            "button:not([disabled]),input,select,a[href],[tabindex]:not([tabindex=\"-1\"])",
        );
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return;
        };
        let active = self.ui.shadow.active_element();
        let at = |e: &Element| active.as_ref() == Some(e);
        let outside = active.is_none() || active.as_ref() == Some(dialog);
        if key.shift_key() && (at(first) || outside) {
            key.prevent_default();
            focus(last);
        } else if !key.shift_key() && (at(last) || outside) {
            key.prevent_default();
            focus(first);
        }
    }

    fn focus_in_card(&self) -> bool {
        self.ui
            .shadow
            .active_element()
            .is_some_and(|e| self.ui.card.contains(Some(&e)))
    }

    /// Another tab of the same shop changed the cart: take its version.
    fn on_storage(&mut self, event: &web_sys::Event) {
        if event.event_key().as_deref() != Some(self.store.key()) {
            return;
        }
        // The stored value now, not the event's `newValue`: when two tabs write at once,
        // each gets the other's event, and adopting those would swap their carts. Storage
        // holds the last write, so every tab converges on it (last write wins).
        self.cart = match self.store.load() {
            Some(text) => match Cart::restore(&text, &self.config) {
                Ok((cart, _)) => cart,
                // Another tab runs a newer widget (a roll-out): its cart is not this
                // page's to overwrite with the next change.
                Err(reason) => {
                    if reason == crate::core::cart::NEWER {
                        self.store.leave_to_newer(&reason);
                    }
                    return;
                }
            },
            None => Cart::default(),
        };
        self.render_cart();
    }

    // ----- checkout -----------------------------------------------------------------

    fn finish_checkout(&mut self, decision: Decision, sent: &[Line]) -> Result<JsValue, JsValue> {
        self.busy = false;
        self.checkout = None;
        let result = match decision {
            Decision::Success {
                order_id,
                redirect_url,
            } => {
                self.cart.remove_ordered(sent);
                self.problems.clear();
                self.cart_changed();
                let text = self.strings.fill(Key::OrderPlaced, &[("id", &order_id)]);
                self.status(&text, SAID, false);
                let detail =
                    order_detail(Some(&order_id), redirect_url.as_ref().map(|u| u.as_str()));
                self.outbox
                    .push(Out::Event("checkout-success", detail.clone()));
                self.data_layer("purchase", sent, Some(&order_id));
                if let Some(url) = redirect_url {
                    self.outbox.push(Out::Navigate(url.as_str().to_owned()));
                }
                Ok(order_result(&detail))
            }
            Decision::Rejected { message, lines } => {
                // Refused, so never "please try again", even without the server's words.
                let text = message
                    .clone()
                    .unwrap_or_else(|| self.strings.get(Key::CheckoutRefused).to_owned());
                self.problems = lines.clone();
                self.render_cart();
                self.status(&text, ERROR, false);
                Err(self.checkout_error(&text, false, &lines))
            }
            Decision::Failed { message, retryable } => {
                // "Please try again" only where trying again can help.
                let key = if retryable {
                    Key::CheckoutFailed
                } else {
                    Key::CheckoutRefused
                };
                let text = self.strings.get(key).to_owned();
                self.render_cart();
                self.status(&text, ERROR, false);
                Err(self.checkout_error(&message, retryable, &[]))
            }
            // Retries are handled by the loop. (No message: the shipped panic handler
            // reads none, and the text would ship as dead data.)
            Decision::RetryAfter { .. } => unreachable!(),
        };
        result
    }

    /// Sends `checkout-error` and returns the `Error` that `checkout()` rejects with: the
    /// event's `message`, `retryable` and `lines` on it, so a page's `catch` can tell a
    /// refused cart from a failed network without listening for the event too.
    fn checkout_error(&mut self, message: &str, retryable: bool, lines: &[LineProblem]) -> JsValue {
        // The checkout button was `disabled` while in flight, and its focus held by the
        // panel (`hold_cart_focus`): back to it, in the open cart, unless focus moved on.
        let panel: &JsValue = self.ui.panel.as_ref();
        let held = self
            .ui
            .shadow
            .active_element()
            .is_none_or(|e| AsRef::<JsValue>::as_ref(&e) == panel);
        if self.cart_open && held {
            focus(&self.ui.checkout);
        }
        let mut details = Vec::with_capacity(lines.len());
        for line in lines {
            details.push(line.detail());
        }
        let detail = Detail::new()
            .text("message", message)
            .flag("retryable", retryable)
            .value("lines", Json::Array(details))
            .finish();
        let error = js_error(message);
        js_sys::Object::assign(
            error.unchecked_ref::<js_sys::Object>(),
            order_result(&detail).unchecked_ref(),
        );
        self.outbox.push(Out::Event("checkout-error", detail));
        error
    }
}

/// What one checkout needs, copied out of the app so no borrow is held across awaits.
struct Prepared {
    url: String,
    body: String,
    key: String,
    headers: Vec<(String, String)>,
    credentials: Credentials,
    timeout_ms: u32,
    max_attempts: u32,
    sent: Vec<Line>,
}

enum Begin {
    Send(Prepared),
    Done(Result<JsValue, JsValue>),
}

/// `Shoppable.checkout()`: one promise per checkout; a second call while one is in flight
/// gets the same promise.
pub fn start_checkout() -> js_sys::Promise {
    let Some(begin) = with_app(begin_checkout) else {
        return js_sys::Promise::reject(&js_error(NOT_RUNNING));
    };
    match begin {
        Err(existing) => existing,
        Ok(Begin::Done(Ok(v))) => js_sys::Promise::resolve(&v),
        Ok(Begin::Done(Err(e))) => js_sys::Promise::reject(&e),
        Ok(Begin::Send(prepared)) => {
            let mut settle = None;
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                settle = Some((resolve, reject));
            });
            with_app(|app| app.checkout = Some(promise.clone()));
            if let Some((resolve, reject)) = settle {
                send_checkout(Flight {
                    run: checkout::Run::new(prepared.max_attempts),
                    p: alloc::rc::Rc::new(prepared),
                    resolve,
                    reject,
                });
            }
            promise
        }
    }
}

/// `{order_id, redirect_url}`: the `checkout-success` detail and what `checkout()` resolves
/// with (`order_id` is null for a WhatsApp order, taken in the chat).
fn order_detail(order_id: Option<&str>, redirect_url: Option<&str>) -> String {
    Detail::new()
        .optional_text("order_id", order_id)
        .optional_text("redirect_url", redirect_url)
        .finish()
}

/// A JSON detail (`Detail`) as a JS object.
fn order_result(detail: &str) -> JsValue {
    js_sys::JSON::parse(detail).unwrap_or(JsValue::NULL)
}

fn begin_checkout(app: &mut App) -> Result<Begin, js_sys::Promise> {
    app.load_cart();
    if let Some(p) = &app.checkout {
        return Err(p.clone());
    }
    if app.cart.is_empty() {
        return Ok(Begin::Done(Err(js_error("the cart is empty"))));
    }
    let page = io::page_url();
    let settings = app.config.checkout.clone();
    // Both modes start the same way for the page: the event and GA4's begin_checkout.
    let sent = app.cart.lines().to_vec();
    app.outbox.push(Out::Event("checkout-start", "{}".into()));
    app.data_layer("begin_checkout", &sent, None);
    let url = match settings.mode {
        CheckoutMode::WhatsApp => {
            let digits = app.config.shop.whatsapp.clone().unwrap_or_default();
            let prices = &app.prices;
            let message = checkout::whatsapp_message(
                &app.cart,
                &app.config,
                &app.strings,
                &page,
                |m| prices.format(m),
                |n| prices.count(n),
            );
            let url = checkout::whatsapp_url(&digits, &message);
            // Called from the shopper's click, so the new tab is not a blocked pop-up.
            let _ = window().open_with_url_and_target_and_features(&url, "_blank", "noopener");
            let text = app.strings.get(Key::WhatsAppSent).to_owned();
            app.status(&text, SAID, true);
            // The shop takes the order in the chat: there is no order id yet, and the cart
            // is kept. Same shape as an endpoint result, so one handler serves both.
            return Ok(Begin::Done(Ok(order_result(&order_detail(
                None,
                Some(&url),
            )))));
        }
        CheckoutMode::Endpoint(url) => url.as_str().to_owned(),
    };
    app.busy = true;
    app.problems.clear();
    let key = app.cart.checkout_key_or(io::random_uuid);
    app.store.save(&app.cart.to_json());
    let body = checkout::request_body(&app.cart, &app.config, &page);
    app.render_cart();
    // Checkout is disabled now; focus on it would fall to the page's body.
    app.hold_cart_focus();
    let text = app.strings.get(Key::CheckingOut).to_owned();
    app.status(&text, SAID, false);
    Ok(Begin::Send(Prepared {
        url,
        body,
        key,
        headers: settings.headers,
        credentials: settings.credentials,
        timeout_ms: settings.timeout_ms,
        max_attempts: settings.max_attempts,
        sent,
    }))
}

/// A checkout on its way: what it sends, its run (the core's attempt state), and the promise
/// `Shoppable.checkout()` returned.
struct Flight {
    p: alloc::rc::Rc<Prepared>,
    run: checkout::Run,
    resolve: js_sys::Function,
    reject: js_sys::Function,
}

/// One attempt; the core decides on its answer whether to retry (after the delay it
/// gives), and `finish_checkout` carries out anything else.
fn send_checkout(f: Flight) {
    let p = f.p.clone();
    let credentials = match p.credentials {
        Credentials::Omit => web_sys::RequestCredentials::Omit,
        Credentials::SameOrigin => web_sys::RequestCredentials::SameOrigin,
        Credentials::Include => web_sys::RequestCredentials::Include,
    };
    let post = fetch::Post {
        url: &p.url,
        body: &p.body,
        idempotency_key: &p.key,
        headers: &p.headers,
        credentials,
        timeout_ms: p.timeout_ms,
    };
    fetch::post_json(post, move |outcome| on_checkout_answer(f, outcome));
}

fn on_checkout_answer(mut f: Flight, outcome: Outcome) {
    let answer = match &outcome {
        Outcome::NetworkError => Answer::NetworkError,
        Outcome::Timeout => Answer::Timeout,
        Outcome::Http {
            status,
            body,
            retry_after,
        } => Answer::Http {
            status: *status,
            body,
            retry_after: retry_after.as_deref(),
        },
    };
    let decision = f
        .run
        .on_answer(&answer, js_sys::Math::random(), js_sys::Date::now());
    if let Decision::RetryAfter { delay_ms } = decision {
        io::later(delay_ms, move || send_checkout(f));
        return;
    }
    let result = with_app(|app| app.finish_checkout(decision, &f.p.sent))
        .unwrap_or_else(|| Err(js_error("Shoppable stopped during checkout")));
    let _ = match result {
        Ok(value) => f.resolve.call1(&JsValue::NULL, &value),
        Err(error) => f.reject.call1(&JsValue::NULL, &error),
    };
}

/// An attribute value as the body of a double-quoted CSS string: ids may hold quotes and
/// backslashes. Nothing else can end the string or make the selector invalid: the values
/// are cart item ids, which config refuses with control characters or whitespace (a
/// newline would end a CSS string). A loop: `str::replace` brings std's char searcher and
/// `memchr` (~0.7 KB of wasm).
fn css_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if matches!(c, '\\' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn with<R>(f: impl FnOnce(&mut App) -> R) -> Result<R, JsValue> {
    // A call of its own rather than inside `f`: a wrapping closure in each of `with`'s
    // instances cost more bytes than a second borrow costs time.
    with_app(App::load_cart);
    with_app(f).ok_or_else(|| js_error(NOT_RUNNING))
}
