// `netsep diff` renderers: text (CI log), JSON (tools), Markdown (a
// merge-request comment).
#include "report/Review.hpp"

#include "diag/Printable.hpp"
#include "review/Diff.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace netsep::report {

namespace {

using json = nlohmann::ordered_json;
using review::ExceptionChange;
using review::FirewallChange;
using review::LoweredRuleChange;
using review::PolicyDiff;
using review::ReachChange;
using review::RuleRef;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? sep : "") + v[i];
    return out;
}

const char* kindWord(model::RuleKind k) {
    return k == model::RuleKind::Deny        ? "deny"
           : k == model::RuleKind::Exception ? "exception"
                                             : "access";
}

std::string refs(const std::vector<RuleRef>& rs, const std::string& note) {
    if (rs.empty())
        return note;
    std::vector<std::string> parts;
    for (const auto& r : rs)
        parts.push_back(fmt::format("{} {} ({}{})", kindWord(r.kind), r.name, r.where,
                                    r.detail.empty() ? "" : "; " + r.detail));
    return join(parts);
}

// A firewall's rule changes for reading: alike changes (same sign, action,
// match and policy rule) on more than three places become one line.
struct RuleLine {
    LoweredRuleChange::Kind kind;
    std::string text, before;
};
std::vector<RuleLine> ruleLines(const FirewallChange& f) {
    std::map<std::pair<int, std::string>, std::vector<const LoweredRuleChange*>> alike;
    for (const auto& r : f.rules)
        if (r.kind != LoweredRuleChange::Kind::Changed)
            alike[{int(r.kind), r.what}].push_back(&r);
    std::vector<RuleLine> out;
    std::set<std::pair<int, std::string>> merged;
    for (const auto& r : f.rules) {
        auto key = std::make_pair(int(r.kind), r.what);
        auto it = alike.find(key);
        if (it != alike.end() && it->second.size() > 3) {
            if (!merged.insert(key).second)
                continue;
            std::vector<std::string> places;
            for (const auto* x : it->second)
                if (places.size() < 4)
                    places.push_back(x->fromZone + " -> " + x->toZone + ": " + x->objects);
            if (it->second.size() > places.size())
                places.push_back("...");
            out.push_back({r.kind,
                           fmt::format("{} on {} zone pairs: {}", r.what, it->second.size(),
                                       join(places, "; ")),
                           ""});
            continue;
        }
        out.push_back({r.kind, r.fromZone + " -> " + r.toZone + ": " + r.text, r.before});
    }
    return out;
}

const char* severityWord(Severity s) {
    return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

std::string verdicts(const ExceptionChange& x) {
    auto one = [](const std::string& v, const std::vector<std::string>& ids) {
        if (v.empty())
            return std::string("-");
        return ids.empty() ? v : v + " (" + join(ids) + ")";
    };
    if (x.kind == ExceptionChange::Kind::Added)
        return "audit: " + one(x.verdictNew, x.idsNew);
    if (x.kind == ExceptionChange::Kind::Removed)
        return "audit was: " + one(x.verdictOld, x.idsOld);
    std::string a = one(x.verdictOld, x.idsOld), b = one(x.verdictNew, x.idsNew);
    return a == b ? "audit: " + b : "audit: " + a + " -> " + b;
}

struct Counts {
    size_t rulesAdded = 0, rulesRemoved = 0, rulesChanged = 0;
};

Counts ruleCounts(const PolicyDiff& d) {
    Counts c;
    for (const auto& f : d.firewalls)
        for (const auto& r : f.rules)
            (r.kind == LoweredRuleChange::Kind::Added     ? c.rulesAdded
             : r.kind == LoweredRuleChange::Kind::Removed ? c.rulesRemoved
                                                          : c.rulesChanged)++;
    return c;
}

std::string summaryLine(const PolicyDiff& d) {
    Counts c = ruleCounts(d);
    size_t xa = 0, xr = 0, xc = 0;
    for (const auto& x : d.exceptions)
        (x.kind == ExceptionChange::Kind::Added     ? xa
         : x.kind == ExceptionChange::Kind::Removed ? xr
                                                    : xc)++;
    return fmt::format("{} opened, {} closed; findings +{} -{} ~{}; exceptions +{} -{} ~{}; "
                       "firewall rules +{} -{} ~{}",
                       d.opened.size(), d.closed.size(), d.findings.appeared.size(),
                       d.findings.disappeared.size(), d.findings.changed.size(), xa, xr, xc,
                       c.rulesAdded, c.rulesRemoved, c.rulesChanged);
}

const char* ruleSign(LoweredRuleChange::Kind k) {
    return k == LoweredRuleChange::Kind::Added     ? "+"
           : k == LoweredRuleChange::Kind::Removed ? "-"
                                                   : "~";
}

const char* exceptionSign(ExceptionChange::Kind k) {
    return k == ExceptionChange::Kind::Added     ? "+"
           : k == ExceptionChange::Kind::Removed ? "-"
                                                 : "~";
}

} // namespace

std::string diffText(const PolicyDiff& d) {
    std::string out;
    out += fmt::format("netsep diff: {} -> {}, as of {}\n", d.oldLabel, d.newLabel, d.asOf.str());
    if (d.empty()) {
        out += "no semantic change: the same flows, findings, exceptions and firewall rules\n";
        return printable(out, true);
    }
    out += "summary: " + summaryLine(d) + "\n";
    if (d.needsApproval())
        out += "needs a second approver: " + join(d.approvalReasons, "; ") + "\n";
    auto reach = [&](const char* title, const std::vector<ReachChange>& v) {
        if (v.empty())
            return;
        out += fmt::format("\n{}:\n", title);
        for (const auto& rc : v) {
            out += fmt::format("  {} {} -> {}: {}{}\n", rc.opened ? "+" : "-", join(rc.from),
                               join(rc.to), rc.services.str(),
                               rc.targets.empty() ? "" : "  [into " + join(rc.targets) + "]");
            out += "      NEW: " + refs(rc.newRules, rc.newNote) + "\n";
            out += "      OLD: " + refs(rc.oldRules, rc.oldNote) + "\n";
        }
    };
    reach("opened (newly allowed)", d.opened);
    reach("closed (newly denied)", d.closed);
    if (!d.findings.empty()) {
        out += "\nfindings:\n";
        for (const auto& f : d.findings.appeared)
            out += fmt::format("  + {}[{}]: {}\n", severityWord(f.severity), f.code, f.message);
        for (const auto& f : d.findings.disappeared)
            out += fmt::format("  - {}[{}]: {}\n", severityWord(f.severity), f.code, f.message);
        for (const auto& c : d.findings.changed) {
            out += fmt::format("  ~ [{}] {} -> {}: {}\n", c.after.code,
                               severityWord(c.before.severity), severityWord(c.after.severity),
                               c.after.message);
            if (c.before.message != c.after.message)
                out += "      was: " + c.before.message + "\n";
        }
    }
    if (!d.exceptions.empty()) {
        out += "\nexceptions:\n";
        for (const auto& x : d.exceptions) {
            out += fmt::format("  {} {} ({}): {}\n", exceptionSign(x.kind), x.name,
                               x.kind == ExceptionChange::Kind::Removed ? "OLD " + x.whereOld
                                                                        : x.whereNew,
                               x.summary);
            for (const auto& f : x.fields)
                out +=
                    fmt::format("      {}: {} -> {}\n", f.field, f.before.empty() ? "-" : f.before,
                                f.after.empty() ? "-" : f.after);
            out += "      " + verdicts(x);
            if (x.kind == ExceptionChange::Kind::Changed && x.widened)
                out += "; widened";
            if (x.kind != ExceptionChange::Kind::Removed && !x.inForceNew)
                out += "; not in force (not emitted)";
            out += "\n";
        }
    }
    if (!d.firewalls.empty()) {
        out += "\nfirewalls (lowered rules every listed backend prints):\n";
        for (const auto& f : d.firewalls) {
            out += fmt::format("  {} [{}]{}\n", f.name, join(f.backends),
                               f.added     ? ": new firewall"
                               : f.removed ? ": removed"
                                           : "");
            for (const auto& b : f.backendsAdded)
                out += "    + backend " + b + "\n";
            for (const auto& b : f.backendsRemoved)
                out += "    - backend " + b + "\n";
            for (const auto& i : f.interfaceChanges)
                out += "    " + i + "\n";
            for (const auto& r : ruleLines(f)) {
                out += fmt::format("    {} {}\n", ruleSign(r.kind), r.text);
                if (r.kind == LoweredRuleChange::Kind::Changed)
                    out += "        was: " + r.before + "\n";
            }
            for (const auto& o : f.objectChanges)
                out += "    ~ " + o + "\n";
        }
    }
    return printable(out, true);
}

std::string diffJson(const PolicyDiff& d) {
    json j;
    j["old"] = d.oldLabel;
    j["new"] = d.newLabel;
    j["asOf"] = d.asOf.str();
    j["needsApproval"] = d.needsApproval();
    j["approvalReasons"] = d.approvalReasons;
    auto ref = [](const RuleRef& r) {
        json j{{"name", r.name}, {"where", r.where}, {"kind", kindWord(r.kind)}};
        if (!r.detail.empty())
            j["detail"] = r.detail;
        return j;
    };
    auto reach = [&](const std::vector<ReachChange>& v) {
        json a = json::array();
        for (const auto& rc : v) {
            json nr = json::array(), orr = json::array();
            for (const auto& r : rc.newRules)
                nr.push_back(ref(r));
            for (const auto& r : rc.oldRules)
                orr.push_back(ref(r));
            a.push_back({{"from", rc.from},
                         {"to", rc.to},
                         {"services", rc.services.str()},
                         {"newRules", nr},
                         {"newNote", rc.newNote},
                         {"oldRules", orr},
                         {"oldNote", rc.oldNote},
                         {"intoTargets", rc.targets}});
        }
        return a;
    };
    j["opened"] = reach(d.opened);
    j["closed"] = reach(d.closed);
    auto finding = [](const review::Finding& f) {
        return json{
            {"code", f.code}, {"severity", severityWord(f.severity)}, {"message", f.message}};
    };
    json appeared = json::array(), disappeared = json::array(), changed = json::array();
    for (const auto& f : d.findings.appeared)
        appeared.push_back(finding(f));
    for (const auto& f : d.findings.disappeared)
        disappeared.push_back(finding(f));
    for (const auto& c : d.findings.changed)
        changed.push_back({{"before", finding(c.before)}, {"after", finding(c.after)}});
    j["findings"] = {{"appeared", appeared}, {"disappeared", disappeared}, {"changed", changed}};
    json xs = json::array();
    for (const auto& x : d.exceptions) {
        json fields = json::array();
        for (const auto& f : x.fields)
            fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
        xs.push_back({{"change", x.kind == ExceptionChange::Kind::Added     ? "added"
                                 : x.kind == ExceptionChange::Kind::Removed ? "removed"
                                                                            : "changed"},
                      {"name", x.name},
                      {"whereOld", x.whereOld},
                      {"whereNew", x.whereNew},
                      {"summary", x.summary},
                      {"fields", fields},
                      {"widened", x.widened},
                      {"auditOld", x.verdictOld},
                      {"auditNew", x.verdictNew},
                      {"auditRulesOld", x.idsOld},
                      {"auditRulesNew", x.idsNew},
                      {"inForceOld", x.inForceOld},
                      {"inForceNew", x.inForceNew}});
    }
    j["exceptions"] = xs;
    json fws = json::array();
    for (const auto& f : d.firewalls) {
        json rules = json::array();
        for (const auto& r : f.rules)
            rules.push_back({{"change", r.kind == LoweredRuleChange::Kind::Added     ? "added"
                                        : r.kind == LoweredRuleChange::Kind::Removed ? "removed"
                                                                                     : "changed"},
                             {"fromZone", r.fromZone},
                             {"toZone", r.toZone},
                             {"rule", ref(r.rule)},
                             {"text", r.text},
                             {"before", r.before}});
        fws.push_back({{"name", f.name},
                       {"added", f.added},
                       {"removed", f.removed},
                       {"backends", f.backends},
                       {"backendsAdded", f.backendsAdded},
                       {"backendsRemoved", f.backendsRemoved},
                       {"interfaces", f.interfaceChanges},
                       {"rules", rules},
                       {"objects", f.objectChanges}});
    }
    j["firewalls"] = fws;
    return printableJson(j.dump(2)) + "\n";
}

namespace {

// Markdown text from policy strings: no HTML, no table or link syntax.
std::string md(std::string s) {
    std::string out;
    for (char c : printable(s))
        switch (c) {
        case '|':
        case '<':
        case '>':
        case '*':
        case '_':
        case '`':
        case '[':
        case ']':
        case '\\':
            out += '\\';
            out += c;
            break;
        default:
            out += c;
        }
    return out;
}

// Lines of Markdown, cut at a byte budget with a closing note.
class Budget {
public:
    explicit Budget(size_t max) : max_(max) {}
    bool add(const std::string& line) {
        if (cut_)
            return false;
        if (out_.size() + line.size() + 200 > max_) {
            cut_ = true;
            out_ += "\n_... cut to fit a merge-request comment; run `netsep diff --format text` "
                    "or `--format json` for the whole diff._\n";
            return false;
        }
        out_ += line;
        return true;
    }
    std::string take() { return std::move(out_); }

private:
    size_t max_;
    bool cut_ = false;
    std::string out_;
};

std::string mdRefs(const std::vector<RuleRef>& rs, const std::string& note) {
    if (rs.empty())
        return md(note);
    std::vector<std::string> parts;
    for (const auto& r : rs)
        parts.push_back(fmt::format("{} `{}` ({}{})", kindWord(r.kind), r.name, md(r.where),
                                    r.detail.empty() ? "" : "; " + md(r.detail)));
    return join(parts);
}

} // namespace

std::string diffMarkdown(const PolicyDiff& d, size_t maxBytes) {
    Budget b(maxBytes);
    b.add(fmt::format("### netsep diff: {} → {}\n\n", md(d.oldLabel), md(d.newLabel)));
    if (d.empty()) {
        b.add("No semantic change: the same flows, findings, exceptions and firewall rules.\n");
        return b.take();
    }
    b.add("**Summary:** " + md(summaryLine(d)) + " (as of " + d.asOf.str() + ")\n\n");
    if (d.needsApproval()) {
        b.add("> **Needs a second approver:**\n");
        for (const auto& r : d.approvalReasons)
            b.add("> - " + md(r) + "\n");
        b.add("\n");
    }
    auto reach = [&](const char* title, const std::vector<ReachChange>& v) {
        if (v.empty())
            return;
        b.add(fmt::format(
            "#### {}\n\n| from | to | services | NEW | OLD |\n|---|---|---|---|---|\n", title));
        for (const auto& rc : v)
            if (!b.add(fmt::format(
                    "| {} | {}{} | `{}` | {} | {} |\n", md(join(rc.from)), md(join(rc.to)),
                    rc.targets.empty() ? "" : " ⚠ " + md(join(rc.targets)), rc.services.str(),
                    mdRefs(rc.newRules, rc.newNote), mdRefs(rc.oldRules, rc.oldNote))))
                return;
        b.add("\n");
    };
    reach("Opened (newly allowed)", d.opened);
    reach("Closed (newly denied)", d.closed);
    if (!d.findings.empty()) {
        b.add("#### Findings\n\n");
        for (const auto& f : d.findings.appeared)
            b.add(fmt::format("- ➕ **{}** `{}` {}\n", severityWord(f.severity), f.code,
                              md(f.message)));
        for (const auto& f : d.findings.disappeared)
            b.add(fmt::format("- ➖ {} `{}` {}\n", severityWord(f.severity), f.code, md(f.message)));
        for (const auto& c : d.findings.changed)
            b.add(fmt::format("- ✏️ `{}` {} → {}: {}\n", c.after.code,
                              severityWord(c.before.severity), severityWord(c.after.severity),
                              md(c.after.message)));
        b.add("\n");
    }
    if (!d.exceptions.empty()) {
        b.add("#### Exceptions\n\n");
        for (const auto& x : d.exceptions) {
            std::string line = fmt::format(
                "- **{}** `{}` ({}): {}; {}",
                x.kind == ExceptionChange::Kind::Added     ? "added"
                : x.kind == ExceptionChange::Kind::Removed ? "removed"
                                                           : "changed",
                x.name,
                md(x.kind == ExceptionChange::Kind::Removed ? "OLD " + x.whereOld : x.whereNew),
                md(x.summary), md(verdicts(x)));
            for (const auto& f : x.fields)
                line += fmt::format("; {}: {} → {}", md(f.field), md(f.before), md(f.after));
            if (x.kind == ExceptionChange::Kind::Changed && x.widened)
                line += "; **widened**";
            b.add(line + "\n");
        }
        b.add("\n");
    }
    if (!d.firewalls.empty()) {
        b.add("#### Firewalls\n\n");
        for (const auto& f : d.firewalls) {
            b.add(fmt::format("<details><summary>{} [{}]{}: {} rule change{}</summary>\n\n```\n",
                              md(f.name), md(join(f.backends)),
                              f.added     ? " (new)"
                              : f.removed ? " (removed)"
                                          : "",
                              f.rules.size(), f.rules.size() == 1 ? "" : "s"));
            for (const auto& x : f.backendsAdded)
                b.add("+ backend " + printable(x) + "\n");
            for (const auto& x : f.backendsRemoved)
                b.add("- backend " + printable(x) + "\n");
            for (const auto& i : f.interfaceChanges)
                b.add(printable(i) + "\n");
            for (const auto& r : ruleLines(f))
                if (!b.add(fmt::format("{} {}\n", ruleSign(r.kind), printable(r.text))))
                    break;
            for (const auto& o : f.objectChanges)
                b.add("~ " + printable(o) + "\n");
            b.add("```\n\n</details>\n\n");
        }
    }
    return b.take();
}

} // namespace netsep::report
