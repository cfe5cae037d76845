// Verify a document: the file is read and hashed here, in pieces, and only
// its SHA-256 goes to the portal, as /verify?sha256=..., whose answer the
// server renders. WebCrypto is used when the page has it and the file is
// small enough to read at once; otherwise the streaming Sha256 of sha256.js.
(function () {
  "use strict";
  var drop = document.getElementById("drop"), input = document.getElementById("file"),
      field = document.getElementById("sha256"), status = document.getElementById("status"),
      progress = document.getElementById("progress");
  var PIECE = 4 << 20, WHOLE = 64 << 20;

  function hex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += ("0" + bytes[i].toString(16)).slice(-2); }
    return out;
  }

  function read(blob) {
    if (blob.arrayBuffer) { return blob.arrayBuffer(); }
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
      r.readAsArrayBuffer(blob);
    });
  }

  function stream(file) {
    var h = new window.Sha256(), offset = 0;
    function next() {
      if (offset >= file.size) { return Promise.resolve(h.hex()); }
      var piece = file.slice(offset, offset + PIECE);
      return read(piece).then(function (buf) {
        h.update(new Uint8Array(buf));
        offset += piece.size;
        progress.value = file.size ? offset / file.size : 1;
        return next();
      });
    }
    return next();
  }

  function digest(file) {
    var subtle = window.crypto && window.crypto.subtle;
    if (subtle && file.size <= WHOLE) {
      return read(file).then(function (buf) { return subtle.digest("SHA-256", buf); }).then(hex);
    }
    return stream(file);
  }

  function check(file) {
    if (!file) { return; }
    status.textContent = status.getAttribute("data-hashing");
    progress.hidden = false;
    progress.value = 0;
    digest(file).then(function (sum) {
      field.value = sum;
      window.location.assign("/verify?sha256=" + sum);
    }, function (err) {
      status.textContent = String(err);
    });
  }

  input.addEventListener("change", function () { check(input.files[0]); });
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) { check(e.dataTransfer.files[0]); });
})();
