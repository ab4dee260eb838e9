/* crmit — the month grid: each attendance cell becomes one button that cycles
   «не был» → «был» → «болел» → «не был» on every click. The hidden <select> still carries the value,
   so the form posts the same fields with or without this file. */
(function () {
  'use strict';
  var labels = ['не был', 'был', 'болел'];

  function enhance(select) {
    var button = document.createElement('button');
    button.type = 'button';
    var name = select.getAttribute('aria-label') || '';
    function show() {
      var state = Number(select.value) || 0;
      button.textContent = labels[state];
      button.className = 'btn btn-default btn-sm state-' + state;
      button.setAttribute('aria-label', name + ': ' + labels[state]);
    }
    button.addEventListener('click', function () {
      select.value = String(((Number(select.value) || 0) + 1) % 3);
      show();
      // As a user's own choice would: the page knows it has unsaved changes.
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    select.hidden = true;
    select.style.display = 'none';
    select.parentNode.insertBefore(button, select);
    show();
  }

  function ready() {
    var selects = document.querySelectorAll('select.att');
    for (var i = 0; i < selects.length; i++) enhance(selects[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})();
