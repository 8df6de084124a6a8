#include "report/AuditReport.hpp"

#include "audit/AuditRule.hpp"
#include "diag/Printable.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>

namespace netsep::report {

namespace {

using audit::ExceptionStatus;

const char* verdictName(ExceptionStatus::Verdict v) {
    switch (v) {
    case ExceptionStatus::Verdict::Valid:
        return "valid";
    case ExceptionStatus::Verdict::Warning:
        return "warning";
    case ExceptionStatus::Verdict::Invalid:
        return "invalid";
    }
    return "invalid";
}

const char* severityName(Severity s) {
    return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

// The facts of one exception, as strings, shared by every format.
struct ExceptionRow {
    std::string name, where, source, destination, provider, networks, fqdns, services, purpose,
        basis, issued, expires, daysLeft, approvedBy, killSwitch, logging, verdict, ids;
    bool inForce = false;
};

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string endpointText(const model::Policy& p, const model::Endpoint& e) {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return "zone " + p.zones[e.index].name;
    case model::Endpoint::Kind::Group:
        return "group " + p.groups[e.index].name + " (zone " +
               p.zones[p.groups[e.index].zone].name + ")";
    case model::Endpoint::Kind::Saas:
        return "saas " + p.saas[e.index].name;
    }
    return {};
}

std::string serviceText(const model::Policy& p, const model::Rule& r) {
    if (r.serviceAny)
        return "any";
    std::vector<std::string> parts;
    for (uint32_t s : r.services) {
        const auto& svc = p.services[s];
        if (svc.isInline) {
            parts.push_back(svc.name);
            continue;
        }
        std::vector<std::string> entries;
        for (const auto& e : svc.entries) {
            std::string t = model::protoName(e.proto);
            if ((e.proto == model::Proto::Tcp || e.proto == model::Proto::Udp) && !e.ports.all())
                t += "/" + std::to_string(e.ports.lo) +
                     (e.ports.hi != e.ports.lo ? "-" + std::to_string(e.ports.hi) : "");
            else if (e.icmpType >= 0)
                t += "/" + e.icmpName;
            entries.push_back(t);
        }
        parts.push_back(svc.name + " (" + joined(entries) + ")");
    }
    return joined(parts);
}

ExceptionRow rowOf(const AuditInput& in, const ExceptionStatus& st) {
    const auto& p = in.policy;
    const model::Rule& r = p.rules[st.rule];
    const model::ExceptionInfo& x = *r.exception;
    ExceptionRow row;
    row.name = r.name;
    row.where = in.sources.where(r.span);
    std::vector<std::string> src, dst, providers, nets, fqdns;
    for (const auto& e : r.from)
        src.push_back(endpointText(p, e));
    if (r.identity)
        src.push_back("as identity " + p.identities[*r.identity].name);
    for (const auto& e : r.to) {
        dst.push_back(endpointText(p, e));
        if (e.kind == model::Endpoint::Kind::Saas) {
            const auto& s = p.saas[e.index];
            providers.push_back(s.provider);
            for (const auto& n : s.networks)
                nets.push_back(n.str());
            fqdns.insert(fqdns.end(), s.fqdns.begin(), s.fqdns.end());
        }
    }
    row.source = r.fromAny ? "any" : joined(src);
    row.destination = r.toAny ? "any" : joined(dst);
    row.provider = joined(providers);
    row.networks = joined(nets);
    row.fqdns = joined(fqdns);
    row.services = serviceText(p, r);
    row.purpose = x.purpose.empty() ? "(none)" : x.purpose;
    if (x.basis) {
        static const char* kinds[] = {"no-action-letter", "sandbox", "saas-general"};
        row.basis = kinds[int(x.basis->kind)];
        if (!x.basis->id.empty())
            row.basis += " " + x.basis->id;
        if (x.basis->issued)
            row.issued = x.basis->issued->str();
    } else {
        row.basis = "(none)";
    }
    row.expires = x.expires.str();
    row.daysLeft = st.daysLeft ? std::to_string(*st.daysLeft) : "";
    row.approvedBy = x.approvedBy.empty() ? "(none)" : x.approvedBy;
    row.killSwitch = x.killSwitch.empty() ? "(none)" : x.killSwitch;
    row.logging = r.log ? "yes" : "no";
    row.verdict = verdictName(st.verdict);
    row.ids = joined(st.ids);
    row.inForce = st.inForce;
    return row;
}

struct Counts {
    size_t errors = 0, warnings = 0;
};

std::map<std::string, Counts> countsByRule(const audit::AuditResult& a) {
    std::map<std::string, Counts> out;
    for (const auto& r : audit::auditRules())
        out[r.id];
    for (const auto& f : a.findings)
        (f.severity == Severity::Error ? out[f.id].errors : out[f.id].warnings)++;
    return out;
}

// The text report goes to terminals: strings the policy chose lose their
// control characters (a newline in a purpose would forge a report line).
ExceptionRow printableRow(ExceptionRow r) {
    for (std::string* f :
         {&r.name, &r.where, &r.source, &r.destination, &r.provider, &r.networks, &r.fqdns,
          &r.services, &r.purpose, &r.basis, &r.issued, &r.expires, &r.daysLeft, &r.approvedBy,
          &r.killSwitch, &r.logging, &r.verdict, &r.ids})
        *f = printable(*f);
    return r;
}

// Markup escaped; control characters, invalid in HTML text, shown as '?'.
std::string html(const std::string& raw) {
    std::string out;
    for (char c : printable(raw)) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

// Audit and analysis findings together, in source order.
std::vector<audit::Finding> allFindings(const AuditInput& in) {
    std::vector<audit::Finding> all = in.audit.findings;
    for (const auto& d : in.analysisFindings)
        all.push_back({d.code, d.severity, d.message, d.span, std::nullopt});
    std::stable_sort(all.begin(), all.end(), [](const audit::Finding& a, const audit::Finding& b) {
        return std::tie(a.span.file, a.span.line, a.span.col, a.id) <
               std::tie(b.span.file, b.span.line, b.span.col, b.id);
    });
    return all;
}

} // namespace

ZoneMatrix zoneMatrix(const model::Policy& p, const analysis::PolicyGraph& g) {
    ZoneMatrix m;
    for (const auto& z : p.zones)
        m.rows.push_back(z.name);
    m.cols = m.rows;
    for (const auto& s : p.saas)
        m.cols.push_back(s.name);
    m.cells.assign(m.rows.size(), std::vector<std::string>(m.cols.size()));
    auto covers = [&](size_t col) {
        if (col < p.zones.size())
            return g.cover(model::Endpoint{model::Endpoint::Kind::Zone, uint32_t(col)});
        return g.cover(
            model::Endpoint{model::Endpoint::Kind::Saas, uint32_t(col - p.zones.size())});
    };
    for (size_t r = 0; r < m.rows.size(); ++r) {
        auto from = covers(r);
        for (size_t c = 0; c < m.cols.size(); ++c) {
            if (c == r)
                continue;
            auto to = covers(c);
            analysis::SpaceTable::Id acc = analysis::SpaceTable::kEmpty;
            for (uint32_t u : from)
                for (uint32_t v : to)
                    if (u != v)
                        acc = g.spaces.unite(acc, g.allowedAt(u, v));
            if (acc != analysis::SpaceTable::kEmpty)
                m.cells[r][c] = g.spaces.get(acc).str();
        }
    }
    return m;
}

std::string auditText(const AuditInput& in) {
    const auto& a = in.audit;
    std::string out;
    size_t valid = 0, warn = 0, invalid = 0;
    for (const auto& st : a.exceptions)
        (st.verdict == ExceptionStatus::Verdict::Valid     ? valid
         : st.verdict == ExceptionStatus::Verdict::Warning ? warn
                                                           : invalid)++;
    out += fmt::format("netsep audit of policy {} as of {}\n", in.policy.name, a.asOf.str());
    out += fmt::format("exceptions: {} ({} valid, {} warning, {} invalid)\n\n", a.exceptions.size(),
                       valid, warn, invalid);
    out += "== Separation exceptions ==\n";
    if (a.exceptions.empty())
        out += "(none)\n";
    for (const auto& st : a.exceptions) {
        ExceptionRow r = printableRow(rowOf(in, st));
        out += fmt::format("\n{}  [{}]  {}\n", r.name, r.verdict, r.where);
        out += fmt::format("  source:       {}\n", r.source);
        out += fmt::format("  destination:  {}\n", r.destination);
        if (!r.provider.empty())
            out += fmt::format("  provider:     {}\n", r.provider);
        if (!r.networks.empty())
            out += fmt::format("  networks:     {}\n", r.networks);
        if (!r.fqdns.empty())
            out += fmt::format("  fqdn:         {}\n", r.fqdns);
        out += fmt::format("  services:     {}\n", r.services);
        out += fmt::format("  purpose:      {}\n", r.purpose);
        out += fmt::format("  basis:        {}\n", r.basis);
        out += fmt::format("  issued:       {}\n", r.issued.empty() ? "-" : r.issued);
        out += fmt::format("  expires:      {} ({} days left)\n", r.expires, r.daysLeft);
        out += fmt::format("  approved-by:  {}\n", r.approvedBy);
        out += fmt::format("  kill-switch:  {}\n", r.killSwitch);
        out += fmt::format("  logging:      {}\n", r.logging);
        out += fmt::format("  emitted:      {}\n", r.inForce ? "yes" : "no (outside its validity)");
        out += fmt::format("  violations:   {}\n", r.ids.empty() ? "none" : r.ids);
    }
    out += "\n== Findings ==\n";
    bool any = false;
    for (const auto& f : a.findings) {
        any = true;
        out += fmt::format("{}: {}[{}]: {}\n", printable(in.sources.where(f.span)),
                           severityName(f.severity), f.id, printable(f.message));
    }
    for (const auto& d : in.analysisFindings) {
        any = true;
        out += fmt::format("{}: {}[{}]: {}\n", printable(in.sources.where(d.span)),
                           severityName(d.severity), d.code, printable(d.message));
    }
    if (!any)
        out += "(none)\n";
    out += "\n== Risk acceptances (waivers) ==\n";
    if (in.riskAcceptances.empty())
        out += "(none)\n";
    for (const auto& r : in.riskAcceptances) {
        out += fmt::format("\nwaive hop {}  [{}]  {}\n", printable(r.hop),
                           review::stateName(r.state), printable(r.where));
        out += fmt::format("  owner:        {}\n",
                           r.owner.empty() ? "(not stated)" : printable(r.owner));
        out += fmt::format("  ticket:       {}\n", printable(r.ticket));
        out += fmt::format("  because:      {}\n", printable(r.because));
        out += fmt::format("  until:        {} ({} days left)\n", r.until, r.daysLeft);
        out += fmt::format("  accepts:      {}\n",
                           r.accepts.empty() ? "no finding" : joined(r.accepts));
    }
    out += "\n== Summary by rule ==\n";
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        out += fmt::format("{}  {:<7}  {:>3} error(s) {:>3} warning(s)  {}\n", id,
                           severityName(rule->severity), c.errors, c.warnings, rule->checks);
    }
    return out;
}

std::string auditJson(const AuditInput& in) {
    using nlohmann::ordered_json;
    const auto& a = in.audit;
    ordered_json j;
    j["policy"] = in.policy.name;
    j["asOf"] = a.asOf.str();
    ordered_json exceptions = ordered_json::array();
    for (const auto& st : a.exceptions) {
        ExceptionRow r = rowOf(in, st);
        ordered_json e;
        e["name"] = r.name;
        e["where"] = r.where;
        e["verdict"] = r.verdict;
        e["violations"] = st.ids;
        e["source"] = r.source;
        e["destination"] = r.destination;
        e["provider"] = r.provider;
        e["networks"] = r.networks;
        e["fqdns"] = r.fqdns;
        e["services"] = r.services;
        e["purpose"] = r.purpose;
        e["basis"] = r.basis;
        e["issued"] = r.issued;
        e["expires"] = r.expires;
        if (st.daysLeft)
            e["daysLeft"] = *st.daysLeft;
        e["approvedBy"] = r.approvedBy;
        e["killSwitch"] = r.killSwitch;
        e["logged"] = r.logging == "yes";
        e["emitted"] = r.inForce;
        exceptions.push_back(std::move(e));
    }
    j["exceptions"] = std::move(exceptions);
    ordered_json findings = ordered_json::array();
    auto add = [&](const std::string& id, Severity sev, const std::string& msg, SourceSpan span) {
        ordered_json f;
        f["ruleId"] = id;
        f["severity"] = severityName(sev);
        f["message"] = msg;
        if (span.valid() && span.file < in.sources.size()) {
            f["file"] = in.sources.file(span.file).path;
            f["line"] = span.line;
            f["column"] = span.col;
        }
        findings.push_back(std::move(f));
    };
    for (const auto& f : allFindings(in))
        add(f.id, f.severity, f.message, f.span);
    j["findings"] = std::move(findings);
    ordered_json summary = ordered_json::array();
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        summary.push_back({{"ruleId", id},
                           {"severity", severityName(rule->severity)},
                           {"checks", rule->checks},
                           {"tracesTo", rule->tracesTo},
                           {"errors", c.errors},
                           {"warnings", c.warnings}});
    }
    j["summary"] = std::move(summary);
    ordered_json risks = ordered_json::array();
    for (const auto& r : in.riskAcceptances)
        risks.push_back({{"hop", r.hop},
                         {"owner", r.owner.empty() ? ordered_json(nullptr) : ordered_json(r.owner)},
                         {"ticket", r.ticket},
                         {"because", r.because},
                         {"until", r.until},
                         {"daysLeft", r.daysLeft},
                         {"state", r.state == review::RiskAcceptance::State::Live      ? "live"
                                   : r.state == review::RiskAcceptance::State::Expired ? "expired"
                                                                                       : "unused"},
                         {"where", r.where},
                         {"accepts", r.accepts}});
    j["riskAcceptances"] = std::move(risks);
    ZoneMatrix m = zoneMatrix(in.policy, in.graph);
    ordered_json matrix = ordered_json::array();
    for (size_t r = 0; r < m.rows.size(); ++r)
        for (size_t c = 0; c < m.cols.size(); ++c)
            if (!m.cells[r][c].empty())
                matrix.push_back(
                    {{"from", m.rows[r]}, {"to", m.cols[c]}, {"services", m.cells[r][c]}});
    j["zoneMatrix"] = std::move(matrix);
    return printableJson(j.dump(2)) + "\n";
}

std::string auditHtml(const AuditInput& in) {
    const auto& a = in.audit;
    size_t valid = 0, warn = 0, invalid = 0;
    for (const auto& st : a.exceptions)
        (st.verdict == ExceptionStatus::Verdict::Valid     ? valid
         : st.verdict == ExceptionStatus::Verdict::Warning ? warn
                                                           : invalid)++;
    size_t errors = 0, warnings = 0;
    for (const auto& f : a.findings)
        (f.severity == Severity::Error ? errors : warnings)++;
    for (const auto& d : in.analysisFindings)
        (d.severity == Severity::Error ? errors : warnings)++;

    std::string o;
    o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<title>netsep audit: " + html(in.policy.name) + " as of " + a.asOf.str() + "</title>\n";
    o += R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#1a1a1a;max-width:1200px}
h1{font-size:1.6em;margin-bottom:.2em}h3{font-size:1em;margin:1.2em 0 .3em}
.detail{width:auto}.detail th{width:12em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.valid{background:#e3f6e3}.warning{background:#fff4d6}.invalid{background:#fbe0e0}
.error{color:#a40000;font-weight:bold}.warn{color:#8a5a00;font-weight:bold}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:9em}
.card b{display:block;font-size:1.6em}
.matrix td{font-size:.8em}.matrix td.allow{background:#eef4ff}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
@media print{body{margin:0}h2{page-break-after:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}}
</style>
</head>
<body>
)";
    o += "<h1>Network separation audit: " + html(in.policy.name) + "</h1>\n";
    o += "<p>As of <b>" + a.asOf.str() + "</b>. Generated by netsep from the policy alone.";
    if (!in.policy.owner.empty())
        o += " Policy owner: " + html(in.policy.owner) + ".";
    o += "</p>\n";
    o += "<div class=\"cards\">\n";
    o += fmt::format("<div class=\"card\"><b>{}</b>exceptions</div>\n", a.exceptions.size());
    o += fmt::format("<div class=\"card valid\"><b>{}</b>valid</div>\n", valid);
    o += fmt::format("<div class=\"card warning\"><b>{}</b>warning</div>\n", warn);
    o += fmt::format("<div class=\"card invalid\"><b>{}</b>invalid</div>\n", invalid);
    o += fmt::format("<div class=\"card\"><b>{}</b>errors</div>\n", errors);
    o += fmt::format("<div class=\"card\"><b>{}</b>warnings</div>\n", warnings);
    o += "</div>\n";

    o += "<h2>Separation exceptions</h2>\n<table>\n<tr><th>Exception</th><th>Verdict</th>"
         "<th>Source</th><th>Destination</th><th>Expires</th><th>Days left</th>"
         "<th>Kill switch</th><th>Violations</th></tr>\n";
    for (const auto& st : a.exceptions) {
        ExceptionRow r = rowOf(in, st);
        o += "<tr class=\"" + r.verdict + "\"><td><a href=\"#x-" + html(r.name) + "\">" +
             html(r.name) + "</a></td><td>" + r.verdict + "</td><td>" + html(r.source) +
             "</td><td>" + html(r.destination) + "</td><td>" + html(r.expires) + "</td><td>" +
             html(r.daysLeft) + "</td><td>" + html(r.killSwitch) + "</td><td>" +
             html(r.ids.empty() ? "none" : r.ids) + "</td></tr>\n";
    }
    if (a.exceptions.empty())
        o += "<tr><td colspan=\"8\">No exceptions.</td></tr>\n";
    o += "</table>\n";
    for (const auto& st : a.exceptions) {
        ExceptionRow r = rowOf(in, st);
        o += "<h3 id=\"x-" + html(r.name) + "\">" + html(r.name) + " <small>(" + r.verdict +
             ", <code>" + html(r.where) + "</code>)</small></h3>\n<table class=\"detail " +
             r.verdict + "\">\n";
        auto field = [&](const char* label, const std::string& value) {
            o += std::string("<tr><th>") + label + "</th><td>" + html(value) + "</td></tr>\n";
        };
        field("Source", r.source);
        field("Destination", r.destination);
        field("Provider", r.provider.empty() ? "-" : r.provider);
        field("Networks", r.networks.empty() ? "-" : r.networks);
        field("FQDNs", r.fqdns.empty() ? "-" : r.fqdns);
        field("Services", r.services);
        field("Purpose", r.purpose);
        field("Legal basis", r.basis);
        field("Issued", r.issued.empty() ? "-" : r.issued);
        field("Expires", r.expires + " (" + r.daysLeft + " days left)");
        field("Approved by", r.approvedBy);
        field("Kill-switch group", r.killSwitch);
        field("Logged", r.logging);
        field("Emitted on this date", r.inForce ? "yes" : "no (outside its validity)");
        field("Violations", r.ids.empty() ? "none" : r.ids);
        o += "</table>\n";
    }

    ZoneMatrix m = zoneMatrix(in.policy, in.graph);
    o += "<h2>Zone matrix</h2>\n<p>Row zone may open connections to column zone or saas "
         "endpoint with these services (after deny rules; intra-zone traffic not shown).</p>\n";
    o += "<table class=\"matrix\">\n<tr><th>from \\ to</th>";
    for (const auto& c : m.cols)
        o += "<th>" + html(c) + "</th>";
    o += "</tr>\n";
    for (size_t r = 0; r < m.rows.size(); ++r) {
        o += "<tr><th>" + html(m.rows[r]) + "</th>";
        for (size_t c = 0; c < m.cols.size(); ++c) {
            const std::string& cell = m.cells[r][c];
            o += cell.empty() ? "<td></td>" : "<td class=\"allow\">" + html(cell) + "</td>";
        }
        o += "</tr>\n";
    }
    o += "</table>\n";

    o += "<h2>Findings</h2>\n<table>\n<tr><th>Rule</th><th>Severity</th><th>Location</th>"
         "<th>Finding</th></tr>\n";
    auto row = [&](const std::string& id, Severity sev, const std::string& msg, SourceSpan span) {
        o += "<tr><td><code>" + html(id) + "</code></td><td class=\"" +
             (sev == Severity::Error ? "error" : "warn") + "\">" + severityName(sev) +
             "</td><td><code>" + html(in.sources.where(span)) + "</code></td><td>" + html(msg) +
             "</td></tr>\n";
    };
    for (const auto& f : allFindings(in))
        row(f.id, f.severity, f.message, f.span);
    if (a.findings.empty() && in.analysisFindings.empty())
        o += "<tr><td colspan=\"4\">No findings.</td></tr>\n";
    o += "</table>\n";

    o += "<h2>Risk acceptances</h2>\n<p>Each <code>waive</code> statement accepts a "
         "lateral-movement hop as a known risk; the findings it accepts are kept out of the "
         "verdict until it ends.</p>\n<table>\n<tr><th>Hop</th><th>State</th><th>Owner</th>"
         "<th>Ticket</th><th>Reason</th><th>Until</th><th>Days left</th><th>Accepts</th></tr>\n";
    for (const auto& r : in.riskAcceptances)
        o += fmt::format(
            "<tr><td><code>{}</code><br><code>{}</code></td><td class=\"{}\">{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            html(r.hop), html(r.where),
            r.state == review::RiskAcceptance::State::Live ? "valid" : "warning",
            html(review::stateName(r.state)), r.owner.empty() ? "(not stated)" : html(r.owner),
            html(r.ticket), html(r.because), r.until, r.daysLeft,
            r.accepts.empty() ? "no finding" : html(joined(r.accepts)));
    if (in.riskAcceptances.empty())
        o += "<tr><td colspan=\"8\">No waivers.</td></tr>\n";
    o += "</table>\n";

    o += "<h2>Summary by rule</h2>\n<table>\n<tr><th>Rule</th><th>Severity</th><th>Checks</th>"
         "<th>Traces to</th><th>Errors</th><th>Warnings</th></tr>\n";
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        o += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                         "<td>{}</td></tr>\n",
                         id, severityName(rule->severity), html(rule->checks), html(rule->tracesTo),
                         c.errors, c.warnings);
    }
    o += "</table>\n</body>\n</html>\n";
    return o;
}

} // namespace netsep::report
