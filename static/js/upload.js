// Image upload with one request and one progress bar per file. Attached to form[data-upload]; without
// JavaScript the form posts every chosen file at once and the server answers with the same page.
(function () {
  "use strict";

  var PARALLEL = 2;

  function setup(form) {
    var input = form.querySelector("[data-file-input]");
    var zone = form.querySelector("[data-drop-zone]");
    var list = form.querySelector("[data-upload-list]");
    var button = form.querySelector("[data-upload-button]");
    var tokenField = form.querySelector("input[name=_csrf]");
    var grid = document.querySelector("[data-image-grid]");
    var queue = [];
    var active = 0;
    if (!input || !list) return;
    if (button) button.hidden = true;
    form.classList.add("js-upload");

    function addRow(file) {
      var item = document.createElement("li");
      item.className = "upload-item";
      item.dataset.state = "queued";
      var name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", "Upload of " + file.name);
      var status = document.createElement("span");
      status.className = "upload-status";
      status.textContent = "waiting";
      item.appendChild(name);
      item.appendChild(bar);
      item.appendChild(status);
      list.appendChild(item);
      return { item: item, bar: bar, status: status };
    }

    function addCard(image) {
      if (!grid) {
        grid = document.createElement("ul");
        grid.className = "image-grid";
        grid.dataset.imageGrid = "";
        form.parentNode.insertBefore(grid, form.nextSibling);
      }
      var card = document.createElement("li");
      card.className = "image-card";
      var link = document.createElement("a");
      link.href = image.url;
      link.className = "image-thumb";
      var img = document.createElement("img");
      img.src = image.thumbnail_url;
      img.alt = image.file_name;
      link.appendChild(img);
      var name = document.createElement("a");
      name.href = image.url;
      name.className = "image-name";
      name.textContent = image.file_name;
      var size = document.createElement("span");
      size.className = "muted image-size";
      size.textContent = image.width + " × " + image.height + " " + image.format;
      var status = document.createElement("span");
      status.className = "image-status status-todo";
      status.textContent = "needs regions";
      card.appendChild(link);
      card.appendChild(name);
      card.appendChild(size);
      card.appendChild(status);
      grid.appendChild(card);
    }

    function finish(row, state, message) {
      row.item.dataset.state = state;
      row.status.textContent = message;
      active -= 1;
      pump();
    }

    function send(entry) {
      var row = entry.row;
      var data = new FormData();
      data.append("files", entry.file, entry.file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("Accept", "application/json");
      if (tokenField) xhr.setRequestHeader("X-CSRF-Token", tokenField.value);
      row.item.dataset.state = "uploading";
      row.status.textContent = "uploading";
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) row.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.upload.addEventListener("load", function () {
        row.bar.value = 100;
        row.status.textContent = "processing";
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        var result = body && body.results && body.results[0];
        if (!result) {
          var message = body && body.error && body.error.message ? body.error.message : "failed (HTTP " + xhr.status + ")";
          finish(row, "rejected", message);
          return;
        }
        row.bar.value = 100;
        if (result.status === "uploaded" && result.image) addCard(result.image);
        finish(row, result.status, result.message);
      });
      xhr.addEventListener("error", function () { finish(row, "rejected", "network error"); });
      xhr.send(data);
    }

    function pump() {
      while (active < PARALLEL && queue.length > 0) {
        active += 1;
        send(queue.shift());
      }
    }

    function enqueue(files) {
      for (var i = 0; i < files.length; i += 1) {
        queue.push({ file: files[i], row: addRow(files[i]) });
      }
      pump();
    }

    input.addEventListener("change", function () {
      enqueue(input.files);
      input.value = "";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.files && input.files.length) enqueue(input.files);
    });
    if (zone) {
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("drop-active");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.remove("drop-active");
        });
      });
      zone.addEventListener("drop", function (event) {
        if (event.dataTransfer && event.dataTransfer.files) enqueue(event.dataTransfer.files);
      });
    }
  }

  document.querySelectorAll("form[data-upload]").forEach(setup);
})();
