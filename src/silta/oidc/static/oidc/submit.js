// The provider's sign-out form is sent at once; without JavaScript its button remains.
(function () {
  "use strict";
  var form = document.getElementById("provider-sign-out");
  if (form) {
    form.submit();
  }
})();
