// graphmap's workspace: the account page served by `graphmap serve` to a signed-in browser.
// Edits go through the API's own routes (permissions, validation, If-Match and audit as for any client);
// after each, the map is asked for again (GET /accounts/{id}/page/data) and redrawn without a reload.
// What-if and the comparison of two days are reads of the API's analyses (what-if, review).
// Every value from the graph reaches the page through textContent or an input's value, never as markup.
(function () {
  "use strict";
  var gm = window.graphmap;
  var ws = gm.data().workspace;
  if (!ws) { return; }
  var base = "/accounts/" + encodeURIComponent(ws.account_id);
  var asOf = gm.data().as_of;
  var csrf = cookie("gm_csrf");
  var editable = function () { return ws.editable && !!csrf; };
  var statusLine = byId("gm-ws-status");
  var conflictBox = byId("gm-ws-conflict");
  var editBox = byId("gm-ws-edit");
  var whatIfBox = byId("gm-ws-whatif");
  var compareBox = byId("gm-ws-compare");
  var versions = {};  // record URL -> the ETag of the version shown when the panel opened
  var edits = 0;
  var me = null;  // who is signed in (GET /me): their own comments get edit and delete
  if (ws.editable) {
    request("GET", "/me").then(function (reply) { if (reply.status === 200) { me = reply.body.user.id; } });
  }

  function byId(id) { return document.getElementById(id); }

  function cookie(name) {
    var found = null;
    document.cookie.split(";").forEach(function (part) {
      var pair = part.trim().split("=");
      if (pair[0] === name) { found = decodeURIComponent(pair.slice(1).join("=")); }
    });
    return found;
  }

  // A DOM element; `text` becomes its textContent, attributes are set one by one (never HTML).
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (name === "value" || name === "checked" || name === "selected" || name === "required") {
        node[name] = value;
      } else {
        node.setAttribute(name, value);
      }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function add(parent) {
    for (var i = 1; i < arguments.length; i += 1) { if (arguments[i]) { parent.appendChild(arguments[i]); } }
    return parent;
  }

  var uniqueIds = 0;
  function labelled(text, control) {
    uniqueIds += 1;
    control.id = control.id || "gm-ws-field-" + uniqueIds;
    return add(el("div", {"class": "gm-ws-field"}), el("label", {"for": control.id}, text), control);
  }

  function select(options, chosen, attributes) {
    var box = el("select", attributes || {});
    options.forEach(function (option) {
      add(box, el("option", {value: option[0], selected: option[0] === chosen}, option[1]));
    });
    return box;
  }

  function button(text, onClick, kind) {
    var node = el("button", {type: "button", "class": kind || ""}, text);
    node.addEventListener("click", onClick);
    return node;
  }

  function say(text, bad) {
    statusLine.textContent = text;
    statusLine.className = "gm-ws-status" + (bad ? " bad" : "");
  }

  function request(method, url, body, version) {
    var headers = {"Accept": "application/json"};
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (method !== "GET") { headers["X-CSRF-Token"] = csrf || ""; }
    if (version) { headers["If-Match"] = version; }
    return fetch(url, {method: method, headers: headers, credentials: "same-origin",
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (reply) {
        return reply.text().then(function (text) {
          var parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch (ignored) { parsed = null; }
          return {status: reply.status, body: parsed, etag: reply.headers.get("ETag")};
        });
      }, function () { return {status: 0, body: {detail: "网络不可用 / the server did not answer"}, etag: null}; });
  }

  function detail(reply) {
    return reply.body && reply.body.detail ? reply.body.detail : "HTTP " + reply.status;
  }

  function nameOf(nodeId) { var entry = gm.data().nodes[nodeId]; return entry ? entry.name : nodeId; }

  // The map again, recomputed by the server (gaps, chips, warnings), drawn where the user is.
  // The suggested next steps follow (GET /analyses/actions): a warm-path search for each gap, half the work.
  function reload() {
    var started = performance.now();
    var day = encodeURIComponent(asOf);
    performance.mark("graphmap-redraw-asked");  // the marks: where an edit's time goes (bench/workspace.py)
    return request("GET", base + "/page/data?actions=false&as_of=" + day).then(function (reply) {
      if (reply.status !== 200) { say("未能刷新 / could not redraw: " + detail(reply), true); return; }
      performance.mark("graphmap-redraw-read");
      ws = reply.body.data.workspace;
      gm.load(reply.body);
      performance.mark("graphmap-redrawn");
      window.graphmapRedrawnIn = performance.now() - started;
      // The map is painted in the next frame; the side panel's forms are built again after it.
      return new Promise(function (done) {
        requestAnimationFrame(function () {
          performance.mark("graphmap-shown");
          setTimeout(function () {
            if (showingAccountComments) { accountComments(); } else { gm.panelForms(); }  // what the panel shows
            edits += 1;
            document.body.setAttribute("data-edits", String(edits));
            suggest(edits, day);
            done();
          }, 0);
        });
      });
    });
  }

  function suggest(drawn, day) {
    request("GET", "/analyses/actions?account_id=" + encodeURIComponent(ws.account_id) + "&as_of=" + day)
      .then(function (answer) {
        if (answer.status !== 200 || drawn !== edits) { return; }  // a later edit asks again
        gm.suggest(answer.body.map(function (a) { return [a.person_id, a.action_zh, a.action_en]; }));
        document.body.setAttribute("data-suggested", String(drawn));
      });
  }

  // One change through the API. 412: someone changed the record since it was shown; their version is
  // shown beside this one, which can be applied again over theirs (a deliberate choice) or dropped.
  function change(method, url, body, version) {
    say("保存中… / saving…");
    conflictBox.hidden = true;
    return request(method, url, body, version).then(function (reply) {
      if (reply.status === 412) { showConflict(method, url, body, reply); return false; }
      if (reply.status >= 300 || reply.status === 0) { say("未保存 / not saved: " + detail(reply), true); return false; }
      say("已保存 / saved");
      return reload().then(function () { return true; });
    });
  }

  function showConflict(method, url, body, reply) {
    say("未保存：他人已修改 / not saved: changed by someone else", true);
    conflictBox.textContent = "";
    var current = (reply.body && reply.body.current) || {};
    add(conflictBox, el("p", {}, "此记录在你查看后已被他人修改。对方的版本与你的修改："),
        el("p", {}, "Someone changed this record after you opened it. Their version, and yours:"));
    var list = el("dl", {"class": "gm-ws-versions"});
    Object.keys(body || {}).forEach(function (field) {
      add(list, el("dt", {}, field),
          el("dd", {}, "对方 / theirs: " + JSON.stringify(current[field] === undefined ? null : current[field])),
          el("dd", {}, "你的 / yours: " + JSON.stringify(body[field])));
    });
    add(conflictBox, list,
        button("再次应用我的修改 / apply mine again", function () { change(method, url, body, reply.etag); }),
        button("保留对方的版本 / keep theirs", function () {
          conflictBox.hidden = true;
          say("");
          reload();
        }));
    conflictBox.hidden = false;
    var first = conflictBox.querySelector("button");
    if (first) { first.focus(); }
  }

  function remember(url) {
    return request("GET", url).then(function (reply) { if (reply.etag) { versions[url] = reply.etag; } });
  }

  // The side panel: what-if for anyone, the edit forms for editors

  document.addEventListener("graphmap:panel", function (event) {
    showingAccountComments = false;
    var id = event.detail.id;
    var entry = gm.data().nodes[id];
    editBox.textContent = "";
    whatIfBox.textContent = "";
    compareBox.textContent = "";
    conflictBox.hidden = true;
    if (!entry || (entry.kind !== "person" && entry.kind !== "contact")) { return; }
    var recordId = id.slice(id.indexOf(":") + 1);
    var present = entry.kind === "contact" || (ws.people[recordId] && ws.people[recordId].status !== "left");
    if (present) {
      add(whatIfBox, button("假如此人离开 / what if they leave", function () { whatIf(recordId); }, "gm-ws-whatif-button"));
    }
    if (entry.kind === "person" && editable()) { personForms(recordId); }
  });

  function personForms(personId) {
    var person = ws.people[personId];
    var personUrl = base + "/people/" + encodeURIComponent(personId);
    versions = {};
    remember(personUrl);
    person.coverage.forEach(function (link) {
      remember(base + "/coverage/" + encodeURIComponent(link[0]) + "/" + encodeURIComponent(personId));
    });
    person.plan.forEach(function (target) { remember(planUrl(target[0], personId)); });
    person.tasks.forEach(function (task) { remember(taskUrl(task[0])); });
    person.comments.forEach(function (comment) { remember(commentUrl(comment[0])); });
    var vocabulary = ws.vocabulary;
    var others = Object.keys(ws.people).filter(function (id) { return id !== personId; }).map(function (id) {
      return [id, nameOf("person:" + id) + (ws.people[id].title ? " · " + ws.people[id].title : "")];
    });
    var departments = Object.keys(gm.data().departments).map(function (id) {
      return [id, gm.data().departments[id].name];
    });

    // The card: title, roles, status, department, manager
    var card = el("form", {"class": "gm-ws-form", "aria-label": "编辑卡片 / edit the card"});
    var title = el("input", {type: "text", maxlength: "200", value: person.title});
    var roleBoxes = vocabulary.roles.map(function (role) {
      return el("input", {type: "checkbox", value: role[0], checked: person.roles.indexOf(role[0]) >= 0});
    });
    var roles = el("fieldset", {"class": "gm-ws-roles"});
    add(roles, el("legend", {}, "角色 / roles"));
    roleBoxes.forEach(function (box, i) { add(roles, add(el("label"), box, document.createTextNode(" " + vocabulary.roles[i][1]))); });
    var status = select(vocabulary.person_statuses, person.status);
    var department = select(departments, person.department_id);
    var manager = select([["", "—"]].concat(others), person.managers[0] || "");
    add(card, el("h3", {}, "编辑 / edit"), labelled("职位 / title", title), roles, labelled("状态 / status", status),
        labelled("部门 / department", department), labelled("汇报给 / reports to", manager),
        button("保存 / save", function () {
          var fields = {};
          var chosen = roleBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
          if (title.value !== person.title) { fields.title = title.value || null; }
          if (chosen.join() !== person.roles.join()) { fields.roles = chosen; }
          if (status.value !== person.status) { fields.status = status.value; }
          if (department.value !== person.department_id) { fields.department_id = department.value; }
          var saved = Object.keys(fields).length ? change("PATCH", personUrl, fields, versions[personUrl])
            : Promise.resolve(true);
          saved.then(function (ok) { if (ok && manager.value !== (person.managers[0] || "")) { setManager(personId, manager.value); } });
        }, "primary"),
        button("标记为已离开 / mark as left", function () {
          change("PATCH", personUrl, {status: "left"}, versions[personUrl]);
        }));
    add(editBox, card);

    // Our links to this person
    var links = el("form", {"class": "gm-ws-form", "aria-label": "我方对接 / our links"});
    add(links, el("h3", {}, "我方对接 / our links"));
    person.coverage.forEach(function (link) {
      var url = base + "/coverage/" + encodeURIComponent(link[0]) + "/" + encodeURIComponent(personId);
      var linkStatus = select(vocabulary.statuses, link[1]);
      var strength = el("input", {type: "number", min: "0", max: "100", value: link[2] === null ? "" : String(link[2])});
      add(links, add(el("div", {"class": "gm-ws-row"}), el("span", {}, nameOf("contact:" + link[0])),
        labelled("状态 / status", linkStatus), labelled("强度 / strength", strength),
        button("保存 / save", function () {
          change("PATCH", url, {status: linkStatus.value, strength: strength.value === "" ? null : Number(strength.value)},
                 versions[url]);
        }),
        button("移除 / remove", function () { change("DELETE", url, undefined, versions[url]); })));
    });
    var contact = select(ws.contacts, "");
    var newStatus = select(vocabulary.statuses, "initial");
    add(links, add(el("div", {"class": "gm-ws-row"}), labelled("我方 / ours", contact), labelled("状态 / status", newStatus),
      button("添加 / add", function () {
        change("POST", base + "/coverage", {contact_id: contact.value, person_id: personId, status: newStatus.value});
      })));
    add(editBox, links);
    add(editBox, planForm(personId));
    add(editBox, taskForm(personId));
    add(editBox, commentForm(personId));

    // Influence lines from this person
    var influence = el("form", {"class": "gm-ws-form", "aria-label": "影响 / influence"});
    add(influence, el("h3", {}, "影响 / influence"));
    person.influences.forEach(function (line) {
      var url = base + "/influences/" + encodeURIComponent(personId) + "/" + encodeURIComponent(line[0]);
      add(influence, add(el("div", {"class": "gm-ws-row"}),
        el("span", {}, (line[1] < 0 ? "反对 / opposes " : "影响 / influences ") + nameOf("person:" + line[0]) + " (" + line[2] + ")"),
        button("移除 / remove", function () { change("DELETE", url); })));
    });
    var target = select(others, drawnTo || "");
    var sign = select([["1", "支持 / supports"], ["-1", "反对 / opposes"]], "1");
    var weight = el("input", {type: "number", min: "0", max: "100", value: "50"});
    add(influence, add(el("div", {"class": "gm-ws-row"}), labelled("对 / on", target), labelled("方向 / sign", sign),
      labelled("强度 / strength", weight),
      button("添加 / add", function () {
        change("POST", base + "/influences", {person_id: personId, target_id: target.value, sign: Number(sign.value),
                                              strength: Number(weight.value)});
      })));
    add(editBox, influence);
    if (drawnTo) {  // a line just drawn onto another card: its sign and strength are the next thing to give
      drawnTo = null;
      influence.scrollIntoView({block: "nearest"});
      sign.focus();
      say("选择方向与强度，然后添加 / choose the sign and strength, then add");
    }

    // An interaction after a meeting
    var log = el("form", {"class": "gm-ws-form", "aria-label": "记录互动 / log an interaction"});
    var on = el("input", {type: "date", value: asOf, required: true});
    var channel = select(vocabulary.channels, "meeting");
    var ours = ws.contacts.map(function (c) { return el("input", {type: "checkbox", value: c[0]}); });
    var ourBox = el("fieldset", {"class": "gm-ws-roles"});
    add(ourBox, el("legend", {}, "我方参与 / ours who took part"));
    ours.forEach(function (box, i) { add(ourBox, add(el("label"), box, document.createTextNode(" " + ws.contacts[i][1]))); });
    var alsoThere = select(others, "", {multiple: "multiple", size: "4"});
    var summary = el("textarea", {maxlength: "200", rows: "2", required: true});
    var followUp = el("input", {type: "text", maxlength: "200"});
    var due = el("input", {type: "date"});
    var owner = select([["", "—"]].concat(ws.contacts), "");
    add(log, el("h3", {}, "记录互动 / log an interaction"), labelled("日期 / date", on), labelled("方式 / channel", channel),
        ourBox, labelled("对方其他参与者 / others of theirs there", alsoThere), labelled("摘要 / summary", summary),
        labelled("下一步 / next action", followUp), labelled("截止 / due", due), labelled("负责人 / owner", owner),
        button("记录 / log it", function () {
          if (!summary.value.trim()) { say("请填写摘要 / a summary is needed", true); summary.focus(); return; }
          var people = [personId].concat(Array.prototype.filter.call(alsoThere.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; }));
          var body = {on: on.value || null, channel: channel.value, summary: summary.value.trim(), person_ids: people,
                      contact_ids: ours.filter(function (b) { return b.checked; }).map(function (b) { return b.value; })};
          if (followUp.value.trim()) { body.follow_up = followUp.value.trim(); }
          if (due.value) { body.due = due.value; }
          if (owner.value) { body.owner_id = owner.value; }
          change("POST", base + "/interactions", body);
        }, "primary"));
    add(editBox, log);
  }

  function planUrl(contactId, personId) {
    return base + "/plan-targets/" + encodeURIComponent(contactId) + "/" + encodeURIComponent(personId);
  }

  // The account plan's targets on this person: the relationship wanted, its owner on our side, by when.
  function planForm(personId) {
    var vocabulary = ws.vocabulary;
    var bands = [["", "—"]].concat(vocabulary.bands);
    var form = el("form", {"class": "gm-ws-form", "aria-label": "计划目标 / plan targets"});
    add(form, el("h3", {}, "计划目标 / plan targets"));
    function fields(target) {
      return {
        status: select(vocabulary.plan_statuses, target[1]),
        band: select(bands, target[2]),
        due: el("input", {type: "date", value: target[3]}),
        note: el("input", {type: "text", maxlength: "200", value: target[4]})
      };
    }
    function values(f) {
      return {status: f.status.value, band: f.band.value || null, due: f.due.value || null,
              note: f.note.value.trim() || null};
    }
    function row(f, label, actions) {
      return add.apply(null, [el("div", {"class": "gm-ws-row"}), label, labelled("目标状态 / wanted", f.status),
        labelled("强度 / band", f.band), labelled("期限 / by", f.due), labelled("备注 / note", f.note)].concat(actions));
    }
    ws.people[personId].plan.forEach(function (target) {
      var url = planUrl(target[0], personId);
      var f = fields(target);
      add(form, row(f, el("span", {}, ownerName(target[0])), [
        button("保存 / save", function () { change("PATCH", url, values(f), versions[url]); }),
        button("移除 / remove", function () { change("DELETE", url, undefined, versions[url]); })]));
    });
    var owner = select(ws.contacts, "");
    var fresh = fields(["", "trusted", "", "", ""]);
    add(form, row(fresh, labelled("负责人 / owner", owner), [
      button("添加 / add", function () {
        change("POST", base + "/plan-targets", Object.assign({contact_id: owner.value, person_id: personId}, values(fresh)));
      })]));
    return form;
  }

  function taskUrl(taskId) { return base + "/tasks/" + encodeURIComponent(taskId); }

  // Tasks about this person: done, dropped, an introduction's outcome; a new one, from a suggested next
  // step or typed; an introduction request drafted from the best warm path (POST /introductions).
  function taskForm(personId) {
    var vocabulary = ws.vocabulary;
    var form = el("form", {"class": "gm-ws-form", "aria-label": "任务 / tasks"});
    add(form, el("h3", {}, "任务 / tasks"));
    ws.people[personId].tasks.forEach(function (task) {
      var url = taskUrl(task[0]);
      var row = add(el("div", {"class": "gm-ws-row"}),
        el("span", {}, task[1] + " · " + ownerName(task[2]) + (task[3] ? " · " + task[3] : "")));
      if (task[5] === "introduction") {
        if (task[7]) {  // the drafted request, to copy into a message
          add(row, add(el("details", {"class": "gm-ws-draft"}), el("summary", {}, "请求草稿 / the drafted request"),
            el("p", {}, task[7])));
        }
        var outcome = select([["", "—"]].concat(vocabulary.outcomes), task[6]);
        add(row, labelled("结果 / outcome", outcome), button("保存 / save", function () {
          change("PATCH", url, {outcome: outcome.value || null}, versions[url]);
        }));
      }
      if (task[4] === "open") {
        add(row, button("完成 / done", function () { change("PATCH", url, {state: "done"}, versions[url]); }),
          button("放弃 / drop", function () { change("PATCH", url, {state: "dropped"}, versions[url]); }));
      }
      add(form, row);
    });
    var suggestions = (gm.data().nodes["person:" + personId] || {}).suggestions || [];
    var title = el("input", {type: "text", maxlength: "200", value: ""});
    var owner = select(ws.contacts, (suggestions[0] && suggestions[0][2]) || "");
    var due = el("input", {type: "date"});
    var origin = "manual";
    draftTask = function (text, contactId, from) {  // a suggestion or a comment, taken as the new task
      title.value = text.slice(0, 200);
      if (contactId) { owner.value = contactId; }
      origin = from;
      title.focus();
    };
    suggestions.forEach(function (s) {
      add(form, add(el("div", {"class": "gm-ws-row"}), el("span", {}, s[0]),
        button("作为任务 / as a task", function () { draftTask(s[0], s[2], "action"); })));
    });
    add(form, add(el("div", {"class": "gm-ws-row"}), labelled("任务 / task", title), labelled("负责人 / owner", owner),
      labelled("期限 / by", due),
      button("添加 / add", function () {
        if (!title.value.trim()) { say("请填写任务 / a task needs a title", true); title.focus(); return; }
        var body = {title: title.value.trim(), owner_id: owner.value, person_id: personId, origin: origin};
        if (due.value) { body.due = due.value; }
        change("POST", base + "/tasks", body);
      })));
    add(form, button("起草引荐请求 / draft an introduction request", function () {
      change("POST", base + "/introductions", {person_id: personId, as_of: asOf});
    }, "gm-ws-introduce"));
    return form;
  }

  var draftTask = function () {};  // set by taskForm: fills in the new task's fields

  function commentUrl(commentId) { return base + "/comments/" + encodeURIComponent(commentId); }

  // Comments on this person (or on one of our links to them): anyone who edits may write; only the author
  // changes or deletes their own (the API refuses anyone else). "@user" mentions a graphmap user.
  function commentForm(personId) {
    var form = el("form", {"class": "gm-ws-form", "aria-label": "评论 / comments"});
    add(form, el("h3", {}, "评论 / comments"));
    commentRows(form, ws.people[personId].comments, true);
    var fresh = el("textarea", {maxlength: "2000", rows: "3", placeholder: "@用户名 提及同事 / @user to mention"});
    var links = ws.people[personId].coverage.map(function (link) { return [link[0], "← " + nameOf("contact:" + link[0])]; });
    var on = select([["", "此人 / this person"]].concat(links), "");
    add(form, labelled("新评论 / new comment", fresh), labelled("关于 / on", on),
      button("发表 / post", function () {
        if (!fresh.value.trim()) { say("请填写评论 / a comment needs text", true); fresh.focus(); return; }
        var body = {text: fresh.value.trim(), person_id: personId};
        if (on.value) { body.contact_id = on.value; }
        change("POST", base + "/comments", body);
      }));
    return form;
  }

  // One row per comment: its author and text; "as a task" (on a person's panel); edit and delete for its author.
  function commentRows(form, comments, asTask) {
    comments.forEach(function (comment) {
      var url = commentUrl(comment[0]);
      var row = add(el("div", {"class": "gm-ws-row"}), el("span", {}, comment[1] + ": " + comment[2]));
      if (asTask && editable()) {
        add(row, button("作为任务 / as a task", function () { draftTask(comment[2], comment[3], "comment"); }));
      }
      if (me && me === comment[1] && editable()) {
        var text = el("textarea", {maxlength: "2000", rows: "2"});
        text.value = comment[2];
        add(row, labelled("修改 / edit", text),
          button("保存 / save", function () { change("PATCH", url, {text: text.value.trim()}, versions[url]); }),
          button("删除 / delete", function () { change("DELETE", url, undefined, versions[url]); }));
      }
      add(form, row);
    });
  }

  function ownerName(contactId) {
    var found = ws.contacts.filter(function (c) { return c[0] === contactId; })[0];
    return found ? found[1] : contactId;
  }

  // REPORTS_TO: the person's current lines go, the new one comes (both through the API).
  function setManager(personId, managerId) {
    var current = ws.people[personId].managers;
    var steps = current.filter(function (m) { return m !== managerId; }).map(function (m) {
      return function () {
        return request("DELETE", base + "/reporting-lines/" + encodeURIComponent(personId) + "/" + encodeURIComponent(m));
      };
    });
    var chain = steps.reduce(function (done, step) { return done.then(step); }, Promise.resolve());
    return chain.then(function () {
      if (!managerId || current.indexOf(managerId) >= 0) { return reload(); }
      return change("POST", base + "/reporting-lines", {person_id: personId, manager_id: managerId});
    });
  }

  // A card dropped on another: the first now reports to the second (the keyboard way: the card's form).
  // With Shift held, the drag draws an influence line instead: the first card's form opens with the second
  // as the line's end, for its sign and strength (the keyboard way: that form's "on").
  var dragged = null;
  var drawnTo = null;
  gm.network.on("dragStart", function (params) {
    var id = params.nodes[0];
    var shift = Boolean(params.event && params.event.srcEvent && params.event.srcEvent.shiftKey);
    dragged = id && id.indexOf("person:") === 0 && editable() ?
      {id: id, at: gm.network.getPositions([id])[id], influence: shift} : null;
  });
  gm.network.on("afterDrawing", function (ctx) {
    if (!dragged || !dragged.influence) { return; }
    var now = gm.network.getPositions([dragged.id])[dragged.id];
    ctx.save();
    ctx.strokeStyle = "#6a1b9a";
    ctx.lineWidth = 4;
    ctx.setLineDash([10, 6]);
    ctx.beginPath();
    ctx.moveTo(dragged.at.x, dragged.at.y);
    ctx.lineTo(now.x, now.y);
    ctx.stroke();
    ctx.restore();
  });
  gm.network.on("dragEnd", function (params) {
    if (!dragged) { return; }
    var from = dragged;
    dragged = null;
    var onto = gm.cardAt(params.pointer.canvas, from.id);
    gm.network.moveNode(from.id, from.at.x, from.at.y);
    if (!onto || onto.indexOf("person:") !== 0) { gm.network.redraw(); return; }
    if (from.influence) {
      drawnTo = onto.slice(7);
      gm.show(from.id);
      return;
    }
    var who = nameOf(from.id), manager = nameOf(onto);
    if (window.confirm(who + " 汇报给 " + manager + "？\n" + who + " reports to " + manager + "?")) {
      setManager(from.id.slice(7), onto.slice(7));
    }
  });

  // What if they leave (nothing is written)

  function whatIf(personId) {
    whatIfBox.querySelectorAll(".gm-ws-answer").forEach(function (node) { node.remove(); });
    say("计算中… / working it out…");
    var url = "/analyses/what-if?account_id=" + encodeURIComponent(ws.account_id) + "&leaves=" +
      encodeURIComponent(personId) + "&as_of=" + encodeURIComponent(asOf);
    request("GET", url).then(function (reply) {
      if (reply.status !== 200) { say("无法计算 / could not work it out: " + detail(reply), true); return; }
      say("");
      var answer = el("div", {"class": "gm-ws-answer", role: "region", "aria-label": "假如离开 / what if"});
      var tags = {};
      (reply.body || []).forEach(function (a) {
        add(answer, el("h3", {}, "假如 " + a.leaving.name + " 离开 / if " + a.leaving.name + " left"),
            el("p", {"class": "gm-ws-score"}, "覆盖度 / coverage score: " + (a.score_before === null ? "—" : a.score_before) +
              " → " + (a.score_after === null ? "—" : a.score_after)));
        list(answer, "失去全部覆盖 / lose all coverage", a.loses_all_coverage.map(function (p) {
          return [(p.title || "") + p.name, "person:" + p.id];
        }));
        list(answer, "新增未覆盖的决策者 / decision-makers newly uncovered", a.newly_uncovered_decision_makers.map(function (u) {
          return [(u.title || "") + u.name, "person:" + u.person_id];
        }));
        list(answer, "中断的引荐路径 / warm paths broken", a.broken_paths.map(function (b) {
          return [(b.person.title || "") + b.person.name + ": " + b.before.explanation_zh + " ⇒ " +
            (b.after ? b.after.explanation_zh : "无人可引荐 / nobody reaches them"), "person:" + b.person.id];
        }));
        a.loses_all_coverage.forEach(function (p) { tags["person:" + p.id] = ["失去覆盖 lost", "#6d4c41"]; });
        a.broken_paths.forEach(function (b) { tags["person:" + b.person.id] = ["路径中断 path cut", "#ef6c00"]; });
        a.newly_uncovered_decision_makers.forEach(function (u) { tags["person:" + u.person_id] = ["⚠ 决策者失覆盖 DM", "#c62828"]; });
        tags[(a.side === "ours" ? "contact:" : "person:") + a.leaving.id] = ["假如离开 leaves", "#37474f"];
      });
      if (!(reply.body || []).length) { add(answer, el("p", {}, "没有影响 / nothing changes")); }
      add(whatIfBox, answer);
      // The answer is painted first; the tags follow, as redrawing a large map takes a frame or more.
      requestAnimationFrame(function () { setTimeout(function () { gm.mark(tags); }, 0); });
    });
  }

  // A list of findings; a row given as [text, node id] gets a button that shows that card on the map.
  function list(parent, heading, rows) {
    add(parent, el("h4", {}, heading + " (" + rows.length + ")"));
    var items = el("ul");
    (rows.length ? rows : ["—"]).forEach(function (row) {
      var text = typeof row === "string" ? row : row[0];
      var item = add(items, el("li", {}, text)).lastChild;
      var nodeId = typeof row === "string" ? null : row[1];
      if (nodeId && gm.data().nodes[nodeId]) {
        add(item, button("在图中查看 / show", function () { showOnMap(nodeId); }, "gm-ws-show"));
      }
    });
    add(parent, items);
  }

  function showOnMap(nodeId) {
    gm.select([nodeId]);
    gm.network.selectNodes([nodeId]);
    gm.network.focus(nodeId, {scale: 1.1, animation: false});
  }

  // Two days: the map as of one day, and what moved since another

  var asOfInput = byId("gm-asof");
  var sinceInput = byId("gm-since");
  asOfInput.value = asOf;
  var weekBefore = new Date(asOf + "T00:00:00Z");
  weekBefore.setUTCDate(weekBefore.getUTCDate() - 30);
  sinceInput.value = weekBefore.toISOString().slice(0, 10);
  asOfInput.addEventListener("change", function () {
    if (!asOfInput.value) { return; }
    var query = new URLSearchParams(window.location.search);
    query.set("as_of", asOfInput.value);
    window.location.search = query.toString();
  });
  byId("gm-compare").addEventListener("click", compare);

  // The side panel for something other than a card (a comparison, a new person): the card's parts hidden.
  function openPanel(title) {
    showingAccountComments = false;
    byId("gm-panel").hidden = false;
    byId("gm-panel-name").textContent = title;
    byId("gm-panel-facts").textContent = "";
    byId("gm-panel-card").hidden = true;
    editBox.textContent = "";
    whatIfBox.textContent = "";
    compareBox.textContent = "";
  }

  // How a card that moved between the two days is tagged on the map (the list says it in full).
  var MOVED = {
    decision_maker_uncovered: ["⚠ 失覆盖 uncovered", "#c62828"], decision_maker_covered: ["✓ 已覆盖 covered", "#2e7d32"],
    stakeholder_uncovered: ["失覆盖 uncovered", "#ad1457"], stakeholder_covered: ["✓ 已覆盖 covered", "#2e7d32"],
    went_cold: ["↓ 转弱 cold", "#1565c0"], warmed: ["↑ 升温 warm", "#ef6c00"], joined: ["+ 新加入 joined", "#2e7d32"],
    left: ["− 离开 left", "#616161"], returned: ["↺ 复职 back", "#2e7d32"], title_changed: ["职位 title", "#6a1b9a"],
    new_single_point: ["单点 SPOF", "#b71c1c"], overdue: ["逾期 overdue", "#e65100"],
    task_overdue: ["任务逾期 task", "#e65100"], plan_overdue: ["计划逾期 plan", "#c62828"],
    plan_met: ["✓ 计划达成 plan", "#2e7d32"], comment: ["评论 comment", "#546e7a"]
  };

  function compare() {
    if (!sinceInput.value || sinceInput.value > asOf) {
      say("对比日期须早于地图日期 / the day to compare with must come before the map's day", true);
      return;
    }
    var url = "/analyses/review?account_id=" + encodeURIComponent(ws.account_id) + "&since=" +
      encodeURIComponent(sinceInput.value) + "&as_of=" + encodeURIComponent(asOf) + "&every_gap=true";
    request("GET", url).then(function (reply) {
      openPanel("对比 / compare: " + sinceInput.value + " → " + asOf);
      if (reply.status !== 200) { say("无法对比 / could not compare: " + detail(reply), true); return; }
      say("");
      var words = {};
      ws.vocabulary.movements.concat(ws.vocabulary.bands).forEach(function (m) { words[m[0]] = m[1]; });
      var word = function (value) { return value === null ? "—" : (words[value] || value); };
      var movements = [];
      (reply.body.accounts || []).forEach(function (a) { movements = movements.concat(a.movements); });
      var region = el("div", {"class": "gm-ws-answer", role: "region", "aria-label": "对比 / compare"});
      list(region, "变化 / what moved", movements.map(function (m) {
        var fromTo = m.before !== null || m.after !== null ? " (" + word(m.before) + " → " + word(m.after) + ")" : "";
        var ours = m.contact_name ? " · " + m.contact_name : "";
        return [word(m.kind) + ": " + (m.person_title || "") + m.person_name + ours + fromTo + (m.on ? " · " + m.on : ""),
                m.person_id ? "person:" + m.person_id : null];
      }));
      add(compareBox, region);
      var tags = {};
      movements.forEach(function (m) {
        if (m.person_id && !tags["person:" + m.person_id]) { tags["person:" + m.person_id] = MOVED[m.kind] || ["•", "#546e7a"]; }
      });
      gm.mark(tags);
    });
  }

  // Comments on the account as a whole: read by anyone, written by editors, changed by their author.
  var showingAccountComments = false;
  function accountComments() {
    openPanel("客户评论 / comments on the account");
    showingAccountComments = true;
    var form = el("form", {"class": "gm-ws-form", "aria-label": "客户评论 / comments on the account"});
    versions = {};
    ws.account_comments.forEach(function (comment) { remember(commentUrl(comment[0])); });
    commentRows(form, ws.account_comments, false);
    if (ws.account_comments.length === 0) { add(form, el("p", {}, "还没有评论 / no comments yet")); }
    if (editable()) {
      var fresh = el("textarea", {maxlength: "2000", rows: "3", placeholder: "@用户名 提及同事 / @user to mention"});
      add(form, labelled("新评论 / new comment", fresh), button("发表 / post", function () {
        if (!fresh.value.trim()) { say("请填写评论 / a comment needs text", true); fresh.focus(); return; }
        change("POST", base + "/comments", {text: fresh.value.trim()});
      }));
    }
    add(editBox, form);
  }
  byId("gm-account-comments").addEventListener("click", accountComments);

  // Adding a person to a department

  var addPerson = byId("gm-add-person");
  addPerson.hidden = !editable();
  byId("gm-drag-hint").hidden = !editable();
  addPerson.addEventListener("click", function () {
    openPanel("新增关键人 / add a person");
    var form = el("form", {"class": "gm-ws-form", "aria-label": "新增关键人 / add a person"});
    var name = el("input", {type: "text", maxlength: "100", required: true});
    var title = el("input", {type: "text", maxlength: "200"});
    var department = select(Object.keys(gm.data().departments).map(function (id) {
      return [id, gm.data().departments[id].name];
    }), "");
    var boxes = ws.vocabulary.roles.map(function (role) { return el("input", {type: "checkbox", value: role[0]}); });
    var roles = el("fieldset", {"class": "gm-ws-roles"});
    add(roles, el("legend", {}, "角色 / roles"));
    boxes.forEach(function (box, i) { add(roles, add(el("label"), box, document.createTextNode(" " + ws.vocabulary.roles[i][1]))); });
    add(form, labelled("姓名 / name", name), labelled("职位 / title", title), labelled("部门 / department", department), roles,
        button("添加 / add", function () {
          if (!name.value.trim()) { say("请填写姓名 / a name is needed", true); name.focus(); return; }
          var body = {name: name.value.trim(), department_id: department.value,
                      roles: boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; })};
          if (title.value.trim()) { body.title = title.value.trim(); }
          change("POST", base + "/people", body);
        }, "primary"));
    add(editBox, form);
    name.focus();
  });

  // Signing in and out

  byId("gm-signin").hidden = !!csrf;
  byId("gm-signin").setAttribute("href", "/login?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  var signOut = byId("gm-signout");
  signOut.hidden = !csrf;
  signOut.addEventListener("click", function () {
    request("POST", "/logout").then(function () { window.location.assign("/login"); });
  });

  byId("gm-panel-close").addEventListener("click", function () { showingAccountComments = false; gm.mark({}); });

  window.graphmapWorkspace = {reload: reload, editable: editable};
})();
