// Pins a review comment on a run's image: a click fills a point, a drag fills a box, in the ORIGINAL image's
// pixel coordinates (whatever the displayed size). The form's x/y/width/height fields are the no-JavaScript
// fallback; this script only fills them and draws a draft marker. No framework, no inline code (CSP).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function toImage(surface, event) {
    var rect = surface.getBoundingClientRect();
    var width = Number(surface.getAttribute("data-image-width"));
    var height = Number(surface.getAttribute("data-image-height"));
    var x = (event.clientX - rect.left) * width / rect.width;
    var y = (event.clientY - rect.top) * height / rect.height;
    return {
      x: Math.max(0, Math.min(width, Math.round(x * 10) / 10)),
      y: Math.max(0, Math.min(height, Math.round(y * 10) / 10)),
      width: width, height: height
    };
  }

  function field(form, name) { return form.querySelector("[data-pin-field='" + name + "']"); }

  function drawDraft(layer, shape, a, b, radius) {
    var old = layer.querySelector(".pin-draft");
    if (old) { old.parentNode.removeChild(old); }
    var el;
    if (shape === "box") {
      el = document.createElementNS(SVG, "rect");
      el.setAttribute("x", Math.min(a.x, b.x));
      el.setAttribute("y", Math.min(a.y, b.y));
      el.setAttribute("width", Math.abs(b.x - a.x));
      el.setAttribute("height", Math.abs(b.y - a.y));
    } else {
      el = document.createElementNS(SVG, "circle");
      el.setAttribute("cx", a.x);
      el.setAttribute("cy", a.y);
      el.setAttribute("r", radius);
    }
    el.setAttribute("class", "pin pin-draft");
    layer.appendChild(el);
  }

  function fill(form, shape, a, b) {
    field(form, "shape").value = shape;
    if (shape === "box") {
      field(form, "x").value = Math.min(a.x, b.x);
      field(form, "y").value = Math.min(a.y, b.y);
      field(form, "width").value = Math.round(Math.abs(b.x - a.x) * 10) / 10;
      field(form, "height").value = Math.round(Math.abs(b.y - a.y) * 10) / 10;
    } else {
      field(form, "x").value = a.x;
      field(form, "y").value = a.y;
      field(form, "width").value = 0;
      field(form, "height").value = 0;
    }
  }

  function attach(surface) {
    var form = document.getElementById(surface.getAttribute("data-pin-form"));
    var layer = surface.querySelector("[data-pin-layer]");
    if (!form || !layer) { return; }
    var radius = Math.max(Number(surface.getAttribute("data-image-width")),
                          Number(surface.getAttribute("data-image-height"))) / 60;
    var start = null;
    surface.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      event.preventDefault();
      start = toImage(surface, event);
      if (surface.setPointerCapture) { surface.setPointerCapture(event.pointerId); }
    });
    surface.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      var now = toImage(surface, event);
      var dragged = Math.abs(now.x - start.x) + Math.abs(now.y - start.y) > start.width / 100;
      if (dragged) { drawDraft(layer, "box", start, now, radius); }
    });
    surface.addEventListener("pointerup", function (event) {
      if (!start) { return; }
      var end = toImage(surface, event);
      var box = Math.abs(end.x - start.x) > start.width / 100 && Math.abs(end.y - start.y) > start.height / 100;
      var shape = box ? "box" : "point";
      drawDraft(layer, shape, start, end, radius);
      fill(form, shape, start, end);
      start = null;
      var body = form.querySelector("[data-pin-body]");
      if (body) { body.focus(); }
    });
    surface.addEventListener("pointercancel", function () { start = null; });
  }

  function init() {
    var surfaces = document.querySelectorAll("[data-pin-surface]");
    for (var i = 0; i < surfaces.length; i++) { attach(surfaces[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
