/* crmit — small progressive enhancements. Every page works without this file.
   - forms (or buttons/links) with data-confirm="…" ask confirm() before submitting;
   - [data-go-back] («отмена») goes to the previous page (document.referrer);
   - <input data-filter-for="select-id"> filters that select's options as you type (Enter in one
     with data-find="button-id" presses that button: a search on the server);
   - flash messages close with their × ([data-dismiss="flash"]);
   - forms marked data-unsaved (the grids, the roll call, a month's payments) ask before the page
     is left with changes, and come back after their save scrolled where they were;
   - the current menu item is highlighted. */
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.className += ' js';

  function closest(el, selector) {
    while (el && el.nodeType === 1) {
      if ((el.matches || el.msMatchesSelector).call(el, selector)) return el;
      el = el.parentNode;
    }
    return null;
  }

  // Confirmation before a form is submitted.
  doc.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);

  // Clicks: confirm on links/buttons, «отмена», closing flashes.
  doc.addEventListener('click', function (e) {
    var el = closest(e.target, '[data-confirm]:not(form)');
    if (el && !window.confirm(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      return;
    }
    if (closest(e.target, '[data-go-back]')) {
      e.preventDefault();
      goBackInHistory();
      return;
    }
    var close = closest(e.target, '[data-dismiss="flash"]');
    if (close) {
      e.preventDefault();
      var flash = closest(close, '.flash');
      if (flash && flash.parentNode) {
        var box = flash.previousElementSibling;
        if (box && box.className.indexOf('flash-close-cb') >= 0) box.parentNode.removeChild(box);
        flash.parentNode.removeChild(flash);
      }
    }
  });

  // The original's cancel behaviour: go to the referrer if there is one.
  function goBackInHistory() {
    if (doc.referrer) window.location.href = doc.referrer;
    else if (window.history.length > 1) window.history.back();
  }
  window.goBackInHistory = goBackInHistory;

  // Live filtering of <option>s (case-insensitive substring). Selected options stay visible.
  function filterOptions(input) {
    var select = doc.getElementById(input.getAttribute('data-filter-for'));
    if (!select) return;
    var query = input.value.trim().toLowerCase();
    var options = select.options;
    for (var i = 0; i < options.length; i++) {
      var opt = options[i];
      var show = !query || opt.selected || opt.text.toLowerCase().indexOf(query) >= 0;
      opt.hidden = !show;
      opt.style.display = show ? '' : 'none';
    }
  }
  doc.addEventListener('input', function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute('data-filter-for')) filterOptions(e.target);
  });
  doc.addEventListener('keydown', function (e) {
    var t = e.target;
    if ((e.key === 'Escape' || e.key === 'Esc') && t.hasAttribute && t.hasAttribute('data-filter-for')) {
      t.value = '';
      filterOptions(t);
    }
    // Enter in a filter box should not submit the whole form; in a server search box it presses
    // that box's «найти».
    if (e.key === 'Enter' && t.hasAttribute && t.hasAttribute('data-filter-for')) {
      e.preventDefault();
      var find = t.hasAttribute('data-find') && doc.getElementById(t.getAttribute('data-find'));
      if (find) find.click();
    } else if (e.key === 'Enter' && t.tagName === 'INPUT' && t.form && t.form.querySelector('[data-find]')) {
      // The first «найти» of such a form stands before its save button, so the browser's own
      // Enter would search; it saves, as in every other form.
      var save = t.form.querySelector('button[name="submit"]');
      if (save) { e.preventDefault(); save.click(); }
    }
  });

  // Unsaved changes: an input or change of a field of a data-unsaved form (fields outside it name
  // it with form="…") marks it; its own submit clears the mark and keeps the scroll position, the
  // page's and that of a grid's own frame (.grid-wrap), which scrolls on its own.
  var changed = false;
  var scrollKey = 'crmit-scroll ' + window.location.pathname;
  function markChanged(e) {
    var form = e.target && e.target.form;
    if (form && form.hasAttribute('data-unsaved')) changed = true;
  }
  doc.addEventListener('input', markChanged, true);
  doc.addEventListener('change', markChanged, true);
  doc.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.hasAttribute || !form.hasAttribute('data-unsaved')) return;
    changed = false;
    var frame = doc.querySelector('.grid-wrap');
    var where = [window.scrollY, frame ? frame.scrollLeft : 0, frame ? frame.scrollTop : 0];
    try { window.sessionStorage.setItem(scrollKey, where.join(' ')); } catch (err) { /* private mode */ }
  });
  window.addEventListener('beforeunload', function (e) {
    if (!changed) return;
    e.preventDefault();
    e.returnValue = '';
  });

  function restoreScroll() {
    var saved = null;
    try {
      saved = window.sessionStorage.getItem(scrollKey);
      window.sessionStorage.removeItem(scrollKey);
    } catch (err) { /* private mode */ }
    if (saved === null) return;
    var where = saved.split(' ').map(Number);
    var frame = doc.querySelector('.grid-wrap');
    if (frame) {
      frame.scrollLeft = where[1] || 0;
      frame.scrollTop = where[2] || 0;
    }
    window.scrollTo(0, where[0] || 0);
  }

  function ready() {
    restoreScroll();
    // Re-apply filters the browser restored (back/forward).
    var inputs = doc.querySelectorAll('input[data-filter-for]');
    for (var i = 0; i < inputs.length; i++) if (inputs[i].value) filterOptions(inputs[i]);
    // Highlight the menu item of the current page.
    var links = doc.querySelectorAll('.nav-menu a');
    for (var j = 0; j < links.length; j++) {
      if (links[j].pathname === window.location.pathname) links[j].className += ' active';
    }
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
