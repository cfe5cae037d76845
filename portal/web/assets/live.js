// The oversight live feed: server-sent events from /oversight/feed/events,
// each a transaction the portal recorded, added at the top of the table.
// The browser reconnects by itself and resumes after the last event ID.
(function () {
  "use strict";
  var table = document.getElementById("feed"), state = document.getElementById("feed-state");
  if (!table || !window.EventSource) { return; }
  var body = table.tBodies[0];
  var first = body.rows.length ? body.rows[0].getAttribute("data-seq") : "";
  var src = new EventSource("/oversight/feed/events" + (first ? "?after=" + first : ""));

  function cell(row, text, cls) {
    var td = row.insertCell(-1);
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }

  src.addEventListener("open", function () { state.textContent = state.getAttribute("data-connected"); });
  src.addEventListener("tx", function (e) {
    var tx = JSON.parse(e.data);
    if (body.querySelector('tr[data-seq="' + tx.seq + '"]')) { return; }
    var row = body.insertRow(0);
    row.className = (tx.valid ? "ok" : "bad") + " new";
    row.setAttribute("data-seq", tx.seq);
    row.setAttribute("data-tx", tx.txId);
    cell(row, tx.time.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC"));
    cell(row, tx.channel);
    var link = document.createElement("a");
    link.href = "/oversight/channels/" + encodeURIComponent(tx.channel) + "/transactions/" + encodeURIComponent(tx.txId);
    link.textContent = "#" + tx.block;
    row.insertCell(-1).appendChild(link);
    cell(row, tx.creatorMsp + (tx.creatorRole ? " · " + tx.creatorRole : ""));
    cell(row, (tx.chaincode || "") + (tx.function ? "." + tx.function : ""));
    cell(row, tx.validationCode);
    while (body.rows.length > 200) { body.deleteRow(body.rows.length - 1); }
  });
})();
