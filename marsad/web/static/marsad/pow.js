// The report form's proof-of-work (marsad/web/public/challenge.py): find a counter such that
// SHA-256(challenge + ":" + counter) starts with `bits` zero bits, put it in the hidden
// pow_solution field, then let the form be sent. The page stays usable meanwhile: the hashes
// are taken in batches, with a pause for the page between batches.
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow-bits]");
  if (!form) { return; }
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
  var challenge = form.querySelector("input[name=pow_challenge]");
  var solution = form.querySelector("input[name=pow_solution]");
  var status = form.querySelector(".pow-status");
  var buttons = form.querySelectorAll("button[type=submit]");
  var BATCH = 256;

  function say(text) {
    if (status) { status.textContent = text; status.hidden = false; }
  }
  function ready(yes) {
    for (var i = 0; i < buttons.length; i += 1) { buttons[i].disabled = !yes; }
  }
  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i += 1) {
      if (bytes[i] === 0) { count += 8; continue; }
      return count + Math.clz32(bytes[i]) - 24;
    }
    return count;
  }
  function pause() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }
  async function solve() {
    var encoder = new TextEncoder();
    var prefix = challenge.value + ":";
    var expected = Math.pow(2, bits);
    for (var start = 0; ; start += BATCH) {
      var hashes = [];
      for (var i = 0; i < BATCH; i += 1) {
        hashes.push(crypto.subtle.digest("SHA-256", encoder.encode(prefix + (start + i))));
      }
      var done = await Promise.all(hashes);
      for (var j = 0; j < done.length; j += 1) {
        if (zeroBits(new Uint8Array(done[j])) >= bits) { return String(start + j); }
      }
      var share = Math.min(99, Math.floor((100 * (start + BATCH)) / expected));
      say(form.getAttribute("data-pow-working") + " " + share + "%");
      await pause();
    }
  }

  if (!challenge || !solution || !challenge.value || bits <= 0 || solution.value) { return; }
  // Without Web Crypto (a page not served over https) the form is sent as without JavaScript.
  if (!(window.crypto && window.crypto.subtle && window.TextEncoder)) {
    var wait = form.querySelector(".pow-wait");
    if (wait) { wait.hidden = false; }
    return;
  }
  ready(false);
  say(form.getAttribute("data-pow-working"));
  var started = performance.now();
  solve().then(function (counter) {
    solution.value = counter;
    form.setAttribute("data-pow-ms", String(Math.round(performance.now() - started)));
    say(form.getAttribute("data-pow-done"));
    ready(true);
  }, function () {
    ready(true);
  });
}());
