// Run page overlay controls (attached by data-overlay-controls): overlay opacity over the original image,
// colormap JET/grayscale and region outlines on/off. Every picture is a PNG rendered by the server's engine;
// this script only chooses which variant to show (img src) and how opaque the overlay layer is.
(function () {
  "use strict";
  function init(controls) {
    var opacity = controls.querySelector("[data-overlay-opacity]");
    var colormap = controls.querySelector("[data-overlay-colormap]");
    var outlines = controls.querySelector("[data-overlay-outlines]");
    function slug(kind) {
      var lines = outlines && outlines.checked ? "outlines" : "plain";
      if (kind === "original") return "original-" + lines;
      return kind + "-" + (colormap ? colormap.value : "jet") + "-" + lines;
    }
    function refreshImages() {
      document.querySelectorAll("img[data-panel-kind][data-base]").forEach(function (img) {
        var next = img.getAttribute("data-base") + slug(img.getAttribute("data-panel-kind"));
        if (img.getAttribute("src") !== next) img.setAttribute("src", next);
      });
    }
    function refreshOpacity() {
      var value = opacity ? Number(opacity.value) / 100 : 1;
      document.querySelectorAll("img.overlay-layer").forEach(function (img) {
        img.style.opacity = String(value);
      });
    }
    if (opacity) opacity.addEventListener("input", refreshOpacity);
    if (colormap) colormap.addEventListener("change", refreshImages);
    if (outlines) outlines.addEventListener("change", refreshImages);
    refreshOpacity();
  }
  document.querySelectorAll("[data-overlay-controls]").forEach(init);
})();
