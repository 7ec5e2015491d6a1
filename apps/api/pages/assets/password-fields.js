// The password fields of "Set a New Password": live rule hints and "Show password". An enhancement
// only: without it the page and the server's checks work the same, and the toggles stay hidden (they
// are `hidden` in the HTML). The server stays the judge (it also refuses common passwords, which
// this does not know).
(function () {
  'use strict';

  // "Show password": a toggle button (aria-pressed) per field; its name stays the same, its state changes.
  var toggles = Array.prototype.slice.call(document.querySelectorAll('button.password-toggle[aria-controls]'));
  toggles.forEach(function (button) {
    var field = document.getElementById(button.getAttribute('aria-controls'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var show = field.type === 'password';
      field.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', show ? 'true' : 'false');
    });
  });
  // A password is never sent from a text field (browsers would keep it in their form history).
  var form = toggles.length ? toggles[0].form : null;
  if (form) {
    form.addEventListener('submit', function () {
      toggles.forEach(function (button) {
        var field = document.getElementById(button.getAttribute('aria-controls'));
        if (field) field.type = 'password';
        button.setAttribute('aria-pressed', 'false');
      });
    });
  }

  // The rules under the field, ticked off as they are met.
  var list = document.getElementById('password-rules');
  var input = document.getElementById('password');
  if (!list || !input) return;

  var minLength = Number(list.getAttribute('data-min-length')) || 0;
  var requiredClasses = Number(list.getAttribute('data-required-classes')) || 1;
  var metText = list.getAttribute('data-met') || '';
  var unmetText = list.getAttribute('data-unmet') || '';
  var classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

  var checks = {
    length: function (value) {
      return Array.from(value).length >= minLength;
    },
    spaces: function (value) {
      return value.length > 0 && !/\s/u.test(value);
    },
    classes: function (value) {
      return (
        classes.filter(function (pattern) {
          return pattern.test(value);
        }).length >= requiredClasses
      );
    },
  };

  var items = Array.prototype.slice.call(list.querySelectorAll('li[data-rule]'));
  items.forEach(function (item) {
    // The state is text for screen readers (the field's description includes this list); the tick is its picture.
    var state = document.createElement('span');
    state.className = 'visually-hidden';
    item.appendChild(document.createTextNode(' '));
    item.appendChild(state);
  });

  function update() {
    items.forEach(function (item) {
      var check = checks[item.getAttribute('data-rule')];
      if (!check) return;
      var met = check(input.value);
      item.classList.toggle('rule--met', met);
      item.lastChild.textContent = met ? metText : unmetText;
    });
  }

  input.addEventListener('input', update);
  update();
})();
