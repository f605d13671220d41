/* "Did you mean": Material's search (lunr) forgives no typo, so when a word of the query finds
   nothing, this offers the nearest word the glossary's term names and keywords are made of
   (search-words.json, the weightiest first). A query that finds nothing has every word
   checked; one that finds pages anyway, the words its best result is marked as missing and
   no other listed result matches. On the not-found page, it offers the terms whose names are
   nearest to the missing address. It also tells what the search worker is to search for
   a query (lexigraph.js asks it before each query goes). Loaded by lexigraph.js once the
   search box is first used (or a query is on its way), and on the not-found page. */
(function () {
  "use strict";

  var HERE = document.currentScript ? document.currentScript.src : window.location.href;
  var PAUSE = 400;
  /* A JSON file of the site beside this script, fetched once. It changes with the glossary,
     not with the scripts, so the browser asks whether the copy it kept is still the site's. */
  var files = {};
  function data(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, HERE), { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      });
    }
    return files[name];
  }

  var words = null;
  function vocabulary() {
    if (!words) {
      words = data("search-words.json").then(function (data) {
        return Array.isArray(data.words) ? data.words : [];
      }).catch(function (error) {
        console.error("lexigraph: no search suggestions: " + error.message);
        return [];
      });
    }
    return words;
  }

  /* ---------- What the search worker is given for a query (lexigraph.js asks) ----------
     Material's worker makes every query word a prefix ("a" searches "a*"), and lunr runs a
     prefix through none of its word filters, so a stop word, which the index never holds,
     matches the start of every word it begins: "what is a gradient" ranked Adam, Neural
     network and Neuron, whose tags (the most boosted field) hold words beginning with "a",
     before Gradient. A query with other words is searched without its stop words; one of stop words
     only ("he": He initialization, joined in its tags) is left as typed. And lunr matches
     words as the text writes them (Material's search trims no punctuation): a possessive or
     a question mark after a word is dropped, so that "ReLU's?" searches as "ReLU" does (the
     text's "ReLU's" still starts with it). Nor has it a stemmer: a word of six letters or more
     is searched without a final "e", as English writes it before -ing, -ion or -ed ("why do
     gradients explode": Exploding gradient; "saturate": Saturation), or the reader who had
     the term at "explod" would lose it at "explode". A word of seven letters or more is
     searched without a final "ed" (and a doubled consonant before it) for the same reason
     ("exploded gradients": explod, "saturated": saturat, "clipped": clip).
     Material makes a prefix of each word between spaces only, and lunr splits at a hyphen
     after that, so the first half of "back-propagation" had to be a whole word: words that
     a name or keyword writes joined (search-words.json) are searched joined
     ("backpropagation", "multilayer"); others stay hyphenated, as their entries write them
     ("layer-wise"). Words joined by a slash, or by a dot between letters ("nn.LSTM"), are
     searched apart. A word the names and keywords hold as it is ("weighted") keeps its "ed".
     A prime typed as an apostrophe ("tanh'", "σ'(x)"), which the pages write as ′, is dropped
     with what follows it. */
  var STOP_WORDS = " a able about across after all almost also am among an and any are as at" +
    " be because been but by can cannot could dear did do does either else ever every for from" +
    " get got had has have he her hers him his how however i if in into is it its just least" +
    " let like likely may me might most must my neither no nor not of off often on only or" +
    " other our own rather said say says she should since so some than that the their them" +
    " then there these they this tis to too twas us wants was we were what when where which" +
    " while who whom why will with would yet you your ";  /* lunr's, its stopWordFilter */
  function stopWord(word) {
    return STOP_WORDS.indexOf(" " + word.toLowerCase() + " ") >= 0;
  }
  function searched(query, known) {
    var words = [];
    query.split(/\s+/).forEach(function (word) {
      word = word.replace(/[?!.,;]+$/, "").replace(/['\u2019]s$/i, "")
        .replace(/([\p{L}\p{N}])['\u2019\u2032]+(\(.*\))?$/u, "$1")
        .replace(/[\p{L}\p{N}]+(-[\p{L}\p{N}]+)+/gu, function (parts) {
          var whole = parts.replace(/-/g, "");
          return known.has(whole.toLowerCase()) ? whole : parts;
        })
        .replace(/([\p{L}\p{N}])\/+(?=[\p{L}\p{N}])/gu, "$1 ")
        .replace(/(\p{L}{2})\.(?=\p{L}{2})/gu, "$1 ");  /* (not "e.g.": one-letter words) */
      words.push.apply(words, word.split(" ").filter(Boolean));
    });
    var kept = words.filter(function (word) { return !stopWord(word); });
    return (kept.length ? kept : words).map(function (word) {
      word = word.replace(/^([a-z]{4,}[a-df-z])e$/i, "$1");  /* (letters only: not "+explode") */
      return known.has(word.toLowerCase()) ? word : word.replace(/^([a-z]{4,}[^e])ed$/i,
        function (all, stem) { return stem.replace(/([bdgmnpt])\1$/i, "$1"); });
    }).join(" ");
  }
  window.LexigraphSearch = {
    query: function (query) {
      return vocabulary().then(function (list) { return searched(query, knownWords(list)); });
    }
  };
  function knownWords(list) {  /* (a Set of the list, made once) */
    return list.lxKnown = list.lxKnown || new Set(list);
  }

  /* Edits between two words: insertions, deletions, substitutions and swaps of neighbouring
     letters (the optimal string alignment distance); max + 1 as soon as it must exceed max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null, previous = [], current, i, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (i = 1; i <= a.length; i++) {
      current = [i];
      var lowest = i;
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(previous[j] + 1, current[j - 1] + 1,
                         previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, before[j - 2] + 1);
        }
        current.push(d);
        if (d < lowest) lowest = d;
      }
      if (lowest > max) return max + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  /* The nearest word of the list to a (lower-case) query word, or null: when the word is one
     of them or the start of one (Material searches every word as a prefix), or when none is
     near enough: words under four letters are left alone (too many words are that near), one
     edit is allowed up to seven letters, two from eight. A word still being typed is also
     compared with the starts of longer words, but a whole word as near wins ("bach": batch,
     not backpropagation). Of words as near, the first in the list wins. */
  function nearest(word, list) {
    var max = word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
    var best = null, found = 2 * max + 2;  /* rank: 2 x edits, + 1 for only a start */
    if (!max) return null;
    for (var i = 0; i < list.length; i++) {
      var candidate = list[i];
      if (candidate.lastIndexOf(word, 0) === 0) return null;
      var rank = 2 * distance(word, candidate, max);
      /* Its nearest start too, even when the whole word already beats the best so far: else a
         later word (a longer form of this one) could win with the distance this one has. */
      for (var k = word.length - 1; rank > 0 && k <= word.length + 1; k++) {
        if (k > 0 && k < candidate.length) {
          rank = Math.min(rank, 2 * distance(word, candidate.slice(0, k), max) + 1);
        }
      }
      if (rank < found) { found = rank; best = candidate; }
    }
    return best || joined(word, list);
  }

  /* Two words of the list written as one, as code names them ("leakyrelu", "LeakyReLU",
     "batchnormalization"): the two, apart; else null. Of the ways to cut it, the longest
     first word. */
  function joined(word, list) {
    if (word.length < 6) return null;
    var known = knownWords(list);
    for (var cut = word.length - 3; cut >= 3; cut--) {
      if (known.has(word.slice(0, cut)) && known.has(word.slice(cut))) {
        return word.slice(0, cut) + " " + word.slice(cut);
      }
    }
    return null;
  }

  /* The query with each word that ``wrong`` names replaced by its nearest word, or left out
     when the query has that word already ("relu relux": "relu"); null when nothing changes. */
  function corrected(query, wrong, list) {
    var WORD = /[\p{L}\p{N}_]+/gu;
    var typed = query.toLowerCase().match(WORD) || [];
    var changed = false;
    var fixed = query.replace(WORD, function (word) {
      var lower = word.toLowerCase();
      var fix = wrong(lower) && !stopWord(lower) ? nearest(lower, list) : null;  /* (no typo) */
      if (!fix || fix === lower) return word;
      changed = true;
      /* (a word the query has already is not offered twice: "relu relux", "leakyrelu relu") */
      return fix.split(" ").filter(function (w) { return typed.indexOf(w) < 0; }).join(" ");
    });
    return changed ? fixed.replace(/\s+/g, " ").trim() : null;
  }

  /* Material's search, opened (by the focus) on the query: it searches on a key going up. */
  function searchFor(input, query) {
    input.value = query;
    input.focus();
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  var translations = {};
  try {
    translations = JSON.parse(document.getElementById("__config").textContent).translations || {};
  } catch (error) { /* no Material configuration: nothing is ever "no result" */ }

  function setup() {
    var input = document.querySelector("input.md-search__input");
    var meta = document.querySelector(".md-search-result__meta");
    var results = document.querySelector(".md-search-result__list");
    if (!input || !meta || !results || meta.lxSuggest) return;
    meta.lxSuggest = true;
    /* A live region present from the start, so that screen readers announce the suggestion.
       An offer shows once the reader pauses (PAUSE ms): while they type on, each key would
       change it, and a screen reader would read each; taking one away is at once. */
    var box = document.createElement("div");
    box.className = "lx-suggest";
    box.setAttribute("role", "status");
    meta.parentNode.insertBefore(box, meta.nextSibling);
    var asked = "", shown = null, pending = 0;

    function show(fix, query) {
      clearTimeout(pending);
      if (fix && fix !== shown) {
        pending = setTimeout(function () { render(fix, query); }, PAUSE);
      } else {
        render(fix, query);
      }
    }
    function render(fix, query) {
      if (fix !== shown) {
        shown = fix;
        box.textContent = "";
        if (fix) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "lx-suggest__query";
          button.textContent = fix;
          button.addEventListener("click", function () { searchFor(input, fix); });
          box.appendChild(document.createTextNode("Did you mean "));
          box.appendChild(button);
          box.appendChild(document.createTextNode("?"));
        }
      }
      box.setAttribute("data-lx-query", query);  /* answered (what tests wait for) */
    }

    /* The query words some listed result matches: each result's link carries them for
       Material's highlighting (?h=). A word the best result misses but another matches is a
       word of the site's text, not a typo. */
    function matched() {
      var words = [];
      Array.prototype.forEach.call(results.querySelectorAll("a[href]"), function (link) {
        var h = new URL(link.href, window.location.href).searchParams.get("h");
        if (h) words.push.apply(words, h.toLowerCase().split(/\s+/));
      });
      return words;
    }

    /* Runs whenever Material rewrites the result count or the list, and on the reset button
       (which empties the query but leaves them as they were). */
    function update() {
      var query = input.value.trim();
      var first = results.querySelector(".md-search-result__item > a");
      var none = !first && query !== "" && meta.textContent === translations["search.result.none"];
      var found = first ? matched() : [];
      var missing = first ? Array.prototype.map.call(
        first.querySelectorAll(".md-search-result__terms del"),
        function (del) { return del.textContent.trim().toLowerCase(); }).filter(function (word) {
        return found.indexOf(word) < 0;
      }) : [];
      var key = query + "\n" + (none ? "*" : missing.join(" "));
      if (key === asked) return;
      asked = key;
      if (!query || !none && !missing.length) {
        show(null, query);
        return;
      }
      vocabulary().then(function (list) {
        if (asked !== key) return;  /* the reader typed on meanwhile */
        /* A word the list marks as missing, or one typed on from it ("gradein" while the list
           answers "gradei"): a word whose start finds nothing finds nothing either. */
        show(corrected(query, function (word) {
          return none || missing.some(function (m) { return word.lastIndexOf(m, 0) === 0; });
        }, list), query);
      });
    }
    var observer = new MutationObserver(update);
    observer.observe(meta, { childList: true, characterData: true, subtree: true });
    observer.observe(results, { childList: true });
    /* Material's search takes Tab as "close the search" (focus would reach the offer in a
       closed, unseen dialog) and any other key in the dialog, Shift too, as typing for the
       query (Space would not press the offer). Tab from the query reaches the offer in the
       open dialog; on the offer, a letter goes on typing the query and the down arrow to the
       results, as Material has it, Escape closes the search from the query, Shift+Tab and the
       up arrow go back to it, and Enter and Space press the offer. */
    input.addEventListener("keydown", function (event) {
      var button = box.querySelector("button");
      if (event.key !== "Tab" || event.shiftKey || event.altKey || !button) return;
      event.preventDefault();
      event.stopPropagation();
      button.focus();
    });
    box.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "Escape") {
        input.focus();
      } else if (key === "ArrowUp" || key === "Tab" && event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        input.focus();
      } else if (key.length > 1 && key !== "ArrowDown" && key !== "Tab" || key === " ") {
        event.stopPropagation();
      }
    });
    if (input.form) input.form.addEventListener("reset", function () { setTimeout(update); });
    update();
  }

  /* ---------- The not-found page: the terms nearest to the missing address ----------
     A term's address ends in its slug; a reader who typed one, or followed a link made
     before the term was renamed, is mostly an edit or a plural away from a name
     (names.json: every term's slug, title and aliases, the most central terms first). */
  var ROOT = new URL("../../", HERE);  /* suggest.js is served from assets/lexigraph/ */
  /* A name or a piece of an address as a slug: lower case, accents off, hyphens between
     the words ("Batch_Norm%20layer": batch-norm-layer). */
  function slugged(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  }

  /* What the reader asked for: the last part of the address below the site's root, without
     index.html or a file suffix; "" at the root. */
  function wanted() {
    var path = window.location.pathname;
    try { path = decodeURIComponent(path); } catch (error) { /* a stray "%": as typed */ }
    var root = decodeURIComponent(ROOT.pathname);
    if (path.lastIndexOf(root, 0) === 0) path = path.slice(root.length);
    var parts = path.split("/").filter(Boolean);
    if (parts.length && /^index\.html?$/i.test(parts[parts.length - 1])) parts.pop();
    return slugged((parts.pop() || "").replace(/\.(html?|md)$/i, ""));
  }

  /* How near a name is to the address: 0 the same; 1 the address is the name's start, cut
     short ("weight-init": weight-initialization); 1.5 the same words in another order
     ("gradient-vanishing"); 2 per edit ("relux": relu), about one in four letters allowed,
     none under four; between 3 and 4 the address is whole words of the name
     ("normalization": batch normalization), or the name whole words of the address
     ("tanh-saturation": tanh, saturation), the more of it the nearer. -1: not near. */
  function nearness(want, name) {
    if (!name) return -1;
    if (want === name) return 0;
    if (want.length >= 4 && name.lastIndexOf(want, 0) === 0) return 1;
    var wanted = want.split("-"), words = name.split("-");
    if (wanted.length > 1 && wanted.length === words.length &&
        wanted.slice().sort().join("-") === words.slice().sort().join("-")) return 1.5;
    var max = want.length >= 4 ? Math.max(1, Math.floor(want.length / 4)) : 0;
    var edits = max ? distance(want, name, max) : 1;
    if (edits <= max) return 2 * edits;
    if (want.length >= 4 && ("-" + name + "-").indexOf("-" + want + "-") >= 0) {
      return 4 - want.length / name.length;
    }
    if (name.length >= 3 && ("-" + want + "-").indexOf("-" + name + "-") >= 0) {
      return 4 - name.length / want.length;
    }
    return -1;
  }

  /* The (up to three) nearest terms, [slug, title] each: only those named exactly when one
     is; of terms as near, the most central first. */
  function nearestTerms(want, data) {
    var found = nearTo(want, data);
    /* Else its words in the singular ("activations", "deep-networks"), and in American
       spelling, as the names are ("normalisation": batch and layer normalization). */
    var single = want.replace(/([a-z]{4,})s(?=-|$)/g, "$1");
    if (!found.length && single !== want) found = nearTo(single, data);
    var american = want.replace(/([a-z]{3})is(e|es|ed|er|ers|ing|ation|ations)(?=-|$)/g, "$1iz$2");
    if (!found.length && american !== want) found = nearTo(american, data);
    found.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    if (found.length && found[0].rank === 0) {
      found = found.filter(function (term) { return term.rank === 0; });
    }
    return found.slice(0, 3);
  }
  function nearTo(want, data) {
    var found = [];
    (data.terms || []).forEach(function (names, order) {
      var best = -1;
      names.forEach(function (name, i) {
        var rank = nearness(want, slugged(String(name)));
        if (rank > 0 && i > 1) rank += 0.05;  /* of names as near, a title before an alias */
        if (rank >= 0 && (best < 0 || rank < best)) best = rank;
      });
      if (best >= 0) found.push({ rank: best, order: order, slug: names[0], title: names[1] });
    });
    return found;
  }

  function notFound() {
    var box = document.querySelector("[data-lx-notfound]");
    var offer = box && box.querySelector(".lx-notfound__offer");
    if (!offer || offer.lxAnswered) return;
    offer.lxAnswered = true;
    var want = wanted();
    if (!want || want === "404") return;  /* the site's root, or the page's own address */
    data("names.json").then(function (data) {
      var terms = nearestTerms(want, data);
      var pattern = typeof data.url === "string" ? data.url : "{}/";
      if (terms.length) {
        offer.appendChild(document.createTextNode("Did you mean "));
        terms.forEach(function (term, i) {
          if (i) offer.appendChild(document.createTextNode(i === terms.length - 1 ? " or " : ", "));
          var link = document.createElement("a");
          link.href = new URL(pattern.replace("{}", encodeURIComponent(term.slug)), ROOT).href;
          link.textContent = term.title;
          offer.appendChild(link);
        });
        offer.appendChild(document.createTextNode("? "));
      }
      /* A link to ?q=, which Material opens its search with on a full load: without script;
         with it, a click opens the search in place (below). */
      var words = want.replace(/-/g, " ");
      var shown = words.length > 60 ? words.slice(0, 60) + "\u2026" : words;
      var search = document.createElement("a");
      search.href = new URL("?q=" + encodeURIComponent(words), ROOT).href;
      search.setAttribute("data-lx-search", words);
      search.textContent = "Search the glossary for \u201c" + shown + "\u201d";
      offer.appendChild(search);
      offer.appendChild(document.createTextNode("."));
    }).catch(function (error) {
      console.error("lexigraph: no suggestions for a missing page: " + error.message);
    }).then(function () {
      offer.setAttribute("data-lx-answered", want);  /* (what tests wait for) */
    });
  }

  /* The not-found page's search links open Material's search here, with their words: as
     links (which work without script) instant navigation would fetch the home page in the
     background, and Material opens its search from ?q= only on a full load. */
  document.addEventListener("click", function (e) {
    var link = e.target instanceof Element ? e.target.closest("a[data-lx-search]") : null;
    var input = document.querySelector("input.md-search__input");
    if (!link || !input || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    searchFor(input, link.getAttribute("data-lx-search"));
  }, true);

  function start() {
    setup();
    notFound();
  }
  if (window.document$ && typeof window.document$.subscribe === "function" && location.protocol !== "file:") {
    window.document$.subscribe(start);
  } else {
    start();
  }
})();
