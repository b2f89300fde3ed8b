//! Tag geometry: where a point given as fractions of an image's natural size lands inside
//! the image's rendered content box, under every `object-fit` and `object-position`
//! (CSS Images 3, §5.5). Returns `None` when the point is cropped out of view.

use crate::prelude::*;

use super::json::{parse_f64, push_fixed};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    Fill,
    Contain,
    Cover,
    None,
    ScaleDown,
}

impl Fit {
    /// From a computed `object-fit` value; anything unknown is the initial `fill`.
    pub fn from_css(value: &str) -> Fit {
        match value.trim_ascii() {
            "contain" => Fit::Contain,
            "cover" => Fit::Cover,
            "none" => Fit::None,
            "scale-down" => Fit::ScaleDown,
            _ => Fit::Fill,
        }
    }
}

/// One axis of `object-position`: a share of the free space, plus a length in px,
/// measured from the start edge or (for `right`/`bottom` offsets) from the end edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offset {
    pub percent: f64,
    pub px: f64,
    pub from_end: bool,
}

impl Offset {
    const CENTER: Offset = Offset {
        percent: 50.0,
        px: 0.0,
        from_end: false,
    };

    fn resolve(self, free: f64) -> f64 {
        let along = free * self.percent / 100.0 + self.px;
        if self.from_end {
            free - along
        } else {
            along
        }
    }
}

fn length(token: &str) -> Option<Offset> {
    // A computed length-percentage sum, as Chromium writes `right 10px` (and any `calc()`):
    // `calc(100% - 10px)`, always two terms joined by ` + ` or ` - `.
    if let Some(sum) = token
        .strip_prefix("calc(")
        .and_then(|t| t.strip_suffix(')'))
    {
        let mut terms = super::split(sum, ' ');
        let (a, op, b) = (
            length(terms.next()?)?,
            terms.next()?,
            length(terms.next()?)?,
        );
        let sign = match op {
            "+" => 1.0,
            "-" => -1.0,
            _ => return None,
        };
        return Some(Offset {
            percent: a.percent + sign * b.percent,
            px: a.px + sign * b.px,
            from_end: false,
        });
    }
    if let Some(p) = token.strip_suffix('%') {
        return Some(Offset {
            percent: parse_f64(p)?,
            px: 0.0,
            from_end: false,
        });
    }
    let px = parse_f64(token.strip_suffix("px").unwrap_or(token))?;
    Some(Offset {
        percent: 0.0,
        px,
        from_end: false,
    })
}

fn keyword(token: &str) -> Option<(char, Offset)> {
    let (axis, percent) = match token {
        "left" => ('x', 0.0),
        "right" => ('x', 100.0),
        "top" => ('y', 0.0),
        "bottom" => ('y', 100.0),
        "center" => ('c', 50.0),
        _ => return None,
    };
    Some((
        axis,
        Offset {
            percent,
            px: 0.0,
            from_end: false,
        },
    ))
}

/// Parses a computed `object-position` (`50% 50%`, `10px 20%`, `right 10px bottom 5%`).
/// What it cannot read falls back to the initial `50% 50%`.
///
/// Computed values separate their parts with single spaces, so the parts are split at
/// spaces outside parentheses (a `calc()` is one part; empty parts skipped) by hand rather
/// than with `split_whitespace`, whose Unicode whitespace table is ~0.3 KB of wasm.
pub fn parse_position(value: &str) -> (Offset, Offset) {
    let mut tokens: Vec<&str> = Vec::with_capacity(4);
    let (mut depth, mut start) = (0u32, 0);
    for (i, b) in value.bytes().chain([b' ']).enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b' ' if depth == 0 => {
                if let Some(token) = value.get(start..i).filter(|t| !t.is_empty()) {
                    tokens.push(token);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    let parsed = match tokens.as_slice() {
        [a, b] => match (keyword(a), keyword(b)) {
            (Some(('y', y)), Some((_, x))) | (Some(('c', x)), Some(('y', y))) => Some((x, y)),
            (Some((_, x)), Some((_, y))) => Some((x, y)),
            (Some((_, x)), None) => length(b).map(|y| (x, y)),
            (None, Some((_, y))) => length(a).map(|x| (x, y)),
            (None, None) => length(a).zip(length(b)),
        },
        [a] => keyword(a)
            .map(|(axis, o)| match axis {
                'y' => (Offset::CENTER, o),
                _ => (o, Offset::CENTER),
            })
            .or_else(|| length(a).map(|x| (x, Offset::CENTER))),
        [e1, o1, e2, o2] => {
            let edge = |e: &str, o: &str| {
                let mut off = length(o)?;
                off.from_end = matches!(e, "right" | "bottom");
                Some((keyword(e)?.0, off))
            };
            match (edge(e1, o1), edge(e2, o2)) {
                (Some(('x', x)), Some(('y', y))) | (Some(('y', y)), Some(('x', x))) => Some((x, y)),
                _ => None,
            }
        }
        _ => None,
    };
    parsed.unwrap_or((Offset::CENTER, Offset::CENTER))
}

/// The size the image's content is drawn at inside a box of size `frame`.
pub fn content_size(natural: Size, frame: Size, fit: Fit) -> Size {
    let sx = frame.width / natural.width;
    let sy = frame.height / natural.height;
    let scale = match fit {
        Fit::Fill => {
            return frame;
        }
        Fit::Contain => sx.min(sy),
        Fit::Cover => sx.max(sy),
        Fit::None => 1.0,
        Fit::ScaleDown => sx.min(sy).min(1.0),
    };
    Size {
        width: natural.width * scale,
        height: natural.height * scale,
    }
}

/// Where the point (`fx`, `fy`) of the natural image falls, in px from the frame's
/// top-left corner; `None` when it lies outside the frame (cropped) or sizes are unknown.
pub fn place(
    natural: Size,
    frame: Size,
    fit: Fit,
    position: (Offset, Offset),
    fx: f64,
    fy: f64,
) -> Option<(f64, f64)> {
    let usable = |s: Size| s.width > 0.0 && s.height > 0.0 && s.width.is_finite();
    if !usable(natural) || !usable(frame) {
        return None;
    }
    let content = content_size(natural, frame, fit);
    let left = position.0.resolve(frame.width - content.width);
    let top = position.1.resolve(frame.height - content.height);
    let x = left + fx * content.width;
    let y = top + fy * content.height;
    // Half a pixel of slack so a tag on the very edge of an uncropped image stays visible.
    let inside = |v: f64, max: f64| (-0.5..=max + 0.5).contains(&v);
    (inside(x, frame.width) && inside(y, frame.height)).then_some((x, y))
}

/// A length as CSS text with at most two decimals (`12.5px`, `-3px`), written with
/// integer arithmetic: `f64`'s `Display` would pull ~20 KB of float formatting into the wasm.
pub fn css_px(value: f64) -> String {
    let hundredths = if value.is_finite() {
        super::round(value * 100.0)
    } else {
        0
    };
    let mut out = String::with_capacity(10);
    if hundredths < 0 {
        out.push('-');
    }
    push_fixed(&mut out, hundredths.unsigned_abs(), 2);
    out.push_str("px");
    out
}

/// A box on screen, in CSS px from the viewport's top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// The part of both boxes (empty, with no negative size, when they do not meet).
    pub fn meet(self, other: Rect) -> Rect {
        let (x, y) = (self.x.max(other.x), self.y.max(other.y));
        let right = (self.x + self.width).min(other.x + other.width);
        let bottom = (self.y + self.height).min(other.y + other.height);
        Rect {
            x,
            y,
            width: (right - x).max(0.0),
            height: (bottom - y).max(0.0),
        }
    }

    fn holds(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x && x <= self.x + self.width && y >= self.y && y <= self.y + self.height
    }
}

/// An overlay of size `frame` whose image sits in scroll containers that do not move the
/// overlay (it is placed in a block outside them), which show the part `visible` of it
/// (in the overlay's own px): the points outside that part are hidden like cropped ones,
/// and the returned `clip-path: inset()` (top, right, bottom, left) cuts off what the
/// containers hide of the rest (a tag half scrolled out, the shop-this-post button).
pub fn clip_to(visible: Rect, frame: Size, points: &mut [Option<(f64, f64)>]) -> [f64; 4] {
    for point in points.iter_mut() {
        if point.is_some_and(|p| !visible.holds(p)) {
            *point = None;
        }
    }
    [
        visible.y,
        frame.width - (visible.x + visible.width),
        frame.height - (visible.y + visible.height),
        visible.x,
    ]
}

/// Space kept between a card and its tag, and between a card and the viewport's edge.
const GAP: f64 = 12.0;
const MARGIN: f64 = 8.0;

/// Where a product card goes: beside its tag on the reading-direction side (right in LTR,
/// left in RTL), flipped to the other side when it does not fit, else below or above the
/// tag; always clamped inside the viewport. Returns the card's top-left corner.
pub fn card_position(tag: Rect, card: Size, viewport: Size, rtl: bool) -> (f64, f64) {
    let right = tag.x + tag.width + GAP;
    let left = tag.x - GAP - card.width;
    let (first, second) = if rtl { (left, right) } else { (right, left) };
    let fits_x = |x: f64| x >= MARGIN && x + card.width <= viewport.width - MARGIN;
    let clamp = |v: f64, size: f64, room: f64| v.min(room - size - MARGIN).max(MARGIN);
    let centre_y = clamp(
        tag.y + tag.height / 2.0 - card.height / 2.0,
        card.height,
        viewport.height,
    );
    if fits_x(first) {
        return (first, centre_y);
    }
    if fits_x(second) {
        return (second, centre_y);
    }
    let x = clamp(
        tag.x + tag.width / 2.0 - card.width / 2.0,
        card.width,
        viewport.width,
    );
    let below = tag.y + tag.height + GAP;
    let above = tag.y - GAP - card.height;
    let y = if below + card.height <= viewport.height - MARGIN || above < MARGIN {
        clamp(below, card.height, viewport.height)
    } else {
        above
    };
    (x, y)
}

/// Tags whose points lie within this share of the image's height of the first tag of a line
/// are read as one line.
const LINE: f64 = 0.15;

/// The order a person reads tags in, as indices into `points` (x, y fractions of the
/// image): lines from top to bottom, each from the start of the reading direction (left,
/// or right in RTL). A line starts at the highest tag not yet placed and takes every tag
/// within `LINE` below it, so a row of people tagged at slightly different heights reads
/// across, not zig-zag by a few pixels. Tags are buttons in this order (Tab, screen
/// readers); the config's order does not matter.
#[inline(never)]
pub fn reading_order(points: &[(f64, f64)], rtl: bool) -> Vec<usize> {
    let mut order = Vec::with_capacity(points.len());
    for i in 0..points.len() {
        order.push(i);
    }
    sort_by(&mut order, &|i| points[i].1);
    let mut start = 0;
    while start < order.len() {
        let top = points[order[start]].1;
        let mut end = start + 1;
        while end < order.len() && points[order[end]].1 - top < LINE {
            end += 1;
        }
        sort_by(order.get_mut(start..end).unwrap_or_default(), &|i| {
            if rtl {
                -points[i].0
            } else {
                points[i].0
            }
        });
        start = end;
    }
    order
}

/// A stable insertion sort by a key. Not `sort_by`: std's sort brought 3 KB of brotli wasm
/// for lists that hold one image's few tags; one non-generic function keeps this small.
fn sort_by(v: &mut [usize], key: &dyn Fn(usize) -> f64) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(v[j]) < key(v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// A 64-bit digest of a layout's numbers, chained from `key` (start from `DIGEST_START`),
/// so `dom::post::Frame::apply` can tell a layout it already wrote without keeping a copy.
/// FNV-1a's multiply, one whole `f64` at a time: each value's bits are turned by 32 and
/// the key's high half folded into its low half after each multiply. A multiply carries
/// differences only upwards, and whole pixels differ only in an `f64`'s high bits, so plain
/// FNV over words mapped 9 million overlay positions to 3.2 million keys: an overlay moved
/// from (0, 0) to (2, 2) kept its key and was not moved (found by review).
pub fn digest(mut key: u64, values: &[f64]) -> u64 {
    for v in values {
        key = (key ^ v.to_bits().rotate_left(32)).wrapping_mul(0x100_0000_01b3);
        key ^= key >> 32;
    }
    key
}

/// Where every `digest` chain starts (FNV-1a's offset basis).
pub const DIGEST_START: u64 = 0xcbf2_9ce4_8422_2325;

#[cfg(test)]
mod tests {
    use super::*;

    const PORTRAIT: Size = Size {
        width: 1200.0,
        height: 1500.0,
    };
    const BOX: Size = Size {
        width: 400.0,
        height: 300.0,
    };

    fn center() -> (Offset, Offset) {
        parse_position("50% 50%")
    }

    fn at(fit: Fit, pos: &str, fx: f64, fy: f64) -> Option<(f64, f64)> {
        place(PORTRAIT, BOX, fit, parse_position(pos), fx, fy)
            .map(|(x, y)| ((x * 100.0).round() / 100.0, (y * 100.0).round() / 100.0))
    }

    #[test]
    fn each_fit_on_a_portrait_image_in_a_landscape_box() {
        // 1200×1500 into 400×300.
        type Row = (Fit, f64, f64, Option<(f64, f64)>);
        let rows: &[Row] = &[
            // fill stretches: the point keeps its fractions of the box.
            (Fit::Fill, 0.5, 0.5, Some((200.0, 150.0))),
            (Fit::Fill, 0.25, 1.0, Some((100.0, 300.0))),
            // contain: scale 0.2 → 240×300, centred with 80 px either side.
            (Fit::Contain, 0.0, 0.0, Some((80.0, 0.0))),
            (Fit::Contain, 1.0, 1.0, Some((320.0, 300.0))),
            // cover: scale 1/3 → 400×500, 100 px cropped top and bottom.
            (Fit::Cover, 0.5, 0.5, Some((200.0, 150.0))),
            (Fit::Cover, 0.5, 0.3, Some((200.0, 50.0))),
            (Fit::Cover, 0.5, 0.1, None),
            (Fit::Cover, 0.5, 0.9, None),
            // none: natural size, centred: left −400, top −600.
            (Fit::None, 0.5, 0.5, Some((200.0, 150.0))),
            (Fit::None, 0.0, 0.0, None),
            // scale-down: like contain here, since contain shrinks.
            (Fit::ScaleDown, 0.0, 0.0, Some((80.0, 0.0))),
        ];
        for (fit, fx, fy, expected) in rows {
            assert_eq!(
                at(*fit, "50% 50%", *fx, *fy),
                *expected,
                "{fit:?} {fx},{fy}"
            );
        }
    }

    #[test]
    fn scale_down_keeps_natural_size_when_it_fits() {
        let small = Size {
            width: 100.0,
            height: 50.0,
        };
        assert_eq!(
            place(small, BOX, Fit::ScaleDown, center(), 1.0, 1.0),
            Some((250.0, 175.0))
        );
        assert_eq!(
            place(small, BOX, Fit::Contain, center(), 1.0, 1.0),
            Some((400.0, 250.0))
        );
    }

    #[test]
    fn object_position_moves_the_content() {
        // cover, 400×500 content in 400×300: free space −200 vertically.
        assert_eq!(at(Fit::Cover, "50% 0%", 0.5, 0.1), Some((200.0, 50.0)));
        assert_eq!(at(Fit::Cover, "  50%   0% ", 0.5, 0.1), Some((200.0, 50.0)));
        assert_eq!(at(Fit::Cover, "center top", 0.5, 0.1), Some((200.0, 50.0)));
        assert_eq!(at(Fit::Cover, "top", 0.5, 0.1), Some((200.0, 50.0)));
        assert_eq!(at(Fit::Cover, "50% 100%", 0.5, 0.9), Some((200.0, 250.0)));
        assert_eq!(at(Fit::Cover, "0px -20px", 0.5, 0.5), Some((200.0, 230.0)));
        // contain, 240 wide content: free space 160 horizontally.
        assert_eq!(at(Fit::Contain, "left", 0.0, 0.5), Some((0.0, 150.0)));
        assert_eq!(
            at(Fit::Contain, "right 10px top 0%", 0.0, 0.0),
            Some((150.0, 0.0))
        );
        assert_eq!(at(Fit::Contain, "10px 50%", 0.0, 0.0), Some((10.0, 0.0)));
    }

    #[test]
    fn scroll_containers_hide_what_they_scroll_away() {
        let frame = Size {
            width: 300.0,
            height: 200.0,
        };
        // A strip 200 px wide shows the overlay's x 120..320 (the image's right part), all
        // of its height and more.
        let strip = Rect {
            x: 120.0,
            y: -50.0,
            width: 200.0,
            height: 400.0,
        };
        let mut points = [
            Some((100.0, 100.0)),
            Some((150.0, 10.0)),
            None,
            Some((300.0, 200.0)),
        ];
        let insets = clip_to(strip, frame, &mut points);
        assert_eq!(
            points,
            [None, Some((150.0, 10.0)), None, Some((300.0, 200.0))]
        );
        // Cut on the left; the other sides reach past the overlay (negative: nothing cut).
        assert_eq!(insets, [-50.0, -20.0, -150.0, 120.0]);
        // Scrolled out of view altogether (the strip shows x 400..600): every point
        // hidden, and all of the overlay cut off.
        let gone = Rect { x: 400.0, ..strip };
        let mut points = [Some((150.0, 10.0)), Some((300.0, 100.0))];
        let insets = clip_to(gone, frame, &mut points);
        assert_eq!(points, [None, None]);
        assert!(insets[3] >= frame.width, "{insets:?}");
        // Nested containers: what both show. A card clipping the image's left 50 px inside
        // the strip leaves x 120..250 of what the strip shows.
        let card = Rect {
            x: 50.0,
            y: 0.0,
            width: 200.0,
            height: 200.0,
        };
        assert_eq!(
            strip.meet(card),
            Rect {
                x: 120.0,
                y: 0.0,
                width: 130.0,
                height: 200.0
            }
        );
        assert_eq!(card.meet(gone).width, 0.0);
    }

    #[test]
    fn computed_calc_sums_are_read() {
        // Chromium computes `right 10px bottom 20px` as these sums; the same place results.
        let edges = parse_position("right 10px bottom 20px");
        let sums = parse_position("calc(100% - 10px) calc(100% - 20px)");
        for fit in [Fit::Cover, Fit::Contain, Fit::None] {
            for (fx, fy) in [(0.5, 0.5), (0.9, 0.9), (0.1, 0.0)] {
                assert_eq!(
                    place(PORTRAIT, BOX, fit, edges, fx, fy),
                    place(PORTRAIT, BOX, fit, sums, fx, fy),
                    "{fit:?} at ({fx}, {fy})"
                );
            }
        }
        // contain, 240 wide content in 400: free space 160; 10 % of it plus 2 px.
        assert_eq!(
            at(Fit::Contain, "calc(10% + 2px) 50%", 0.0, 0.0),
            Some((18.0, 0.0))
        );
        assert_eq!(
            parse_position("calc(-5px + 30%) 0%").0,
            Offset {
                percent: 30.0,
                px: -5.0,
                from_end: false
            }
        );
    }

    #[test]
    fn unreadable_values_fall_back_to_initial_values() {
        assert_eq!(Fit::from_css("weird"), Fit::Fill);
        assert_eq!(parse_position("calc(10% * 2px) 3%"), center());
        assert_eq!(parse_position("calc(10% + 2px 3%"), center());
        assert_eq!(parse_position("10% 20% 30%"), center());
        assert_eq!(parse_position(""), center());
    }

    #[test]
    fn unknown_sizes_place_nothing() {
        let zero = Size {
            width: 0.0,
            height: 0.0,
        };
        assert_eq!(place(zero, BOX, Fit::Cover, center(), 0.5, 0.5), None);
        assert_eq!(place(PORTRAIT, zero, Fit::Cover, center(), 0.5, 0.5), None);
    }

    #[test]
    fn card_sits_beside_the_tag_and_flips_near_edges() {
        let view = Size {
            width: 1280.0,
            height: 800.0,
        };
        let card = Size {
            width: 300.0,
            height: 400.0,
        };
        let tag = |x: f64, y: f64| Rect {
            x,
            y,
            width: 28.0,
            height: 28.0,
        };
        // LTR: to the right, centred vertically on the tag.
        assert_eq!(
            card_position(tag(100.0, 386.0), card, view, false),
            (140.0, 200.0)
        );
        // RTL: to the left.
        assert_eq!(
            card_position(tag(900.0, 386.0), card, view, true),
            (588.0, 200.0)
        );
        // Near the right edge in LTR: flips to the left.
        assert_eq!(
            card_position(tag(1200.0, 386.0), card, view, false),
            (888.0, 200.0)
        );
        // Near the left edge in RTL: flips to the right.
        assert_eq!(
            card_position(tag(20.0, 386.0), card, view, true),
            (60.0, 200.0)
        );
        // Near the top: clamped inside the viewport.
        assert_eq!(
            card_position(tag(100.0, 0.0), card, view, false),
            (140.0, 8.0)
        );
        // Narrow viewport where no side fits: below the tag, clamped.
        let narrow = Size {
            width: 360.0,
            height: 800.0,
        };
        assert_eq!(
            card_position(tag(166.0, 100.0), card, narrow, false),
            (30.0, 140.0)
        );
        // ...or above it when below has no room.
        assert_eq!(
            card_position(tag(166.0, 700.0), card, narrow, false),
            (30.0, 288.0)
        );
    }

    #[test]
    fn css_lengths_are_written_without_float_formatting() {
        for (v, text) in [
            (0.0, "0px"),
            (12.0, "12px"),
            (12.5, "12.5px"),
            (12.345, "12.35px"),
            (-3.004, "-3px"),
            (-0.05, "-0.05px"),
            (1e9, "1000000000px"),
            (f64::NAN, "0px"),
        ] {
            assert_eq!(css_px(v), text, "{v}");
        }
    }

    #[test]
    fn tags_read_by_lines_from_the_start_of_the_direction() {
        // Three people side by side, tagged at slightly different heights: one line.
        let row = [(0.35, 0.51), (0.67, 0.47), (0.82, 0.61)];
        assert_eq!(reading_order(&row, false), vec![0, 1, 2]);
        assert_eq!(reading_order(&row, true), vec![2, 1, 0]);
        // Listed out of order, and in three lines (top, middle, bottom).
        let scattered = [(0.8, 0.9), (0.2, 0.1), (0.9, 0.12), (0.5, 0.5), (0.1, 0.52)];
        assert_eq!(reading_order(&scattered, false), vec![1, 2, 4, 3, 0]);
        assert_eq!(reading_order(&scattered, true), vec![2, 1, 3, 4, 0]);
        assert_eq!(reading_order(&[], false), Vec::<usize>::new());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn reading_order_is_a_permutation_with_lines_going_down(
            points in proptest::collection::vec((0.0f64..=1.0, 0.0f64..=1.0), 0..40),
            rtl: bool,
        ) {
            let order = reading_order(&points, rtl);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            proptest::prop_assert_eq!(sorted, (0..points.len()).collect::<Vec<_>>());
            // A later tag is never more than a line's height above an earlier one.
            for (i, &a) in order.iter().enumerate() {
                for &b in &order[i + 1..] {
                    proptest::prop_assert!(points[b].1 > points[a].1 - LINE);
                }
            }
        }
    }

    /// Every whole- and half-pixel position of an overlay (its size and tags fixed, as
    /// `Frame::apply` digests them) has its own key, and so do sizes and tag moves.
    #[test]
    fn digest_tells_every_overlay_position_apart() {
        let mut keys = std::collections::HashSet::new();
        let tags = [
            10.0, 20.0, 200.0, 150.0, 399.0, 1.0, 0.5, 299.5, 123.25, 77.0,
        ];
        for left in 0..480 {
            for top in 0..480 {
                let (l, t) = (f64::from(left) / 2.0, f64::from(top) / 2.0);
                let key = digest(DIGEST_START, &[l, t, 400.0, 300.0]);
                assert!(keys.insert(digest(key, &tags)), "({l}, {t}) collides");
            }
        }
        let key = |values: &[f64]| digest(DIGEST_START, values);
        assert_ne!(
            key(&[0.0, 0.0, 400.0, 300.0]),
            key(&[2.0, 2.0, 400.0, 300.0])
        );
        assert_ne!(
            key(&[0.0, 0.0, 400.0, 300.0]),
            key(&[0.0, 0.0, 400.0, 300.5])
        );
        assert_ne!(key(&[1.0, 2.0]), key(&[2.0, 1.0]), "order matters");
        assert_ne!(key(&[0.0]), key(&[-0.0]));
        assert_eq!(key(&[3.0, 4.0]), digest(key(&[3.0]), &[4.0]), "chains");
    }
}
