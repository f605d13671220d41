/* Lexigraph's home page search box. Loaded by lexigraph.js on the page that has one (styled by
   home.css), so that the script every term page loads does not carry it. */
(function () {
  "use strict";

  /* The home page's search box hands over to Material's search once the reader types (or
     submits): focusing the header's input opens the search dialog, and Material reads the
     query on keyup. Focus alone does not hand over, so Tab passes through the box to the rest
     of the page. Without JavaScript the form leads to the A–Z index instead. */
  var homeSearch = null;  /* the home page's box that handed its query over, until Escape */
  function setupHomeSearch(root) {
    var form = root.querySelector("form.lx-home-search");
    var target = document.querySelector("input.md-search__input");
    // Opened from a file, Material's search cannot load its index (it hides its own box):
    // the home page's box would lead to a folder listing, and what the page says of the
    // search (marked data-lx-search-hint) would name a search there is none of.
    if (location.protocol === "file:") {
      if (form) form.hidden = true;
      [].forEach.call(root.querySelectorAll("[data-lx-search-hint]"), function (el) { el.hidden = true; });
    }
    if (!form || !target || form.hidden) return;
    var input = form.querySelector("input[type=search]");
    function handOver(event) {
      if (event) event.preventDefault();
      target.value = input.value;
      input.value = "";
      homeSearch = input;
      target.focus();
      target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
    /* Escape closes Material's dialog and drops the focus to the page's start: a reader who
       typed in the home box is taken back to it. (The header's input outlives instant
       navigation: one listener, for the box that handed over last.) */
    if (!target.lxHomeBack) {
      target.lxHomeBack = true;
      target.addEventListener("keydown", function (e) {
        var back = homeSearch;
        if (e.key !== "Escape" || !back) return;
        homeSearch = null;
        setTimeout(function () { if (back.isConnected) back.focus(); }, 0);
      });
    }
    form.addEventListener("submit", handOver);
    input.addEventListener("input", function () { if (input.value) handOver(); });
  }

  // Loaded once the page is parsed; Material's document$ replays the current page at once and
  // brings every page reached by instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
    window.document$.subscribe(function () { setupHomeSearch(document); });
  } else {
    setupHomeSearch(document);
  }
})();
