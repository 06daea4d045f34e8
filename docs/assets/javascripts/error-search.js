/* A pasted error message puts the section that explains it first in the search results.
 *
 * overrides/main.html loads this file only once the reader focuses or types in the search
 * box. It fetches this language's search/errors.json (hooks/error_search.py: every message
 * the site shows, with its older wordings, and the section that explains it). When the
 * query looks like an error message (it names an Error, Exception or Warning, or is at
 * least LONG words long) and an entry matches it well enough, that section is put first in
 * Material's result list (.md-search-result__list), as a result of its own; Material's
 * results follow unchanged. Any other query leaves Material's results exactly as they are.
 *
 * Matching: a text's words are its runs of letters and digits, lowercased, so quotes,
 * backticks, punctuation and path separators do not matter. Each word weighs
 * log(1 + N / df), df being the number of entries that contain it, so the words every
 * Keras message shares count little. recall = weight of the entry's words found in the
 * query / weight of the entry's words; precision = the same over the query's words that
 * occur in some entry (unknown words such as the reader's own class names are left out);
 * score = F2 of the two (recall counts more: a pasted traceback carries extra lines). An
 * entry is accepted with recall >= MIN_RECALL and at least MIN_COMMON shared words (or all
 * of a shorter entry's). Checked by tests/test_error_search.py and tests/test_browser.py.
 */
(function () {
  "use strict";

  var LONG = 6, MIN_RECALL = 0.5, MIN_COMMON = 3, BETA2 = 4;

  function words(text) {
    return text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  function prepare(entries) {
    var df = new Map();
    entries.forEach(function (entry) {
      entry.words = new Set(words(entry.text));
      entry.words.forEach(function (w) { df.set(w, (df.get(w) || 0) + 1); });
    });
    var weight = new Map();
    df.forEach(function (count, w) { weight.set(w, Math.log(1 + entries.length / count)); });
    entries.forEach(function (entry) {
      entry.total = 0;
      entry.words.forEach(function (w) { entry.total += weight.get(w); });
    });
    return { entries: entries, weight: weight };
  }

  function looksLikeError(query, queryWords) {
    return /(error|exception|warning)\b/i.test(query) || queryWords.length >= LONG;
  }

  /* The best entry for `query` ({entry, score, recall, precision}), or null. */
  function best(table, query) {
    var queryWords = words(query);
    if (!looksLikeError(query, queryWords)) return null;
    var known = new Set(queryWords.filter(function (w) { return table.weight.has(w); }));
    var knownWeight = 0;
    known.forEach(function (w) { knownWeight += table.weight.get(w); });
    if (!knownWeight) return null;
    var found = null;
    table.entries.forEach(function (entry) {
      var common = 0, shared = 0;
      known.forEach(function (w) {
        if (entry.words.has(w)) { common += table.weight.get(w); shared += 1; }
      });
      if (!entry.total || shared < Math.min(MIN_COMMON, entry.words.size)) return;
      var recall = common / entry.total, precision = common / knownWeight;
      if (recall < MIN_RECALL) return;
      var score = (1 + BETA2) * precision * recall / (BETA2 * precision + recall);
      if (!found || score > found.score)
        found = { entry: entry, score: score, recall: recall, precision: precision };
    });
    return found;
  }

  var api = { words: words, prepare: prepare, best: best };
  window.errorSearch = api;

  var config = document.getElementById("__config");
  var input = document.querySelector(".md-search__input");
  var list = document.querySelector(".md-search-result__list");
  if (!config || !input || !list) return;  // loaded alone (the matcher's tests)
  config = JSON.parse(config.textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var meta = document.querySelector(".md-search-result__meta");
  var table = null;

  function item(match) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.dataset.errorSearch = new URL(match.entry.location, root).href;
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = li.dataset.errorSearch;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = match.entry.title;
    var text = document.createElement("p");
    var code = document.createElement("code");
    code.textContent = match.entry.text.split("\n")[0];
    text.appendChild(code);
    article.append(icon, title, text);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function update() {
    if (!table) return;
    var match = input.value.trim() ? best(table, input.value) : null;
    var shown = list.querySelector(":scope > [data-error-search]");
    var href = match && new URL(match.entry.location, root).href;
    if (shown && shown === list.firstElementChild && shown.dataset.errorSearch === href) return;
    if (shown) shown.remove();
    if (!match) return;
    list.insertBefore(item(match), list.firstChild);
    if (list.children.length === 1 && meta && config.translations)
      meta.textContent = config.translations["search.result.one"] || meta.textContent;
  }

  fetch(new URL("search/errors.json", root))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      table = prepare(data.entries);
      update();
    });
  input.addEventListener("input", update);
  input.addEventListener("keyup", update);
  // Material empties and refills the list whenever its search worker answers.
  new MutationObserver(update).observe(list, { childList: true });
})();
