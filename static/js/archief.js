// Progressive enhancement for the archive queue: "select all on this page" and a live count of the
// selection. Everything works without this script (each task has its own checkbox).
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("melden");
    if (!form) { return; }
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="taken"]'));
    var panel = form.querySelector("[data-select-all]");
    var all = document.getElementById("alles-selecteren");
    var count = form.querySelector("[data-selected-count]");
    if (!panel || !all || boxes.length === 0) { return; }
    function update() {
      var n = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
      count.textContent = n === 1 ? "1 taak geselecteerd" : n + " taken geselecteerd";
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    panel.hidden = false;
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
