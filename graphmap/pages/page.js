// graphmap's account page: tooltips, filters, search, collapsed departments, the side panel.
// Runs after pyvis's drawGraph() and uses its globals `network`, `nodes` and `edges`.
// Every user string reaches the page through textContent or a vis-network string title (plain text).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graphmap-data").textContent);
  var info = data.nodes;
  var nodeIds = Object.keys(info);
  var form = document.getElementById("gm-controls");
  var search = document.getElementById("gm-search");
  var department = document.getElementById("gm-department");
  var gapsOnly = document.getElementById("gm-gaps-only");
  var count = document.getElementById("gm-count");
  var collapsed = {};
  var hiddenNodes = {};
  var hiddenEdges = {};

  window.graphmapReady = false;
  network.once("afterDrawing", function () {
    window.graphmapReady = true;
    window.graphmapReadyAt = performance.now();  // ms since navigation started: bench/pages.py reads it
    document.body.setAttribute("data-ready", "1");
  });

  nodes.update(nodeIds.map(function (id) { return {id: id, title: info[id].details}; }));
  nodes.forEach(function (node) { hiddenNodes[node.id] = !!node.hidden; });
  edges.forEach(function (edge) { hiddenEdges[edge.id] = !!edge.hidden; });
  if (data.collapsed) {
    Object.keys(data.departments).forEach(function (id) { collapsed[id] = true; });
  }

  function checked(name) {
    var all = form.querySelectorAll('input[name="' + name + '"]');
    var chosen = {};
    var n = 0;
    all.forEach(function (box) { if (box.checked) { chosen[box.value] = true; n += 1; } });
    return {chosen: chosen, all: n === all.length};
  }

  function within(entry, departmentId) {
    return !departmentId || entry.ancestors.indexOf(departmentId) >= 0;
  }

  function refresh() {
    var roles = checked("role");
    var statuses = checked("status");
    var teams = checked("team");
    var query = search.value.trim().toLowerCase();
    var chosenDepartment = department.value;
    var narrowing = !!(query || gapsOnly.checked || chosenDepartment || !roles.all || !statuses.all);
    var show = {};
    nodeIds.forEach(function (id) {
      var entry = info[id];
      if (entry.kind === "department") {
        show[id] = within(entry, chosenDepartment);
      } else if (entry.kind === "person") {
        show[id] = !collapsed[entry.department] && within(entry, chosenDepartment) &&
          entry.roles.some(function (role) { return roles.chosen[role]; }) &&
          (!gapsOnly.checked || entry.gap !== "" || entry.weak) &&
          (!query || entry.search.indexOf(query) >= 0);
      }
    });
    var linked = {};
    var edgeShow = {};
    edges.forEach(function (edge) {
      var meta = data.edges[edge.id];
      var ok = show[edge.to] !== false && (meta ? statuses.chosen[meta.status] : true);
      if (meta && ok) { linked[edge.from] = true; }
      edgeShow[edge.id] = ok;
    });
    nodeIds.forEach(function (id) {
      var entry = info[id];
      if (entry.kind === "contact") {
        var teamOk = !entry.team || teams.chosen[entry.team];
        var found = query && entry.search.indexOf(query) >= 0;
        show[id] = teamOk && (found || !narrowing || !!linked[id]);
      }
    });
    var nodeChanges = [];
    var shown = 0;
    nodeIds.forEach(function (id) {
      var hide = !show[id];
      if (!hide) { shown += 1; }
      if (hiddenNodes[id] !== hide) { hiddenNodes[id] = hide; nodeChanges.push({id: id, hidden: hide}); }
    });
    var edgeChanges = [];
    edges.forEach(function (edge) {
      var hide = !(edgeShow[edge.id] && show[edge.from] && show[edge.to]);
      if (hiddenEdges[edge.id] !== hide) { hiddenEdges[edge.id] = hide; edgeChanges.push({id: edge.id, hidden: hide}); }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    count.textContent = "显示 / showing " + shown + " / " + nodeIds.length;
  }

  function toggle(departmentId) {
    collapsed[departmentId] = !collapsed[departmentId];
    var id = "dept:" + departmentId;
    var label = data.labels[id] + (collapsed[departmentId] ? "\n▸ 点击展开 / click to expand" : "");
    nodes.update([{id: id, label: label}]);
    refresh();
  }

  function fill(listId, rows) {
    var list = document.getElementById(listId);
    list.textContent = "";
    if (!rows.length) { rows = ["—"]; }
    rows.forEach(function (row) {
      var item = document.createElement("li");
      item.textContent = row;
      list.appendChild(item);
    });
  }

  function showPanel(id) {
    var entry = info[id];
    if (!entry || entry.kind === "department") { return; }
    document.getElementById("gm-panel-name").textContent = entry.name + (entry.title ? " · " + entry.title : "");
    if (entry.kind === "person") {
      document.getElementById("gm-panel-facts").textContent =
        entry.department_name + " · " + entry.roles_label + " · " + entry.status;
      fill("gm-panel-links", entry.links.map(function (l) { return l[0] + " — " + l[1] + " · 强度 / strength " + l[2]; }));
      fill("gm-panel-next", entry.suggestions.map(function (s) { return s[0] + " / " + s[1]; })
        .concat(entry.next_action !== "—" ? ["已记录 / recorded: " + entry.next_action] : []));
      fill("gm-panel-history", entry.history.map(function (h) { return h[0] + " · " + h[1] + " · " + h[2] + (h[3] ? " (" + h[3] + ")" : ""); }));
    } else {
      document.getElementById("gm-panel-facts").textContent = entry.details;
      fill("gm-panel-links", []);
      fill("gm-panel-next", []);
      fill("gm-panel-history", []);
    }
    document.getElementById("gm-panel").hidden = false;
  }

  function firstMatch() {
    var query = search.value.trim().toLowerCase();
    if (!query) { return null; }
    for (var i = 0; i < nodeIds.length; i += 1) {
      var entry = info[nodeIds[i]];
      if (entry.search && entry.search.indexOf(query) >= 0 && !hiddenNodes[nodeIds[i]]) { return nodeIds[i]; }
    }
    return null;
  }

  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    if (info[id] && info[id].kind === "department" && data.collapsed) {
      toggle(info[id].department);
    } else {
      showPanel(id);
    }
  });
  form.addEventListener("change", refresh);
  search.addEventListener("input", refresh);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var id = firstMatch();
    if (id) {
      network.selectNodes([id]);
      network.focus(id, {scale: 1.1, animation: false});
      showPanel(id);
    }
  });
  document.getElementById("gm-panel-close").addEventListener("click", function () {
    document.getElementById("gm-panel").hidden = true;
  });

  if (data.path) {
    data.path.forEach(function (id) {
      if (info[id] && info[id].kind === "person" && collapsed[info[id].department]) { collapsed[info[id].department] = false; }
    });
  }
  if (data.collapsed) {
    nodes.update(Object.keys(data.departments).filter(function (d) { return collapsed[d]; }).map(function (d) {
      return {id: "dept:" + d, label: data.labels["dept:" + d] + "\n▸ 点击展开 / click to expand"};
    }));
  }
  refresh();
  if (data.path) { network.fit({nodes: data.path, animation: false}); }

  window.graphmap = {
    refresh: refresh,
    show: showPanel,
    toggle: toggle,
    visibleNodes: function () { return nodeIds.filter(function (id) { return !hiddenNodes[id]; }); },
    visibleEdges: function () { return edges.getIds().filter(function (id) { return !hiddenEdges[id]; }); }
  };
})();
