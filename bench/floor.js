/* The DOM floor: hand-written vanilla JS that builds the same DOM Shoppable builds for
 * `<img data-shoppable-post>` mounts (src/dom/post.rs `mount_overlay`), with nothing else:
 * no validation beyond JSON.parse, no cart, no card, no observers, no framework. What any
 * implementation of this widget must pay at least.
 *
 * Per mounted <img>:
 *   <shoppable-overlay style="position:absolute;…" data-shoppable-overlay="POST">  (after the img)
 *     #shadow-root (open), adoptedStyleSheets = [the ONE shared CSSStyleSheet]
 *       <div class="root" dir lang>
 *         <div class="layer">
 *           <button type="button" class="tag" aria-label="TITLE, PRICE" data-shoppable-tag="PRODUCT"
 *                   data-m="0" data-t="I" aria-haspopup="dialog" aria-expanded="false" part="tag"
 *                   style="left:Xpx;top:Ypx">           × 5, in reading order
 *         <button type="button" class="shop" aria-label="Show products" data-shoppable-tags-toggle
 *                 aria-pressed="true" part="tags-toggle">     (shop this post: shows/hides the tags)
 *         <ul class="sr" aria-label="Products in this post"><li>TITLE, PRICE</li>…</ul>
 *
 * `run.mjs` checks before the render scenario that both build the same shadow trees (every
 * element, attribute and text; inline style values aside), so this floor cannot drift
 * from the widget's DOM unnoticed (it once lacked the shop-this-post button).
 *
 * The stylesheet text is the widget's own src/dom/widget.css: run.mjs prepends it as
 * SHOPPABLE_CSS when it copies this file to the served directory, so both pay the same style
 * cost, and both get the `content-visibility: auto` it gives `shoppable-overlay` hosts (the
 * browser skips far overlays until they come near). Tags are placed at fractions of the image's rendered content box (the images have
 * width/height attributes, so their boxes are known before they load). All reads come first,
 * before anything is inserted, so there is no forced layout of the new shadow trees: style and
 * layout run once, in the next frame. Each overlay is complete (shadow root, children,
 * positions) before it is inserted. It runs when executed (a `defer` script, like the
 * loader) and reports to the benchmark probe.
 */
(function () {
  "use strict";
  var B = window.__bench || { marks: {} };
  var t0 = performance.now();
  B.marks.floorStart = t0;

  var configEl = document.querySelector("script[data-shoppable-config]");
  var config = JSON.parse(configEl.textContent);
  var shop = config.shop;
  var format = new Intl.NumberFormat(shop.locale, { style: "currency", currency: shop.currency });
  var labels = Object.create(null);
  config.products.forEach(function (p) {
    labels[p.id] = p.title + ", " + format.format(p.price);
  });
  var posts = Object.create(null);
  config.posts.forEach(function (p) { posts[p.id] = p; });

  var sheet = new CSSStyleSheet();
  sheet.replaceSync(typeof SHOPPABLE_CSS === "string" ? SHOPPABLE_CSS
    : ".layer{position:absolute;inset:0;pointer-events:none}[hidden]{display:none!important}"
      + ".tag{position:absolute;pointer-events:auto;width:28px;height:28px;transform:translate(-50%,-50%)}"
      + ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}");
  var sheets = [sheet];
  var OVERLAY = "position:absolute;display:block;margin:0;padding:0;border:0;pointer-events:none;z-index:1;";
  // The widget's rule (src/core/i18n.rs `is_rtl`): the language subtag, any case, before "-" or "_".
  var lang = shop.locale, dir = /^(ar|fa|ur|he|ps|sd|ug|yi|dv)([-_]|$)/i.test(lang) ? "rtl" : "ltr";
  function onClick(e) { /* a real widget delegates tag clicks here */ }
  // Tags in reading order, as the widget's config reader stores them (src/core/geometry.rs
  // `reading_order`): lines from the top, a line taking every tag within 0.15 of the image's
  // height below its first, each line from the start of the reading direction.
  function readingOrder(tags) {
    var byY = tags.slice().sort(function (a, b) { return a.y - b.y; }), out = [];
    for (var s = 0; s < byY.length;) {
      var e = s + 1;
      while (e < byY.length && byY[e].y - byY[s].y < 0.15) e++;
      out.push.apply(out, byY.slice(s, e).sort(function (a, b) { return dir === "rtl" ? b.x - a.x : a.x - b.x; }));
      s = e;
    }
    return out;
  }

  // 1. Read every image's content box first, while the page holds nothing of ours: one
  //    layout of the page as it is (usually already clean), and no forced layout later.
  var imgs = document.querySelectorAll("img[data-shoppable-post]");
  var boxes = [];
  for (var i = 0; i < imgs.length; i++) {
    var im = imgs[i];
    boxes.push([im.offsetLeft + im.clientLeft, im.offsetTop + im.clientTop, im.clientWidth, im.clientHeight]);
  }
  B.marks.floorMeasured = performance.now();

  // 2. Build, with the final positions (writes only; style and layout happen once, in the
  //    next rendered frame).
  for (i = 0; i < imgs.length; i++) {
    var img = imgs[i], post = posts[img.getAttribute("data-shoppable-post")], box = boxes[i];
    if (!post) continue;
    var media = post.media[0], tags = readingOrder(media.tags);
    var host = document.createElement("shoppable-overlay");
    host.setAttribute("style", OVERLAY + "left:" + box[0] + "px;top:" + box[1] + "px;width:" + box[2] + "px;height:" + box[3] + "px");
    host.setAttribute("data-shoppable-overlay", post.id);
    var shadow = host.attachShadow({ mode: "open" });
    shadow.adoptedStyleSheets = sheets;
    shadow.addEventListener("click", onClick);
    var root = document.createElement("div");
    root.className = "root";
    root.setAttribute("dir", dir);
    root.setAttribute("lang", lang);
    var layer = document.createElement("div");
    layer.className = "layer";
    for (var t = 0; t < tags.length; t++) {
      var tag = tags[t];
      var b = document.createElement("button");
      b.setAttribute("type", "button");
      b.className = "tag";
      b.setAttribute("aria-label", labels[tag.product]);
      b.setAttribute("data-shoppable-tag", tag.product);
      b.setAttribute("data-m", "0");
      b.setAttribute("data-t", String(t));
      b.setAttribute("aria-haspopup", "dialog");
      b.setAttribute("aria-expanded", "false");
      b.setAttribute("part", "tag");
      b.style.left = tag.x * box[2] + "px";
      b.style.top = tag.y * box[3] + "px";
      layer.appendChild(b);
    }
    var toggle = document.createElement("button");
    toggle.setAttribute("type", "button");
    toggle.className = "shop";
    toggle.setAttribute("aria-label", "Show products");
    toggle.setAttribute("data-shoppable-tags-toggle", "");
    toggle.setAttribute("aria-pressed", "true");
    toggle.setAttribute("part", "tags-toggle");
    var list = document.createElement("ul");
    list.className = "sr";
    list.setAttribute("aria-label", "Products in this post");
    var seen = Object.create(null);
    for (t = 0; t < tags.length; t++) {
      var id = tags[t].product;
      if (seen[id]) continue;
      seen[id] = true;
      var li = document.createElement("li");
      li.textContent = labels[id];
      list.appendChild(li);
    }
    root.appendChild(layer);
    root.appendChild(toggle);
    root.appendChild(list);
    shadow.appendChild(root);
    img.after(host);
  }
  B.marks.floorEnd = performance.now();
})();
