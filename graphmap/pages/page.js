// graphmap's account page: the org chart's cards and boxes, tooltips, filters, search, lines on demand,
// a large account's overview and one department in full, the side panel, print.
// Runs after pyvis's drawGraph() and uses its globals `network`, `nodes` and `edges`.
// Every user string reaches the page through textContent, a vis-network string title (plain text) or the
// canvas (fillText draws text, never markup).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graphmap-data").textContent);
  var info = data.nodes;
  var colours = data.colours;
  var nodeIds = Object.keys(info);
  var form = document.getElementById("gm-controls");
  var search = document.getElementById("gm-search");
  var department = document.getElementById("gm-department");
  var gapsOnly = document.getElementById("gm-gaps-only");
  var count = document.getElementById("gm-count");
  var expandAll = document.getElementById("gm-expand");
  var overviewButton = document.getElementById("gm-overview");
  // What the map shows: "all" (the full chart), "overview" (a large account: each department's people as a
  // summary box) or "focus" (one department and those inside it, in the full chart).
  var mode = data.overview ? "overview" : "all";
  var focus = null;
  var hiddenNodes = {};
  var hiddenEdges = {};
  var shaped = {};
  var selected = {};
  var marks = {};  // node id -> [word, colour]: tags the workspace puts on cards
  var filtering = false;
  var geometry = null;  // what the last frame drew: read by the browser tests
  var everyText = false;  // draw text however small (the tests read back where every text went)
  var FONT = data.font;
  var CHIP_R = 8;

  window.graphmapReady = false;
  network.once("afterDrawing", function () {
    window.graphmapReady = true;
    window.graphmapReadyAt = performance.now();  // ms since navigation started: bench/pages.py reads it
    document.body.setAttribute("data-ready", "1");
  });

  // The legend is open on a first visit; closing it is remembered on this machine.
  var legend = document.querySelector(".gm-legend");
  try {
    if (window.localStorage.getItem("graphmap.legend") === "closed") { legend.open = false; }
    legend.addEventListener("toggle", function () {
      window.localStorage.setItem("graphmap.legend", legend.open ? "open" : "closed");
      network.redraw();
    });
  } catch (ignored) { /* storage refused (a private window): the legend simply opens every time */ }

  // vis-network draws the whole canvas at once after every change handed to its data sets (with physics
  // off, each change "starts the simulation", which draws): ten milliseconds a time at 300 cards. Changes
  // are handed over with drawing held back, then drawn once, in the next frame. Its own events, as its
  // setData uses them.
  var holding = 0;
  function quietly(change) {
    holding += 1;
    if (holding === 1) { network.body.emitter.emit("_blockRedraw"); }
    try { change(); } finally {
      holding -= 1;
      if (holding === 0) {
        network.body.emitter.emit("_allowRedraw");
        network.body.emitter.emit("_requestRedraw");
      }
    }
  }

  var added = {};  // the lines handed to vis-network so far (every line starts hidden, in data.lines)
  function startHidden() {
    nodes.forEach(function (node) { hiddenNodes[node.id] = !!node.hidden; });
    Object.keys(data.pending).forEach(function (id) { hiddenNodes[id] = true; });
    data.lines.forEach(function (line) { hiddenEdges[line.id] = true; });
  }
  startHidden();
  // node id -> the node as the server last sent it, and whether it was to be handed over when first shown
  // (an overview's people): see handOver.
  var handed = {};
  function handedAs(node, pending) { return (pending ? "pending " : "") + JSON.stringify(node); }
  nodes.forEach(function (node) { handed[node.id] = handedAs(node, false); });
  Object.keys(data.pending).forEach(function (id) { handed[id] = handedAs(data.pending[id], true); });
  if (data.overview) { expandAll.hidden = false; }

  // Drawing

  var fitted = {};
  function fit(ctx, text, width) {
    var key = ctx.font + "\u0000" + width + "\u0000" + text;
    if (fitted[key] !== undefined) { return fitted[key]; }
    var out = text;
    if (ctx.measureText(text).width > width) {
      var lo = 0, hi = text.length;
      while (lo < hi) {
        var mid = Math.ceil((lo + hi) / 2);
        if (ctx.measureText(text.slice(0, mid) + "…").width <= width) { lo = mid; } else { hi = mid - 1; }
      }
      out = text.slice(0, lo) + "…";
    }
    fitted[key] = out;
    return out;
  }

  function text(ctx, owner, value, x, y, size, width, colour, weight, align, kind) {
    if (!value) { return; }
    ctx.font = (weight || "normal") + " " + size + "px " + FONT;
    ctx.fillStyle = colour;
    ctx.textAlign = align || "left";
    ctx.textBaseline = "alphabetic";
    var shown = fit(ctx, value, width);
    ctx.fillText(shown, x, y);
    if (geometry) {
      var w = ctx.measureText(shown).width;
      var left = align === "center" ? x - w / 2 : (align === "right" ? x - w : x);
      geometry.texts.push([owner, left, y - size * 0.88, w, size * 1.1, kind || ""]);
    }
  }

  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }

  function drawChip(ctx, chip, cx, cy) {
    var colour = chip[1], strength = chip[2];
    ctx.beginPath();
    ctx.arc(cx, cy, CHIP_R, 0, 2 * Math.PI);
    ctx.fillStyle = "#ffffff";
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#cfd8dc";
    ctx.stroke();
    ctx.beginPath();
    var share = strength === null ? 1 : Math.max(0.04, Math.min(1, strength / 100));
    ctx.arc(cx, cy, CHIP_R - 1, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * share);
    ctx.lineWidth = 3;
    ctx.strokeStyle = colour;
    ctx.stroke();
    ctx.font = "bold 9px " + FONT;
    ctx.fillStyle = colour;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(chip[0], cx, cy + 0.5);
    if (chip[3]) {  // weak: a red mark on the chip's shoulder
      ctx.beginPath();
      ctx.arc(cx + CHIP_R - 1, cy - CHIP_R + 1, 4, 0, 2 * Math.PI);
      ctx.fillStyle = colours.gap;
      ctx.fill();
      ctx.font = "bold 7px " + FONT;
      ctx.fillStyle = "#ffffff";
      ctx.fillText("!", cx + CHIP_R - 1, cy - CHIP_R + 1.5);
    }
  }

  function drawCard(ctx, id, x, y, w, h, state) {
    var card = info[id].card;  // [name, title, badges, chips, more, gap, left, ours, symbol]
    var left = x - w / 2, top = y - h / 2;
    var palette = card[7] ? [colours.ours[0], colours.ours[0], colours.ours[1], "#cfd8dc"] : (card[6] ? colours.left : colours.card);
    var scale = everyText ? 1 : network.getScale();
    roundRect(ctx, left, top, w, h, 6);
    ctx.fillStyle = palette[0];
    ctx.fill();
    ctx.lineWidth = card[5] ? 3 : (state.selected ? 2.5 : 1);
    ctx.strokeStyle = card[5] ? colours.gap : (state.selected ? "#1565c0" : palette[1]);
    ctx.stroke();
    if (!card[7] && card[2].length) {
      ctx.fillStyle = card[6] ? colours.left[1] : card[2][0][1];
      ctx.fillRect(left + 1, top + 6, 5, h - 12);
    }
    if (geometry) { geometry.cards[id] = [left, top, w, h]; }
    if (marks[id]) { drawMark(ctx, id, marks[id], left + w, top, scale); }
    if (scale < 0.2) { return; }  // too small to read anything: coloured blocks
    var name = (card[5] ? "⚠ " : "") + (card[7] ? card[8] + " " : "") + card[0];
    if (scale < 0.8) {  // zoomed out: the name alone, large enough to read, and the chips as dots
      var size = Math.min(36, Math.max(14, 12 / scale));
      text(ctx, id, name, left + 12, top + 6 + size, size, w - 22, palette[2], "bold", "left", "name");
      card[3].forEach(function (chip, i) {
        ctx.beginPath();
        ctx.arc(left + w - 14 - i * 18, top + h - 10, 7, 0, 2 * Math.PI);
        ctx.fillStyle = chip[1];
        ctx.fill();
        if (chip[3]) { ctx.lineWidth = 3; ctx.strokeStyle = colours.gap; ctx.stroke(); }
      });
      return;
    }
    var inner = w - 22;
    text(ctx, id, name, left + 12, top + 20, 14, inner, palette[2], "bold", "left", "name");
    text(ctx, id, card[1], left + 12, top + 37, 12, inner, palette[3]);
    var chips = card[3];
    var chipsWidth = chips.length * (2 * CHIP_R + 3) + (card[4] ? 18 : 0);
    var bx = left + 12;
    card[2].forEach(function (badge) {
      ctx.font = "bold 10px " + FONT;
      var bw = ctx.measureText(badge[0]).width + 8;
      if (bx + bw > left + w - 10 - chipsWidth) { return; }
      roundRect(ctx, bx, top + h - 22, bw, 15, 4);
      ctx.fillStyle = card[6] ? colours.left[1] : badge[1];
      ctx.fill();
      text(ctx, id, badge[0], bx + 4, top + h - 11, 10, bw, "#ffffff", "bold");
      bx += bw + 4;
    });
    var cx = left + w - 10 - CHIP_R - (card[4] ? 18 : 0);
    for (var i = 0; i < chips.length; i += 1) {
      drawChip(ctx, chips[i], cx - i * (2 * CHIP_R + 3), top + h - 15);
    }
    if (card[4]) { text(ctx, id, "+" + card[4], left + w - 8, top + h - 11, 10, 18, "#546e7a", "bold", "right"); }
  }

  // A tag on a card's corner: the workspace's overlays (what moved between two days, what if someone left).
  function drawMark(ctx, id, mark, right, top, scale) {
    var size = Math.max(11, Math.min(28, 11 / Math.max(scale, 0.2)));
    ctx.font = "bold " + size + "px " + FONT;
    var w = ctx.measureText(mark[0]).width + size * 0.8;
    roundRect(ctx, right - w + 6, top - size * 0.9, w, size * 1.4, 6);
    ctx.fillStyle = mark[1];
    ctx.fill();
    text(ctx, id, mark[0], right - w + 6 + size * 0.4, top + size * 0.15, size, w, "#ffffff", "bold", "left", "mark");
  }

  function drawHeader(ctx, id, x, y, w, h) {
    var entry = info[id];
    var left = x - w / 2, top = y - h / 2;
    var palette = entry.uncovered ? colours.uncovered : colours.department;
    ctx.fillStyle = entry.uncovered ? palette[0] : "#e3e8eb";
    ctx.fillRect(left + 1, top + 1, w - 2, h - 1);
    if (geometry) { geometry.headers[id] = [left, top, w, h]; }
    var scale = everyText ? 1 : network.getScale();
    if (scale < 0.8) {  // zoomed out: the name alone, large enough to read
      var size = Math.min(30, Math.max(14, 12 / scale));
      text(ctx, id, entry.name, left + 12, top + (h + size * 0.7) / 2, size, w - 24, "#263238", "bold");
      return;
    }
    text(ctx, id, entry.name, left + 12, top + 19, 14, w - 24, "#263238", "bold");
    text(ctx, id, entry.facts, left + 12, top + 36, 11, w - 24, entry.uncovered ? "#b71c1c" : "#546e7a");
  }

  function renderer(params) {
    var node = network.body.nodes[params.id];
    var w = node.options.w, h = node.options.h;
    return {
      drawNode: function () {
        if (info[params.id].kind === "department") {
          drawHeader(params.ctx, params.id, params.x, params.y, w, h);
        } else {
          drawCard(params.ctx, params.id, params.x, params.y, w, h, params.state);
        }
      },
      nodeDimensions: {width: w, height: h}
    };
  }

  function drawBoxes(ctx) {
    geometry = {cards: {}, texts: [], headers: {}, boxes: {}, areas: {}, segments: []};
    if (data.team_box) {
      var t = data.team_box;
      roundRect(ctx, t[0], t[1], t[2], t[3], 8);
      ctx.fillStyle = "#eef2f5";
      ctx.fill();
      ctx.strokeStyle = "#90a4ae";
      ctx.lineWidth = 1;
      ctx.stroke();
      var size = everyText ? 14 : Math.min(30, Math.max(14, 12 / network.getScale()));
      text(ctx, "team", "我方团队 / our team", t[0] + 12, t[1] + 8 + size, size, t[2] - 24, "#263238", "bold");
      geometry.boxes.team = t;
    }
    var ids = Object.keys(data.departments).filter(shownDepartment);
    ids.sort(function (a, b) { return data.departments[a].depth - data.departments[b].depth; });
    ids.forEach(function (id) {
      var d = mode === "overview" ? data.overview.departments[id] : data.departments[id];
      var b = d.box;
      var uncovered = info["dept:" + id].uncovered;
      var palette = uncovered ? colours.uncovered : colours.department;
      roundRect(ctx, b[0], b[1], b[2], b[3], 8);
      ctx.fillStyle = data.departments[id].depth % 2 ? "#ffffff" : "#f7f9fa";
      ctx.fill();
      ctx.lineWidth = uncovered ? 2 : 1;
      ctx.strokeStyle = palette[1];
      ctx.stroke();
      geometry.boxes[id] = b;
      if (d.area && mode !== "overview") { geometry.areas[id] = d.area; }
      if (d.area && mode === "overview") { drawSummary(ctx, id, d.area); }
    });
    if (mode === "overview") { return; }
    ctx.strokeStyle = colours.connector;
    ctx.globalAlpha = filtering ? 0.35 : 1;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    Object.keys(data.connectors).forEach(function (id) {
      if (id && !shownDepartment(id)) { return; }
      data.connectors[id].forEach(function (s) {
        ctx.moveTo(s[0], s[1]);
        ctx.lineTo(s[2], s[3]);
        geometry.segments.push(s);
      });
    });
    ctx.stroke();
    ctx.globalAlpha = 1;
  }

  function shownDepartment(id) {
    return mode !== "focus" || within(info["dept:" + id], focus);
  }

  function drawSummary(ctx, id, a) {
    var lines = info["dept:" + id].summary;
    roundRect(ctx, a[0], a[1], a[2], a[3], 6);
    ctx.fillStyle = "#eceff1";
    ctx.fill();
    var size = Math.min(a[3] / (lines.length * 1.45), a[2] / 11.5);
    var y = a[1] + (a[3] - lines.length * size * 1.35) / 2 + size;
    lines.forEach(function (line, i) {
      var colour = line.indexOf("⚠") === 0 ? colours.gap : "#37474f";
      text(ctx, "area:" + id, line, a[0] + a[2] / 2, y + i * size * 1.35, size, a[2] - 12, colour, i ? "normal" : "bold",
        "center", "summary");
    });
    geometry.areas[id] = a;
  }

  // Far out, cards are blocks: each department's name is written over its people, as large as fits.
  function drawOverview(ctx) {
    var scale = network.getScale();
    if (scale >= 0.2 || everyText || mode === "overview") { return; }
    Object.keys(data.departments).filter(shownDepartment).forEach(function (id) {
      var a = data.departments[id].area;
      if (!a) { return; }
      var name = info["dept:" + id].name;
      var size = Math.min(a[3] * 0.6, (a[2] - 24) / Math.max(2, name.length), 14 / scale);
      if (size * scale < 6) { return; }
      ctx.globalAlpha = 0.85;
      roundRect(ctx, a[0] + 4, a[1] + (a[3] - size * 1.5) / 2, a[2] - 8, size * 1.5, 6);
      ctx.fillStyle = "#ffffff";
      ctx.fill();
      ctx.globalAlpha = 1;
      text(ctx, "area:" + id, name, a[0] + a[2] / 2, a[1] + a[3] / 2 + size * 0.35, size, a[2] - 24, "#263238", "bold",
        "center", "overview");
    });
  }

  network.on("beforeDrawing", drawBoxes);
  network.on("afterDrawing", drawOverview);

  // What is shown

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
    var kinds = checked("lines").chosen;
    var query = search.value.trim().toLowerCase();
    var chosenDepartment = department.value;
    var narrowing = !!(query || gapsOnly.checked || chosenDepartment || !roles.all || !statuses.all);
    filtering = narrowing;
    var show = {};
    nodeIds.forEach(function (id) {
      var entry = info[id];
      if (entry.kind === "department") {
        show[id] = within(entry, chosenDepartment) && shownDepartment(entry.department);
      } else if (entry.kind === "person") {
        show[id] = mode !== "overview" && (mode !== "focus" || within(entry, focus)) && within(entry, chosenDepartment) &&
          entry.roles.some(function (role) { return roles.chosen[role]; }) &&
          (!gapsOnly.checked || entry.gap !== "" || entry.weak) &&
          (!query || entry.search.indexOf(query) >= 0);
      }
    });
    var linked = {};
    var edgeShow = {};
    data.lines.forEach(function (edge) {
      var covers = edge.kind === "covers";
      var ok = show[edge.to] !== false && (!covers || statuses.chosen[edge.status]);
      if (covers && ok) { linked[edge.from] = true; }
      // Lines run across cards: drawn for the selected card, a warm path, or a kind the user turned on.
      edgeShow[edge.id] = ok && (edge.kind === "path" || kinds[edge.kind] || selected[edge.from] || selected[edge.to]);
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
    var nodeAdditions = [];
    var shown = 0;
    nodeIds.forEach(function (id) {
      var hide = !show[id];
      if (!hide) { shown += 1; }
      var change = null;
      if (hiddenNodes[id] !== hide) { hiddenNodes[id] = hide; change = {id: id, hidden: hide}; }
      if (!hide && !shaped[id]) {  // drawn by us from the first time it shows (a large page shapes lazily)
        shaped[id] = true;
        change = Object.assign(change || {id: id}, {shape: "custom", ctxRenderer: renderer, title: info[id].details});
        var node = data.pending[id] || network.body.nodes[id].options;
        change.size = Math.max(node.w, node.h) / 2;  // vis-network's size for clicks until the first draw
        if (data.pending[id]) {
          nodeAdditions.push(Object.assign({}, data.pending[id], change));
          change = null;
        }
      }
      if (change) { nodeChanges.push(change); }
    });
    var edgeChanges = [];
    var edgeAdditions = [];
    data.lines.forEach(function (edge) {
      var hide = !(edgeShow[edge.id] && show[edge.from] && show[edge.to]);
      if (hiddenEdges[edge.id] === hide) { return; }
      hiddenEdges[edge.id] = hide;
      if (added[edge.id]) {
        edgeChanges.push({id: edge.id, hidden: hide});
      } else {
        added[edge.id] = true;
        edgeAdditions.push(Object.assign({}, edge, {hidden: hide}));
      }
    });
    quietly(function () {
      if (nodeAdditions.length) { nodes.add(nodeAdditions); }
      if (nodeChanges.length) { nodes.update(nodeChanges); }
      if (edgeAdditions.length) { edges.add(edgeAdditions); }
      if (edgeChanges.length) { edges.update(edgeChanges); }
    });
    count.textContent = "显示 / showing " + shown + " / " + nodeIds.length;
  }

  // Moves the department headers between the overview's places and the full chart's.
  function show(newMode, departmentId) {
    var moving = (mode === "overview") !== (newMode === "overview");
    mode = newMode;
    focus = newMode === "focus" ? departmentId : null;
    if (moving) {
      quietly(function () {
        nodes.update(Object.keys(data.departments).map(function (id) {
          var d = mode === "overview" ? data.overview.departments[id] : data.departments[id];
          var size = Math.max(d.header[2], d.header[3]) / 2;
          return {id: "dept:" + id, x: d.at[0], y: d.at[1], w: d.header[2], h: d.header[3], size: size};
        }));
      });
    }
    overviewButton.hidden = !data.overview || mode === "overview";
    expandAll.hidden = !data.overview || mode === "all";
    refresh();
    fitAll();
  }

  // Fits what is drawn, the boxes included (vis-network's own fit sees only the nodes: a box's summary or
  // padding below its last node would fall off the screen).
  function fitAll() {
    var boxes = Object.keys(data.departments).filter(shownDepartment).map(function (id) {
      return mode === "overview" ? data.overview.departments[id].box : data.departments[id].box;
    });
    if (data.team_box && mode !== "focus") { boxes.push(data.team_box); }
    if (!boxes.length) { network.fit({animation: false}); return; }
    var left = Math.min.apply(null, boxes.map(function (b) { return b[0]; }));
    var top = Math.min.apply(null, boxes.map(function (b) { return b[1]; }));
    var right = Math.max.apply(null, boxes.map(function (b) { return b[0] + b[2]; }));
    var bottom = Math.max.apply(null, boxes.map(function (b) { return b[1] + b[3]; }));
    var canvas = network.canvas.frame.canvas;
    var scale = Math.min(canvas.clientWidth / (right - left), canvas.clientHeight / (bottom - top)) * 0.97;
    network.moveTo({position: {x: (left + right) / 2, y: (top + bottom) / 2}, scale: Math.min(scale, 1.2), animation: false});
  }

  // A click on a department: in the overview, show it (and those inside it) in full.
  function toggle(departmentId) {
    show(mode === "focus" && focus === departmentId ? "overview" : "focus", departmentId);
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

  function fillNext(entry) {
    fill("gm-panel-next", entry.suggestions.map(function (s) { return s[0] + " / " + s[1]; })
      .concat(entry.next_action !== "—" ? ["已记录 / recorded: " + entry.next_action] : []));
  }

  // `later`: the text now, the workspace's forms (the "graphmap:panel" event) when panelForms() is called.
  function showPanel(id, later) {
    var entry = info[id];
    if (!entry || entry.kind === "department") { return; }
    document.getElementById("gm-panel-name").textContent = entry.name + (entry.title ? " · " + entry.title : "");
    if (entry.kind === "person") {
      document.getElementById("gm-panel-facts").textContent =
        entry.department_name + " · " + entry.roles_label + " · " + entry.status;
      fill("gm-panel-links", entry.links.map(function (l) { return l[0] + " — " + l[1] + " · 强度 / strength " + l[2]; }));
      fill("gm-panel-plan", entry.plan);
      fill("gm-panel-tasks", entry.tasks);
      fill("gm-panel-comments", entry.comments);
      fillNext(entry);
      fill("gm-panel-history", entry.history.map(function (h) { return h[0] + " · " + h[1] + " · " + h[2] + (h[3] ? " (" + h[3] + ")" : ""); }));
    } else {
      document.getElementById("gm-panel-facts").textContent = entry.details;
      fill("gm-panel-links", []);
      fill("gm-panel-plan", []);
      fill("gm-panel-tasks", []);
      fill("gm-panel-comments", []);
      fill("gm-panel-next", []);
      fill("gm-panel-history", []);
    }
    document.getElementById("gm-panel-card").hidden = false;
    document.getElementById("gm-panel").hidden = false;
    shownInPanel = id;
    if (!later) { panelForms(); }
  }

  function panelForms() {
    if (!shownInPanel || document.getElementById("gm-panel").hidden) { return; }
    document.dispatchEvent(new CustomEvent("graphmap:panel", {detail: {id: shownInPanel}}));
  }
  var shownInPanel = null;

  // The workspace (workspace.js) hands in the map again after an edit: the same account, recomputed.
  // The view stays where the user is; what is selected and the side panel stay if the card is still there.
  // The panel's forms are the workspace's to build again (panelForms) once the map is painted: laying out
  // their three pickers of everyone in the account takes longer than drawing the map (~40 ms at 300).
  function load(parts) { quietly(function () { reload(parts); }); }

  function reload(parts) {
    var before = info;
    data = parts.data;
    info = data.nodes;
    colours = data.colours;
    nodeIds = Object.keys(info);
    handOver(parts.nodes, before);
    hiddenEdges = {};
    added = {};
    edges.clear();
    data.lines.forEach(function (line) { hiddenEdges[line.id] = true; });
    if (!data.overview) { mode = "all"; focus = null; }  // an overview, and one department of it, above COLLAPSE_ABOVE
    if (mode === "focus" && !data.departments[focus]) { mode = "overview"; focus = null; }
    if (mode !== "overview" && data.overview) {  // headers start at the overview's places: move them
      nodes.update(Object.keys(data.departments).map(function (id) {
        var d = data.departments[id];
        return {id: "dept:" + id, x: d.at[0], y: d.at[1], w: d.header[2], h: d.header[3]};
      }));
    }
    overviewButton.hidden = !data.overview || mode === "overview";
    expandAll.hidden = !data.overview || mode === "all";
    var facts = document.getElementById("gm-facts");
    facts.textContent = "";
    data.heading.forEach(function (pair) {
      var item = document.createElement("div");
      var term = document.createElement("dt");
      var value = document.createElement("dd");
      term.textContent = pair[0];
      value.textContent = pair[1];
      item.appendChild(term);
      item.appendChild(value);
      facts.appendChild(item);
    });
    var keep = Object.keys(selected).filter(function (id) { return info[id]; });
    select(keep);
    network.selectNodes(keep);
    if (shownInPanel && info[shownInPanel] && !document.getElementById("gm-panel").hidden) {
      showPanel(shownInPanel, true);
    } else {
      shownInPanel = null;
    }
  }

  // Hands vis-network only the nodes that moved, came or went since the server last sent them: it builds
  // a node again at some cost, and a map whose nodes are all new takes ten times longer to draw once.
  // The cards kept are drawn from `info`, which is new; their tooltips are set again where they changed.
  function handOver(incoming, before) {
    var now = {};
    incoming.forEach(function (node) { now[node.id] = node; });
    Object.keys(data.pending).forEach(function (id) { now[id] = data.pending[id]; });
    var stale = [];
    var fresh = [];
    var retitled = [];
    Object.keys(handed).forEach(function (id) { if (!now[id]) { stale.push(id); delete handed[id]; } });
    Object.keys(now).forEach(function (id) {
      var json = handedAs(now[id], !!data.pending[id]);
      if (handed[id] === json) {
        if (shaped[id] && before[id] && before[id].details !== info[id].details) {
          retitled.push({id: id, title: info[id].details});
        }
        return;
      }
      if (handed[id] !== undefined) { stale.push(id); }
      handed[id] = json;
      if (!data.pending[id]) { fresh.push(now[id]); }
    });
    stale.forEach(function (id) { delete shaped[id]; delete hiddenNodes[id]; });
    nodes.remove(stale.filter(function (id) { return nodes.get(id) !== null; }));
    nodes.add(fresh);
    fresh.forEach(function (node) { hiddenNodes[node.id] = !!node.hidden; });
    Object.keys(data.pending).forEach(function (id) { if (!shaped[id]) { hiddenNodes[id] = true; } });
    if (retitled.length) { nodes.update(retitled); }
  }

  // The card drawn at a point of the canvas (the last frame's), other than `except`: where a card was dropped.
  function cardAt(point, except) {
    var found = null;
    Object.keys(geometry ? geometry.cards : {}).forEach(function (id) {
      var c = geometry.cards[id];
      if (id !== except && !hiddenNodes[id] && point.x >= c[0] && point.x <= c[0] + c[2] && point.y >= c[1] &&
          point.y <= c[1] + c[3]) { found = id; }
    });
    return found;
  }

  function select(ids) {
    selected = {};
    ids.forEach(function (id) { selected[id] = true; });
    refresh();
  }

  function firstMatch() {  // in the overview, people are in their summaries: found all the same
    var query = search.value.trim().toLowerCase();
    if (!query) { return null; }
    for (var i = 0; i < nodeIds.length; i += 1) {
      var entry = info[nodeIds[i]];
      var findable = !hiddenNodes[nodeIds[i]] || (mode === "overview" && entry.kind === "person");
      if (entry.search && entry.search.indexOf(query) >= 0 && findable) { return nodeIds[i]; }
    }
    return null;
  }

  function summaryAt(point) {
    if (mode !== "overview") { return null; }
    var found = null;
    Object.keys(data.overview.departments).forEach(function (id) {
      var a = data.overview.departments[id].area;
      if (a && point.x >= a[0] && point.x <= a[0] + a[2] && point.y >= a[1] && point.y <= a[1] + a[3]) { found = id; }
    });
    return found;
  }

  network.on("click", function (params) {
    if (!params.nodes.length) {
      var hit = summaryAt(params.pointer.canvas);
      if (hit) { toggle(hit); } else if (Object.keys(selected).length) { select([]); }
      return;
    }
    var id = params.nodes[0];
    if (info[id] && info[id].kind === "department") {
      if (data.overview) { toggle(info[id].department); }
    } else {
      select([id]);
      showPanel(id);
    }
  });
  form.addEventListener("change", refresh);
  department.addEventListener("change", function () {  // a large account: the chosen department in full
    if (data.overview) { show(department.value ? "focus" : "overview", department.value); }
  });
  search.addEventListener("input", refresh);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") { return; }
    var id = firstMatch();
    if (id && mode === "overview" && info[id].kind === "person") { show("focus", info[id].department); }
    if (id) {
      network.selectNodes([id]);
      select([id]);
      network.focus(id, {scale: 1.1, animation: false});
      showPanel(id);
    }
  });
  document.getElementById("gm-panel-close").addEventListener("click", function () {
    document.getElementById("gm-panel").hidden = true;
  });
  expandAll.addEventListener("click", function () { show("all"); });
  overviewButton.addEventListener("click", function () { show("overview"); });
  // The browser's own print: the whole map, fitted to the page (page.css has the print stylesheet).
  // A4 landscape less its margins, at the browser's 96 px to the inch.
  window.addEventListener("beforeprint", function () {
    network.setSize("1040px", "700px");
    fitAll();
    network.redraw();
  });
  window.addEventListener("afterprint", function () {
    network.setSize("100%", "100%");
    fitAll();
  });
  document.getElementById("gm-print").addEventListener("click", function () { window.print(); });
  document.querySelectorAll("a.gm-file").forEach(function (link) {  // the same as-of date as the page
    link.setAttribute("href", link.getAttribute("href") + window.location.search);
  });

  if (data.path && mode === "overview") { show("all"); }  // a warm path crosses departments: the full chart
  refresh();
  if (data.path) { network.fit({nodes: data.path, animation: false}); } else { fitAll(); }

  window.graphmap = {
    refresh: refresh,
    load: load,
    cardAt: cardAt,
    mark: function (tags) { marks = tags || {}; quietly(function () {}); },  // drawn in the next frame
    // The suggested next steps, [person_id, zh, en] each, handed in after a redraw that left them out.
    suggest: function (actions) {
      nodeIds.forEach(function (id) { if (info[id].kind === "person") { info[id].suggestions = []; } });
      actions.forEach(function (a) {
        var entry = info["person:" + a[0]];
        if (entry) { entry.suggestions.push([a[1], a[2]]); }
      });
      // Only the list itself: the panel's forms may hold what the user is typing.
      if (shownInPanel && info[shownInPanel] && info[shownInPanel].kind === "person") { fillNext(info[shownInPanel]); }
    },
    marks: function () { return marks; },
    data: function () { return data; },
    network: network,
    show: function (id) { showPanel(id); },
    panelForms: panelForms,
    select: select,
    toggle: toggle,
    expandAll: function () { show("all"); },
    fit: fitAll,
    overview: function () { show("overview"); },
    mode: function () { return mode; },
    geometry: function (withText) {
      everyText = !!withText;
      network.redraw();
      everyText = false;
      return geometry;
    },
    visibleNodes: function () { return nodeIds.filter(function (id) { return !hiddenNodes[id]; }); },
    lines: function () { return data.lines; },
    visibleEdges: function () { return Object.keys(hiddenEdges).filter(function (id) { return !hiddenEdges[id]; }); }
  };
})();
