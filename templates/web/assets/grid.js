// Totals of the month grid, updated as you type. The page works without this script: the
// server computes the same totals on every load.
(function () {
  var fmt = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
  function parse(s) {
    s = String(s || '').trim().replace(/\s/g, '').replace(',', '.');
    if (s === '') return 0;
    if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
    return Math.round(parseFloat(s) * 100);
  }
  function text(c) { return c === null ? '—' : fmt.format(c / 100) + '\u00a0h'; }
  function update() {
    var byMarche = {}, month = 0, bad = false;
    document.querySelectorAll('[data-hours]').forEach(function (input) {
      var m = input.getAttribute('data-marche');
      var v = parse(input.value);
      if (!(m in byMarche)) byMarche[m] = 0;
      if (v === null || byMarche[m] === null) { byMarche[m] = null; bad = true; return; }
      byMarche[m] += v;
    });
    document.querySelectorAll('[data-total-for]').forEach(function (out) {
      var m = out.getAttribute('data-total-for');
      out.textContent = text(m in byMarche ? byMarche[m] : 0);
    });
    Object.keys(byMarche).forEach(function (m) { if (byMarche[m] !== null) month += byMarche[m]; });
    var total = document.querySelector('[data-total-month]');
    if (total) total.textContent = bad ? '—' : text(month);
  }
  document.addEventListener('input', function (e) {
    if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-hours')) update();
  });
})();
