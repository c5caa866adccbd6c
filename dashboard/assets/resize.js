// Charts follow their card at once when the window's width changes. Dash's own resize observer
// redraws them too, but after a delay: a phone turned sideways, a print, or a screenshot taken
// right after the resize would show the chart at the old width, sticking out of its card.
window.addEventListener("resize", function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
    var full = gd._fullLayout;
    if (full && gd.offsetParent !== null && Math.abs(full.width - gd.clientWidth) > 1) {
      window.Plotly.relayout(gd, {autosize: true});
    }
  });
});
