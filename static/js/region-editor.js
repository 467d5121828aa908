// Region editor: draws rectangles, polygons and ellipses over an image's display copy and keeps the region set
// (REGIONS.json, pixel coordinates of the ORIGINAL image in display orientation) in the form's textarea, which the
// form posts. Attached to [data-region-editor]; without JavaScript the textarea alone is the editor.
(function () {
  "use strict";

  var HANDLE = 6; // screen px
  var MIN_DRAG = 3; // screen px
  var COLORS = { focus: "#1f6feb", avoid: "#d1242f" };

  function round(v) { return Math.round(v * 100) / 100; }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function setup(root) {
    var W = Number(root.dataset.imageWidth);
    var H = Number(root.dataset.imageHeight);
    var canEdit = root.dataset.canEdit === "true";
    var stage = root.querySelector("[data-stage]");
    var canvas = root.querySelector("[data-canvas]");
    var ctx = canvas.getContext("2d");
    var toolbar = root.querySelector("[data-toolbar]");
    var side = root.querySelector("[data-side]");
    var list = root.querySelector("[data-region-list]");
    var props = root.querySelector("[data-properties]");
    var message = root.querySelector("[data-editor-message]");
    var zoomLabel = root.querySelector("[data-zoom-label]");
    var fallback = root.querySelector("[data-fallback-image]");
    var form = document.querySelector("[data-regions-form]");
    var textarea = document.querySelector("[data-regions-json]");
    var details = document.querySelector("[data-json-details]");
    if (!W || !H || !canvas || !textarea) return;

    var image = new window.Image();
    var regions = [];
    var selected = null; // {r, s}
    var tool = "select";
    var zoom = 1, panX = 0, panY = 0;
    var drag = null; // current pointer gesture
    var drawing = null; // polygon in progress {points: [[x,y]], hover: [x,y]}
    var undoStack = [];
    var spaceDown = false;
    var maskCache = new Map();
    var propsCheckpointed = false;

    // ---- model <-> JSON ----
    function loadFromText(text) {
      var parsed = JSON.parse(text);
      if (!parsed || !Array.isArray(parsed.regions)) throw new Error("no regions list");
      return parsed.regions.map(function (r) {
        return {
          label: typeof r.label === "string" ? r.label : "",
          aliases: Array.isArray(r.aliases) ? r.aliases.filter(function (a) { return typeof a === "string"; }) : [],
          kind: r.kind === "avoid" ? "avoid" : "focus",
          min_energy: typeof r.min_energy === "number" ? r.min_energy : null,
          min_coverage: typeof r.min_coverage === "number" ? r.min_coverage : null,
          max_energy: typeof r.max_energy === "number" ? r.max_energy : null,
          shapes: Array.isArray(r.shapes) ? r.shapes : []
        };
      });
    }

    function shapeJSON(s) {
      switch (s.type) {
        case "rect": return { type: "rect", x: round(s.x), y: round(s.y), width: round(s.width), height: round(s.height) };
        case "ellipse": return { type: "ellipse", cx: round(s.cx), cy: round(s.cy), rx: round(s.rx), ry: round(s.ry), angle: round(s.angle || 0) };
        case "polygon": return { type: "polygon", points: s.points.map(function (p) { return [round(p[0]), round(p[1])]; }) };
        default: return s;
      }
    }

    function toText() {
      var lines = regions.map(function (r) {
        var o = { label: r.label };
        if (r.aliases.length) o.aliases = r.aliases;
        o.kind = r.kind;
        if (r.min_energy !== null) o.min_energy = r.min_energy;
        if (r.min_coverage !== null) o.min_coverage = r.min_coverage;
        if (r.max_energy !== null) o.max_energy = r.max_energy;
        o.shapes = r.shapes.map(shapeJSON);
        return "  " + JSON.stringify(o);
      });
      return lines.length ? "{\"regions\": [\n" + lines.join(",\n") + "\n]}" : "{\"regions\": []}";
    }

    function sync() {
      textarea.value = toText();
      renderList();
      renderProps();
      render();
    }

    function checkpoint() {
      undoStack.push(JSON.stringify(regions));
      if (undoStack.length > 200) undoStack.shift();
    }

    function undo() {
      if (!undoStack.length) { say("Nothing to undo."); return; }
      regions = JSON.parse(undoStack.pop());
      drawing = null;
      if (selected && !(regions[selected.r] && regions[selected.r].shapes[selected.s])) selected = null;
      maskCache.clear();
      sync();
      say("Undone.");
    }

    function say(text) { if (message) message.textContent = text; }

    // ---- coordinates ----
    function toImage(sx, sy) { return [(sx - panX) / zoom, (sy - panY) / zoom]; }
    function toScreen(ix, iy) { return [panX + ix * zoom, panY + iy * zoom]; }
    function eventPoint(event) {
      var rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    }

    function resizeCanvas() {
      var ratio = window.devicePixelRatio || 1;
      var w = stage.clientWidth, h = stage.clientHeight;
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      render();
    }

    function fit() {
      var w = stage.clientWidth, h = stage.clientHeight;
      zoom = Math.min(w / W, h / H);
      panX = (w - W * zoom) / 2;
      panY = (h - H * zoom) / 2;
      render();
    }

    function zoomAt(factor, sx, sy) {
      var w = stage.clientWidth, h = stage.clientHeight;
      var fitZoom = Math.min(w / W, h / H);
      var next = clamp(zoom * factor, fitZoom / 8, 64);
      var p = toImage(sx, sy);
      zoom = next;
      panX = sx - p[0] * zoom;
      panY = sy - p[1] * zoom;
      render();
    }

    function zoomCentered(factor) { zoomAt(factor, stage.clientWidth / 2, stage.clientHeight / 2); }

    // ---- geometry ----
    function pointInPolygon(points, x, y) {
      var inside = false;
      for (var i = 0, j = points.length - 1; i < points.length; j = i++) {
        var xi = points[i][0], yi = points[i][1], xj = points[j][0], yj = points[j][1];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }

    function ellipseAxes(s) {
      var a = ((s.angle || 0) * Math.PI) / 180;
      return { ux: Math.cos(a), uy: Math.sin(a), vx: -Math.sin(a), vy: Math.cos(a) };
    }

    function hitShape(s, x, y) {
      switch (s.type) {
        case "rect": return x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height;
        case "ellipse": {
          var ax = ellipseAxes(s), dx = x - s.cx, dy = y - s.cy;
          var u = dx * ax.ux + dy * ax.uy, v = dx * ax.vx + dy * ax.vy;
          return (u / s.rx) * (u / s.rx) + (v / s.ry) * (v / s.ry) <= 1;
        }
        case "polygon": return pointInPolygon(s.points, x, y);
        default: return false;
      }
    }

    function handlesOf(s) {
      switch (s.type) {
        case "rect": return [[s.x, s.y], [s.x + s.width, s.y], [s.x + s.width, s.y + s.height], [s.x, s.y + s.height]];
        case "ellipse": {
          var ax = ellipseAxes(s);
          return [[s.cx + ax.ux * s.rx, s.cy + ax.uy * s.rx], [s.cx - ax.ux * s.rx, s.cy - ax.uy * s.rx],
                  [s.cx + ax.vx * s.ry, s.cy + ax.vy * s.ry], [s.cx - ax.vx * s.ry, s.cy - ax.vy * s.ry]];
        }
        case "polygon": return s.points.map(function (p) { return [p[0], p[1]]; });
        default: return [];
      }
    }

    function selectedShape() { return selected ? regions[selected.r].shapes[selected.s] : null; }

    function findHandle(sx, sy) {
      var s = selectedShape();
      if (!s) return -1;
      var hs = handlesOf(s);
      for (var i = 0; i < hs.length; i += 1) {
        var p = toScreen(hs[i][0], hs[i][1]);
        if (Math.abs(p[0] - sx) <= HANDLE + 2 && Math.abs(p[1] - sy) <= HANDLE + 2) return i;
      }
      return -1;
    }

    function findShape(x, y) {
      // Topmost first; the selected shape wins.
      var s = selectedShape();
      if (s && hitShape(s, x, y)) return selected;
      for (var r = regions.length - 1; r >= 0; r -= 1) {
        for (var k = regions[r].shapes.length - 1; k >= 0; k -= 1) {
          if (hitShape(regions[r].shapes[k], x, y)) return { r: r, s: k };
        }
      }
      return null;
    }

    function moveShape(s, orig, dx, dy) {
      if (s.type === "rect") { s.x = orig.x + dx; s.y = orig.y + dy; }
      else if (s.type === "ellipse") { s.cx = orig.cx + dx; s.cy = orig.cy + dy; }
      else if (s.type === "polygon") { s.points = orig.points.map(function (p) { return [p[0] + dx, p[1] + dy]; }); }
    }

    function resizeShape(s, orig, handle, x, y) {
      if (s.type === "rect") {
        var corners = [[orig.x, orig.y], [orig.x + orig.width, orig.y], [orig.x + orig.width, orig.y + orig.height], [orig.x, orig.y + orig.height]];
        var fixed = corners[(handle + 2) % 4];
        var x0 = Math.min(fixed[0], x), x1 = Math.max(fixed[0], x), y0 = Math.min(fixed[1], y), y1 = Math.max(fixed[1], y);
        s.x = x0; s.y = y0; s.width = Math.max(x1 - x0, 1 / zoom); s.height = Math.max(y1 - y0, 1 / zoom);
      } else if (s.type === "ellipse") {
        var ax = ellipseAxes(orig), dx = x - orig.cx, dy = y - orig.cy;
        if (handle < 2) s.rx = Math.max(Math.abs(dx * ax.ux + dy * ax.uy), 1 / zoom);
        else s.ry = Math.max(Math.abs(dx * ax.vx + dy * ax.vy), 1 / zoom);
      } else if (s.type === "polygon") {
        s.points = orig.points.map(function (p, i) { return i === handle ? [x, y] : [p[0], p[1]]; });
      }
    }

    // ---- rendering ----
    function maskCanvas(s) {
      if (maskCache.has(s)) return maskCache.get(s);
      var size = s.size || [H, W];
      var mh = size[0], mw = size[1];
      var f = Math.min(1, 2048 / Math.max(mw, mh));
      var cw = Math.max(1, Math.ceil(mw * f)), ch = Math.max(1, Math.ceil(mh * f));
      var off = document.createElement("canvas");
      off.width = cw; off.height = ch;
      var octx = off.getContext("2d");
      var data = octx.createImageData(cw, ch);
      var counts = Array.isArray(s.counts) ? s.counts : [];
      var pos = 0;
      for (var i = 0; i < counts.length; i += 1) {
        var run = counts[i];
        if (i % 2 === 1) {
          for (var p = pos; p < pos + run && p < mw * mh; p += 1) {
            var x = Math.floor(Math.floor(p / mh) * f), y = Math.floor((p % mh) * f);
            var o = (y * cw + x) * 4;
            data.data[o] = 255; data.data[o + 3] = 255;
          }
        }
        pos += run;
      }
      octx.putImageData(data, 0, 0);
      maskCache.set(s, off);
      return off;
    }

    function tracePath(s) {
      ctx.beginPath();
      if (s.type === "rect") {
        var a = toScreen(s.x, s.y);
        ctx.rect(a[0], a[1], s.width * zoom, s.height * zoom);
      } else if (s.type === "ellipse") {
        var c = toScreen(s.cx, s.cy);
        ctx.ellipse(c[0], c[1], Math.max(s.rx * zoom, 0.1), Math.max(s.ry * zoom, 0.1), ((s.angle || 0) * Math.PI) / 180, 0, Math.PI * 2);
      } else if (s.type === "polygon") {
        s.points.forEach(function (pt, i) {
          var q = toScreen(pt[0], pt[1]);
          if (i === 0) ctx.moveTo(q[0], q[1]); else ctx.lineTo(q[0], q[1]);
        });
        ctx.closePath();
      }
    }

    function labelAnchor(s) {
      if (s.type === "rect") return [s.x, s.y];
      if (s.type === "ellipse") return [s.cx - s.rx, s.cy - s.ry];
      if (s.type === "polygon" && s.points.length) return s.points[0];
      return [0, 0];
    }

    function render() {
      var ratio = window.devicePixelRatio || 1;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.fillStyle = "#2b3138";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (image.complete && image.naturalWidth) {
        ctx.imageSmoothingEnabled = zoom < 2;
        ctx.drawImage(image, panX, panY, W * zoom, H * zoom);
      }
      regions.forEach(function (region, r) {
        var color = COLORS[region.kind] || COLORS.focus;
        region.shapes.forEach(function (s, k) {
          var isSelected = selected && selected.r === r && selected.s === k;
          if (s.type === "mask") {
            ctx.globalAlpha = isSelected ? 0.55 : 0.35;
            ctx.drawImage(maskCanvas(s), panX, panY, W * zoom, H * zoom);
            ctx.globalAlpha = 1;
            return;
          }
          tracePath(s);
          ctx.fillStyle = color + (isSelected ? "40" : "22");
          ctx.fill();
          ctx.lineWidth = isSelected ? 3 : 2;
          ctx.strokeStyle = color;
          ctx.stroke();
          if (k === 0) {
            var a = toScreen(labelAnchor(s)[0], labelAnchor(s)[1]);
            ctx.font = "13px system-ui, sans-serif";
            var text = region.label || "(no label)";
            var tw = ctx.measureText(text).width;
            ctx.fillStyle = color;
            ctx.fillRect(a[0], a[1] - 18, tw + 8, 18);
            ctx.fillStyle = "#fff";
            ctx.fillText(text, a[0] + 4, a[1] - 5);
          }
        });
      });
      var s = selectedShape();
      if (s && s.type !== "mask") {
        handlesOf(s).forEach(function (h) {
          var q = toScreen(h[0], h[1]);
          ctx.fillStyle = "#fff";
          ctx.strokeStyle = "#111";
          ctx.lineWidth = 1;
          ctx.fillRect(q[0] - HANDLE / 2 - 1, q[1] - HANDLE / 2 - 1, HANDLE + 2, HANDLE + 2);
          ctx.strokeRect(q[0] - HANDLE / 2 - 1, q[1] - HANDLE / 2 - 1, HANDLE + 2, HANDLE + 2);
        });
      }
      if (drag && drag.kind === "create" && drag.preview) {
        tracePath(drag.preview);
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#ffd33d";
        ctx.stroke();
        ctx.setLineDash([]);
      }
      if (drawing) {
        ctx.beginPath();
        drawing.points.forEach(function (pt, i) {
          var q = toScreen(pt[0], pt[1]);
          if (i === 0) ctx.moveTo(q[0], q[1]); else ctx.lineTo(q[0], q[1]);
        });
        if (drawing.hover) { var hq = toScreen(drawing.hover[0], drawing.hover[1]); ctx.lineTo(hq[0], hq[1]); }
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#ffd33d";
        ctx.stroke();
        ctx.setLineDash([]);
        drawing.points.forEach(function (pt) {
          var q = toScreen(pt[0], pt[1]);
          ctx.fillStyle = "#ffd33d";
          ctx.fillRect(q[0] - 3, q[1] - 3, 6, 6);
        });
      }
      if (zoomLabel) zoomLabel.textContent = Math.round(zoom * 100) + "%";
      // Exposed for tests and tools: screen = pan + image × zoom (CSS pixels of the canvas).
      canvas.dataset.zoom = String(zoom);
      canvas.dataset.panX = String(panX);
      canvas.dataset.panY = String(panY);
    }

    // ---- side panel ----
    function renderList() {
      while (list.firstChild) list.removeChild(list.firstChild);
      regions.forEach(function (region, r) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "region-item" + (selected && selected.r === r ? " selected" : "") + " kind-" + region.kind;
        var types = region.shapes.map(function (s) { return s.type; }).join(", ");
        button.textContent = (region.label || "(no label)") + " · " + region.kind + " · " + types;
        button.addEventListener("click", function () {
          selected = region.shapes.length ? { r: r, s: 0 } : null;
          setTool("select");
          sync();
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    function renderProps() {
      var region = selected ? regions[selected.r] : null;
      props.disabled = !region || !canEdit;
      props.querySelectorAll("[data-field]").forEach(function (input) {
        if (document.activeElement === input) return;
        var field = input.dataset.field;
        if (!region) { input.value = field === "kind" ? "focus" : ""; return; }
        if (field === "aliases") input.value = region.aliases.join(", ");
        else if (field === "label" || field === "kind") input.value = region[field];
        else input.value = region[field] === null ? "" : String(region[field]);
      });
    }

    props.querySelectorAll("[data-field]").forEach(function (input) {
      input.addEventListener("focus", function () { propsCheckpointed = false; });
      var update = function () {
        var region = selected ? regions[selected.r] : null;
        if (!region || !canEdit) return;
        if (!propsCheckpointed) { checkpoint(); propsCheckpointed = true; }
        var field = input.dataset.field;
        if (field === "label") region.label = input.value;
        else if (field === "kind") region.kind = input.value === "avoid" ? "avoid" : "focus";
        else if (field === "aliases") {
          region.aliases = input.value.split(",").map(function (a) { return a.trim(); }).filter(function (a) { return a.length; });
        } else {
          var v = input.value.trim();
          var n = Number(v);
          region[field] = v === "" || !isFinite(n) ? null : n;
        }
        sync();
      };
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });

    // ---- tools ----
    function setTool(name) {
      if (!canEdit && name !== "select") return;
      tool = name;
      drawing = null;
      toolbar.querySelectorAll("[data-tool]").forEach(function (b) {
        b.classList.toggle("active", b.dataset.tool === name);
        b.setAttribute("aria-pressed", b.dataset.tool === name ? "true" : "false");
      });
      canvas.dataset.tool = name;
      canvas.style.cursor = name === "select" ? "default" : "crosshair";
      render();
    }

    function addRegion(shape) {
      checkpoint();
      regions.push({ label: "", aliases: [], kind: "focus", min_energy: null, min_coverage: null, max_energy: null, shapes: [shape] });
      selected = { r: regions.length - 1, s: 0 };
      sync();
      say("Shape added: type its label.");
      var labelInput = document.getElementById("region-label");
      if (labelInput) labelInput.focus();
    }

    function deleteSelected() {
      if (!selected || !canEdit) return;
      checkpoint();
      var region = regions[selected.r];
      region.shapes.splice(selected.s, 1);
      if (!region.shapes.length) regions.splice(selected.r, 1);
      selected = null;
      sync();
      say("Shape deleted.");
    }

    function closePolygon() {
      if (!drawing) return;
      if (drawing.points.length < 3) { say("A polygon needs at least 3 points."); return; }
      var points = drawing.points;
      drawing = null;
      addRegion({ type: "polygon", points: points });
    }

    function clampPoint(p) { return [clamp(p[0], 0, W), clamp(p[1], 0, H)]; }

    function previewFrom(start, end) {
      var x0 = Math.min(start[0], end[0]), x1 = Math.max(start[0], end[0]);
      var y0 = Math.min(start[1], end[1]), y1 = Math.max(start[1], end[1]);
      if (tool === "rect") return { type: "rect", x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      return { type: "ellipse", cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, rx: (x1 - x0) / 2, ry: (y1 - y0) / 2, angle: 0 };
    }

    canvas.addEventListener("pointerdown", function (event) {
      canvas.focus();
      var sp = eventPoint(event);
      var ip = toImage(sp[0], sp[1]);
      canvas.setPointerCapture(event.pointerId);
      if (event.button === 1 || spaceDown) {
        drag = { kind: "pan", start: sp, panX: panX, panY: panY };
        return;
      }
      if (event.button !== 0) return;
      if (tool === "polygon") {
        var q = clampPoint(ip);
        if (!drawing) drawing = { points: [], hover: null };
        var last = drawing.points[drawing.points.length - 1];
        if (!last || Math.hypot((last[0] - q[0]) * zoom, (last[1] - q[1]) * zoom) > 2) drawing.points.push(q);
        render();
        return;
      }
      if (tool === "rect" || tool === "ellipse") {
        drag = { kind: "create", start: clampPoint(ip), startScreen: sp, preview: null };
        return;
      }
      var handle = canEdit ? findHandle(sp[0], sp[1]) : -1;
      if (handle >= 0) {
        drag = { kind: "resize", handle: handle, orig: JSON.parse(JSON.stringify(selectedShape())), checkpointed: false };
        return;
      }
      var hit = findShape(ip[0], ip[1]);
      if (hit) {
        selected = hit;
        sync();
        if (canEdit) drag = { kind: "move", start: ip, orig: JSON.parse(JSON.stringify(selectedShape())), checkpointed: false };
        return;
      }
      if (selected) { selected = null; sync(); }
      drag = { kind: "pan", start: sp, panX: panX, panY: panY };
    });

    canvas.addEventListener("pointermove", function (event) {
      var sp = eventPoint(event);
      var ip = toImage(sp[0], sp[1]);
      if (drawing) { drawing.hover = clampPoint(ip); if (!drag) render(); }
      if (!drag) return;
      if (drag.kind === "pan") {
        panX = drag.panX + sp[0] - drag.start[0];
        panY = drag.panY + sp[1] - drag.start[1];
        render();
      } else if (drag.kind === "create") {
        drag.preview = previewFrom(drag.start, clampPoint(ip));
        render();
      } else if (drag.kind === "move" || drag.kind === "resize") {
        if (!drag.checkpointed) { checkpoint(); drag.checkpointed = true; }
        var s = selectedShape();
        if (drag.kind === "move") moveShape(s, drag.orig, ip[0] - drag.start[0], ip[1] - drag.start[1]);
        else resizeShape(s, drag.orig, drag.handle, ip[0], ip[1]);
        render();
      }
    });

    function endDrag(event) {
      if (!drag) return;
      var current = drag;
      drag = null;
      if (current.kind === "create") {
        var sp = eventPoint(event);
        var ip = clampPoint(toImage(sp[0], sp[1]));
        var big = Math.abs(sp[0] - current.startScreen[0]) >= MIN_DRAG && Math.abs(sp[1] - current.startScreen[1]) >= MIN_DRAG;
        if (big) addRegion(previewFrom(current.start, ip));
        else render();
      } else if (current.kind === "move" || current.kind === "resize") {
        if (current.checkpointed) sync();
      }
    }
    canvas.addEventListener("pointerup", endDrag);
    canvas.addEventListener("pointercancel", function () { drag = null; render(); });
    canvas.addEventListener("dblclick", function (event) {
      if (tool === "polygon") { event.preventDefault(); closePolygon(); }
    });
    canvas.addEventListener("wheel", function (event) {
      event.preventDefault();
      var sp = eventPoint(event);
      zoomAt(Math.exp(-event.deltaY * 0.0015), sp[0], sp[1]);
    }, { passive: false });

    function isTyping(target) {
      return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    }

    document.addEventListener("keydown", function (event) {
      if (isTyping(event.target)) {
        if (event.key === "Escape") event.target.blur();
        return;
      }
      var key = event.key;
      if ((event.ctrlKey || event.metaKey) && (key === "z" || key === "Z")) { event.preventDefault(); if (canEdit) undo(); return; }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (key === " ") { spaceDown = true; event.preventDefault(); return; }
      switch (key) {
        case "v": case "V": setTool("select"); break;
        case "r": case "R": setTool("rect"); break;
        case "p": case "P": setTool("polygon"); break;
        case "e": case "E": setTool("ellipse"); break;
        case "Enter": if (drawing) { event.preventDefault(); closePolygon(); } break;
        case "Escape":
          if (drawing) { drawing = null; render(); say("Polygon cancelled."); }
          else if (drag) { drag = null; render(); }
          else if (selected) { selected = null; sync(); }
          break;
        case "Delete": deleteSelected(); break;
        case "Backspace":
          event.preventDefault();
          if (drawing) { drawing.points.pop(); render(); } else deleteSelected();
          break;
        case "+": case "=": zoomCentered(1.25); break;
        case "-": case "_": zoomCentered(0.8); break;
        case "0": fit(); break;
        case "1": zoomAt(1 / zoom, stage.clientWidth / 2, stage.clientHeight / 2); break;
        default: return;
      }
    });
    document.addEventListener("keyup", function (event) { if (event.key === " ") spaceDown = false; });

    toolbar.querySelectorAll("[data-tool]").forEach(function (b) {
      b.addEventListener("click", function () { setTool(b.dataset.tool); });
    });
    toolbar.querySelectorAll("[data-action]").forEach(function (b) {
      b.addEventListener("click", function () {
        switch (b.dataset.action) {
          case "zoom-in": zoomCentered(1.25); break;
          case "zoom-out": zoomCentered(0.8); break;
          case "zoom-fit": fit(); break;
          case "zoom-actual": zoomAt(1 / zoom, stage.clientWidth / 2, stage.clientHeight / 2); break;
          case "undo": undo(); break;
          case "delete": deleteSelected(); break;
        }
      });
    });

    textarea.addEventListener("change", function () {
      try {
        var next = loadFromText(textarea.value);
        checkpoint();
        regions = next;
        selected = null;
        maskCache.clear();
        sync();
        say("Loaded the JSON into the drawing.");
      } catch (e) {
        say("The JSON could not be read: " + e.message);
      }
    });

    if (form) {
      form.addEventListener("submit", function (event) {
        if (drawing) closePolygon();
        for (var i = 0; i < regions.length; i += 1) {
          if (!regions[i].label.trim()) {
            event.preventDefault();
            selected = regions[i].shapes.length ? { r: i, s: 0 } : null;
            sync();
            say("Every region needs a label before saving.");
            var input = document.getElementById("region-label");
            if (input) input.focus();
            return;
          }
        }
        textarea.value = toText();
      });
    }

    // ---- start ----
    try {
      regions = loadFromText(textarea.value);
    } catch (e) {
      regions = [];
      say("The JSON below could not be loaded into the drawing tools (" + e.message + "); fix it there or draw anew.");
    }
    toolbar.hidden = false;
    side.hidden = false;
    stage.hidden = false;
    if (fallback) fallback.hidden = true;
    if (details) details.open = false;
    if (!canEdit) props.disabled = true;
    setTool("select");
    image.addEventListener("load", function () {
      resizeCanvas();
      fit();
      canvas.dataset.ready = "true";
    });
    image.src = root.dataset.imageUrl;
    window.addEventListener("resize", function () { resizeCanvas(); });
    renderList();
    renderProps();
    resizeCanvas();
  }

  document.querySelectorAll("[data-region-editor]").forEach(setup);
})();
