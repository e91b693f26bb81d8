// The admin shell's behaviour without inline handlers (the Content-Security-Policy runs no inline script):
// data-confirm on a form asks before submitting; data-print prints; data-toggle-menu opens the side menu.
(function () {
  'use strict';
  document.addEventListener('submit', function (e) {
    var message = e.target.getAttribute && e.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      e.preventDefault();
    }
  }, true);
  document.addEventListener('click', function (e) {
    var el = e.target.closest ? e.target.closest('[data-print],[data-toggle-menu]') : null;
    if (!el) {
      return;
    }
    if (el.hasAttribute('data-print')) {
      window.print();
      return;
    }
    var menu = document.getElementById(el.getAttribute('aria-controls'));
    el.setAttribute('aria-expanded', String(menu.classList.toggle('open')));
  });
})();
