// Front-channel logout: goes on to the next page once every service's
// hidden frame has loaded, or after 3 seconds if one is slow or unreachable.
// Without JavaScript the visible link does the same.
(function () {
  var link = document.getElementById("logout-continue");
  if (!link) return;
  var frames = document.querySelectorAll("iframe.logout-frame");
  var waiting = frames.length;
  var gone = false;
  function go() {
    if (gone) return;
    gone = true;
    window.location.replace(link.href);
  }
  for (var i = 0; i < frames.length; i++) {
    frames[i].addEventListener("load", function () {
      waiting -= 1;
      if (waiting <= 0) go();
    });
  }
  if (waiting === 0) go();
  setTimeout(go, 3000);
})();
