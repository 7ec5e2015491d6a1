// Live password-rule hints for "Set a New Password": marks each rule listed under the field as met
// while the customer types. An enhancement only: the page and the server's checks work without it,
// and the server stays the judge (it also refuses common passwords, which this does not know).
(function () {
  'use strict';
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
    // The state is text for screen readers (the field's description includes this list).
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
