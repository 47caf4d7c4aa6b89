// otp-orchestrator consoles: the little the pages need beyond htmx. No inline script (the CSP forbids it).
(function () {
  'use strict';

  // Every htmx request carries the browser's CSRF token (forms also carry it as a hidden field).
  document.addEventListener('htmx:configRequest', function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers['X-CSRF-Token'] = meta.content;
  });

  // The server's clock, from the page that was rendered: countdowns and buttons follow it, not the browser's.
  var skew = 0;
  function syncClock(root) {
    var marker = (root || document).querySelector('[data-server-now]');
    if (marker) skew = Date.parse(marker.getAttribute('data-server-now')) - Date.now();
  }
  function now() { return Date.now() + skew; }

  function format(ms) {
    if (ms <= 0) return '0:00';
    var total = Math.ceil(ms / 1000);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    var mm = (h > 0 && m < 10 ? '0' : '') + m, ss = (s < 10 ? '0' : '') + s;
    return (h > 0 ? h + ':' : '') + mm + ':' + ss;
  }

  // <span data-countdown-to="2026-12-03T12:40:00Z">: the time left, every second.
  // <button data-enable-at="...">: disabled until that instant, then enabled (the server decides again on submit).
  function tick() {
    var t = now();
    document.querySelectorAll('[data-countdown-to]').forEach(function (el) {
      var left = Date.parse(el.getAttribute('data-countdown-to')) - t;
      var text = left > 0 ? format(left) : (el.getAttribute('data-countdown-done') || '0:00');
      if (el.textContent !== text) el.textContent = text;
    });
    document.querySelectorAll('[data-enable-at]').forEach(function (el) {
      if (Date.parse(el.getAttribute('data-enable-at')) <= t && el.disabled) {
        el.disabled = false;
        el.removeAttribute('aria-disabled');
        el.removeAttribute('data-enable-at');
        var hint = el.getAttribute('data-enabled-hint');
        var target = hint && document.getElementById(hint);
        if (target) target.textContent = target.getAttribute('data-when-enabled') || '';
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    syncClock(document);
    tick();
    setInterval(tick, 250);
  });
  document.addEventListener('htmx:afterSwap', function (event) { syncClock(event.target); tick(); });
  document.addEventListener('htmx:sseMessage', function () { tick(); });

  // <form data-confirm="Cancel this order?">: asks before submitting (also without htmx).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
