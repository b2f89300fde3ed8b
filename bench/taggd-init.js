/* The peer: Taggd 4.0.0 (npm `taggd`, dist/taggd.js + dist/taggd.css, UMD global `Taggd`)
 * tagging the same images with the same tags, as its README shows:
 *   new Taggd(image, options, [new Taggd.Tag({x, y}, text, buttonAttributes), …])
 * x and y are fractions of the image (Taggd writes them as `left/top: N%`). Each button gets
 * the same `data-shoppable-tag` and `aria-label` as Shoppable's; the popup text is the label.
 * `show`/`hide` on click, as a tap-first shoppable post would use it. Runs as a `defer`
 * script after taggd.js, like the loader, and reports to the benchmark probe.
 */
(function () {
  "use strict";
  var B = window.__bench || { marks: {} };
  B.marks.taggdStart = performance.now();
  var config = JSON.parse(document.querySelector("script[data-shoppable-config]").textContent);
  var format = new Intl.NumberFormat(config.shop.locale, { style: "currency", currency: config.shop.currency });
  var labels = Object.create(null);
  config.products.forEach(function (p) { labels[p.id] = p.title + ", " + format.format(p.price); });
  var posts = Object.create(null);
  config.posts.forEach(function (p) { posts[p.id] = p; });
  var options = { show: "click", hide: "click" };
  var imgs = document.querySelectorAll("img[data-shoppable-post]");
  B.taggd = [];
  for (var i = 0; i < imgs.length; i++) {
    var post = posts[imgs[i].getAttribute("data-shoppable-post")];
    if (!post) continue;
    var tags = post.media[0].tags.map(function (t) {
      return new Taggd.Tag({ x: t.x, y: t.y }, labels[t.product], {
        type: "button", "data-shoppable-tag": t.product, "aria-label": labels[t.product],
      });
    });
    B.taggd.push(new Taggd(imgs[i], options, tags));
  }
  B.marks.taggdEnd = performance.now();
})();
