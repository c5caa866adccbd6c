// Charts drawn when they come near the screen (components.responsive_graph(lazy=True)): each
// .lazy-chart wrapper holds its figure as JSON in data-figure and an empty frame of the same
// height; this hands the figure to the graph (Dash's set_props) when the wrapper comes within
// 300 px of the viewport. Charts in view are drawn at once, every chart before printing.
(function () {
  var drawn = new WeakSet();

  function draw(el) {
    if (drawn.has(el) || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    drawn.add(el);
    try {
      window.dash_clientside.set_props(el.dataset.graph, {figure: JSON.parse(el.dataset.figure)});
    } catch (err) {
      drawn.delete(el);
      if (window.console) { console.warn("lazy chart", el.dataset.graph, err); }
    }
  }

  var seen = ("IntersectionObserver" in window) ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
    });
  }, {rootMargin: "300px 0px"}) : null;

  function watch() {
    // not before the stylesheets: until then every card is short and "in view"
    if (document.readyState !== "complete") { return; }
    document.querySelectorAll(".lazy-chart[data-figure]").forEach(function (el) {
      if (drawn.has(el) || el.dataset.watched === "1") { return; }
      el.dataset.watched = "1";
      if (seen) { seen.observe(el); } else { draw(el); }
    });
  }

  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".lazy-chart[data-figure]").forEach(draw);
  });
  window.addEventListener("load", watch);
  watch();
})();
