#include "report/AuditReport.hpp"

#include "audit/AuditRule.hpp"
#include "audit/ExpiryCalendar.hpp"
#include "diag/Printable.hpp"
#include "report/AuditFacts.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

namespace netsep::report {

namespace {

using audit::ExceptionStatus;
using facts::joined;

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

struct Tally {
    size_t valid = 0, warning = 0, invalid = 0, errors = 0, warnings = 0;
};

Tally tally(const AuditInput& in) {
    Tally t;
    for (const auto& st : in.audit.exceptions)
        (st.verdict == ExceptionStatus::Verdict::Valid     ? t.valid
         : st.verdict == ExceptionStatus::Verdict::Warning ? t.warning
                                                           : t.invalid)++;
    for (const auto& f : in.audit.findings)
        (f.severity == Severity::Error ? t.errors : t.warnings)++;
    for (const auto& d : in.analysisFindings)
        (d.severity == Severity::Error ? t.errors : t.warnings)++;
    return t;
}

std::string verdict(Lang lang, ExceptionStatus::Verdict v) {
    return tr(lang, "verdict." + std::string(audit::verdictName(v)));
}

std::string severity(Lang lang, Severity s) {
    return tr(lang, std::string("severity.") + facts::severityName(s));
}

std::string basisText(Lang lang, const facts::ExceptionFacts& f) {
    if (f.basisKind.empty() && f.basisId.empty())
        return tr(lang, "basis.none");
    std::string kind = f.basisKind.empty() ? std::string() : tr(lang, "kind." + f.basisKind);
    return trf(lang, f.inlineBasis ? "basis.inline" : "basis.letter", kind, f.basisId);
}

std::string periodText(Lang lang, const facts::ExceptionFacts& f) {
    if (f.validFrom.empty())
        return tr(lang, "value.noStart");
    return trf(lang, "value.period", f.validFrom, f.validUntil,
               f.daysLeft ? std::to_string(*f.daysLeft) : std::string("?"));
}

std::string emittedText(Lang lang, const facts::ExceptionFacts& f) {
    return tr(lang, f.inForce       ? "value.yes"
                    : f.switchedOff ? "value.switchedOff"
                                    : "value.notEmitted");
}

// "52", or "52 (no decision for more than 30 days)", or "recorded ahead ...".
std::string engagedDays(Lang lang, const audit::KillSwitchStatus& k) {
    if (k.days < 0)
        return tr(lang, "ks.ahead");
    std::string out = std::to_string(k.days);
    if (k.undecided)
        out += " (" + tr(lang, "ks.undecided") + ")";
    return out;
}

std::string switchExceptions(const audit::KillSwitchStatus& k) {
    return std::to_string(k.exceptions) + " (" + std::to_string(k.exceptionsInForce) + ")";
}

std::string orNone(Lang lang, const std::string& s) {
    return s.empty() ? tr(lang, "value.none") : s;
}

const audit::ExceptionDeployment* deploymentOf(const AuditInput& in, uint32_t rule) {
    for (const auto& d : in.deployments)
        if (d.rule == rule)
            return &d;
    return nullptr;
}

// One line per carrying firewall, then the kill-switch files; or why the
// exception is not emitted. Empty when no deployment view was computed.
std::vector<std::string> deploymentLines(const AuditInput& in, Lang lang,
                                         const facts::ExceptionFacts& f) {
    std::vector<std::string> out;
    const audit::ExceptionDeployment* d = deploymentOf(in, f.rule);
    if (!d)
        return out;
    using Why = audit::ExceptionDeployment::NotEmitted;
    if (!d->emitted)
        out.push_back(tr(lang, d->notEmitted == Why::NotInForce          ? "deploy.notInForce"
                               : d->notEmitted == Why::KillSwitchEngaged ? "deploy.engaged"
                                                                         : "deploy.noFirewall"));
    std::vector<std::string> files;
    for (const auto& fw : d->firewalls) {
        std::string l = fw.firewall + ": " + joined(fw.zonePairs) + ", " +
                        trf(lang, "deploy.rules", fw.loweredRules);
        for (const auto& b : fw.backends) {
            l += "; " + b.backend + ": " + joined(b.rules);
            files.insert(files.end(), b.killSwitchFiles.begin(), b.killSwitchFiles.end());
        }
        if (!fw.markBit.empty())
            l += "; " + trf(lang, "deploy.bit", fw.markBit);
        out.push_back(l);
    }
    if (!files.empty())
        out.push_back(trf(lang, "deploy.ksFiles", f.killSwitch, joined(files)));
    if (!d->switchKeptOn.empty())
        out.push_back(trf(lang, "deploy.switchKept", joined(d->switchKeptOn)));
    return out;
}

std::string heldBackText(const AuditInput& in, const facts::ExceptionFacts& f) {
    std::vector<std::string> parts;
    for (const audit::HeldBack* h : f.heldBack)
        parts.push_back(h->id + ": " + facts::assumptionRefs(in.policy, in.lang, *h));
    return joined(parts, "; ");
}

std::string letterState(Lang lang, facts::LetterFacts::State s) {
    switch (s) {
    case facts::LetterFacts::State::InForce:
        return tr(lang, "state.inForce");
    case facts::LetterFacts::State::Lapsed:
        return tr(lang, "state.lapsed");
    case facts::LetterFacts::State::NotYet:
        return tr(lang, "state.notYet");
    }
    return {};
}

std::string scopeText(Lang lang, const facts::LetterFacts& l, const char* sep) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : l.scope)
        parts.push_back(tr(lang, key) + ": " + value);
    return joined(parts, sep);
}

// The rules of a delegation, by name.
std::string ruleNames(const model::Policy& p, const std::vector<uint32_t>& rules) {
    std::vector<std::string> names;
    for (uint32_t r : rules)
        names.push_back(p.rules[r].name);
    return joined(names);
}

std::vector<std::string> groupNames(const model::Policy& p, const std::vector<uint32_t>& groups) {
    std::vector<std::string> names;
    for (uint32_t g : groups)
        names.push_back(p.groups[g].name);
    return names;
}

struct CalendarRow {
    std::string date, daysLeft, kind, item, event;
};

std::vector<CalendarRow> calendar(const AuditInput& in, Lang lang) {
    const model::Policy& p = in.policy;
    std::vector<CalendarRow> out;
    for (const auto& e : audit::expiryCalendar(p, in.audit.asOf)) {
        CalendarRow row;
        row.date = e.date.str();
        row.daysLeft = std::to_string(e.date - in.audit.asOf);
        switch (e.kind) {
        case audit::CalendarEntry::Kind::Exception:
            row.kind = "exception";
            row.item = tr(lang, "cal.exception") + " " + p.rules[e.index].name;
            row.event = tr(lang, e.basisLapses ? "cal.basisLapses" : "cal.expires");
            break;
        case audit::CalendarEntry::Kind::Letter:
            row.kind = "letter";
            row.item = tr(lang, "cal.letter") + " " + p.letters[e.index].id;
            row.event = tr(lang, "cal.lapses");
            break;
        case audit::CalendarEntry::Kind::Waiver: {
            const model::Waiver& w = p.waivers[e.index];
            row.kind = "waiver";
            row.item =
                tr(lang, "cal.waiver") + " " + facts::waiverHop(p, w) + " (" + w.ticket + ")";
            row.event = tr(lang, "cal.waiverEnds");
            break;
        }
        case audit::CalendarEntry::Kind::Screening: {
            const model::Saas& s = p.saas[e.index];
            row.kind = "screening";
            row.item =
                tr(lang, "cal.screening") + " " + s.name + " (" + s.screeningRef.value_or("") + ")";
            row.event = tr(lang, "cal.screeningDue");
            break;
        }
        }
        out.push_back(std::move(row));
    }
    return out;
}

const char* drillStateName(audit::GroupDrill::State s) {
    switch (s) {
    case audit::GroupDrill::State::Current:
        return "current";
    case audit::GroupDrill::State::Stale:
        return "stale";
    case audit::GroupDrill::State::Failed:
        return "failed";
    case audit::GroupDrill::State::Never:
        break;
    }
    return "never";
}

// The catalogue key of a state: "drill." + its stable name.
std::string drillStateKey(audit::GroupDrill::State s) {
    return std::string("drill.") + drillStateName(s);
}

size_t exceptionFlows(const drill::DrillRecord& r) {
    return size_t(std::count_if(r.flows.begin(), r.flows.end(),
                                [](const auto& f) { return f.role == "exception"; }));
}

// The cells of one group's last drill, in the order of drillColumns.
std::vector<std::string> drillCells(Lang lang, const audit::GroupDrill& g) {
    if (!g.last)
        return {tr(lang, "drill.never"), "", "", "", "", "", ""};
    const auto& r = *g.last;
    size_t ex = exceptionFlows(r);
    return {trf(lang, "drill.daysAgo", r.date, g.ageDays),
            tr(lang, r.result == "passed" ? "drill.passedWord" : "drill.failedWord"),
            trf(lang, "drill.where", r.backend, r.firewall),
            trf(lang, "drill.flows", r.flows.size(), ex, r.flows.size() - ex),
            r.engageToCutMs ? trf(lang, "drill.ms", *r.engageToCutMs) : std::string("-"),
            g.samePolicy ? tr(lang, "drill.samePolicy")
                         : trf(lang, "drill.earlierPolicy", r.policyDigest),
            trf(lang, "drill.by", r.operatorName, r.ticket)};
}

const std::vector<const char*>& drillColumns() {
    static const std::vector<const char*> cols = {
        "col.lastDrill",   "col.result",        "col.drillTarget", "col.flows",
        "col.engageToCut", "col.policyVersion", "col.operator"};
    return cols;
}

size_t assumptionCount(const AuditInput& in) {
    return in.assumptions.waivers.size() + in.assumptions.isolated.size() +
           in.assumptions.delegations.size();
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

// ---- text ------------------------------------------------------------------
// The text report goes to terminals: strings the policy chose pass through
// printable() (a newline in a purpose would forge a report line).

std::string auditText(const AuditInput& in) {
    const Lang lang = in.lang;
    const auto& a = in.audit;
    const model::Policy& p = in.policy;
    const Tally t = tally(in);
    std::string out;
    auto line = [&](const std::string& s) { out += printable(s) + "\n"; };
    auto field = [&](const char* key, const std::string& value) {
        line("  " + tr(lang, key) + ": " + value);
    };
    auto heading = [&](const char* key) { out += "\n== " + tr(lang, key) + " ==\n"; };
    auto subheading = [&](const char* key) { out += "\n-- " + tr(lang, key) + " --\n"; };

    line(trf(lang, "report.titleText", p.name, a.asOf.str()));
    line(trf(lang, "summary.exceptions", a.exceptions.size(), t.valid, t.warning, t.invalid));
    line(trf(lang, "summary.findings", t.errors, t.warnings));
    line(trf(lang, "summary.assumptions", in.assumptions.waivers.size(),
             in.assumptions.isolated.size(), in.assumptions.delegations.size(),
             in.assumptions.heldBack.size()));

    heading("heading.provenance");
    field("prov.policy", p.name);
    field("prov.asOf", a.asOf.str());
    field("prov.version", in.provenance.version);
    field("prov.digest",
          in.provenance.digest.empty() ? tr(lang, "prov.noDigest") : in.provenance.digest);
    line("  " + tr(lang, "prov.files") + ":");
    for (const auto& [path, sha] : in.provenance.files)
        line("    " + sha + "  " + path);

    heading("heading.exceptions");
    auto rows = facts::exceptions(in);
    if (rows.empty())
        line(tr(lang, "exceptions.none"));
    for (const auto& f : rows) {
        out += "\n";
        line(f.name + "  [" + verdict(lang, f.verdict) + "]  " + f.where);
        field("col.source", joined(f.sources));
        field("col.destination", joined(f.destinations));
        if (!f.providers.empty())
            field("field.provider", joined(f.providers));
        if (!f.networks.empty())
            field("field.networks", joined(f.networks));
        if (!f.fqdns.empty())
            field("field.fqdns", joined(f.fqdns));
        field("field.services", f.services);
        field("field.purpose", orNone(lang, f.purpose));
        field("field.basis", basisText(lang, f));
        field("field.inForce", periodText(lang, f));
        field("field.approvedBy", orNone(lang, f.approvedBy));
        field("field.killSwitch", orNone(lang, f.killSwitch));
        field("field.logged", tr(lang, f.logged ? "value.yes" : "value.no"));
        field("field.emitted", emittedText(lang, f));
        for (const auto& l : deploymentLines(in, lang, f))
            field("field.deployed", l);
        field("col.violations", orNone(lang, joined(f.violations)));
        if (!f.heldBack.empty())
            field("field.assumes", heldBackText(in, f));
    }

    heading("heading.letters");
    auto letters = facts::letters(in);
    if (letters.empty())
        line(tr(lang, "letters.none"));
    for (const auto& l : letters) {
        out += "\n";
        line(l.id + "  [" + letterState(lang, l.state) + "]  " + l.where);
        field("col.kind", tr(lang, "kind." + l.kind));
        if (!l.firm.empty())
            field("col.firm", l.firm);
        field("col.issued", l.issued);
        field("col.expires", l.expires);
        field("col.scope", scopeText(lang, l, "; "));
        if (!l.sha256.empty())
            field("col.document", l.sha256);
        field("col.exceptions", orNone(lang, joined(l.exceptions)));
    }

    heading("heading.killSwitches");
    if (a.killSwitches.empty())
        line(tr(lang, "killSwitches.none"));
    for (const auto& k : a.killSwitches) {
        out += "\n";
        line(k.group + "  " + in.sources.where(k.span));
        field("col.since", k.since.str());
        field("col.daysEngaged", engagedDays(lang, k));
        field("col.orderedBy", k.orderedBy);
        field("col.ticket", k.ticket);
        field("col.reason", orNone(lang, k.reason));
        field("col.switchExceptions", switchExceptions(k));
    }

    if (in.drills) {
        const audit::DrillEvidence& d = *in.drills;
        heading("heading.drills");
        line(trf(lang, "drills.intro", d.dir, d.maxAgeDays));
        if (d.groups.empty())
            line(tr(lang, "drills.noGroups"));
        for (const auto& g : d.groups) {
            out += "\n";
            line(g.group + "  [" + tr(lang, drillStateKey(g.state)) + "]");
            if (!g.last)
                continue;
            auto cells = drillCells(lang, g);
            for (size_t i = 0; i < cells.size(); ++i)
                field(drillColumns()[i], cells[i]);
            field("col.record", g.last->file + " (sha256 " + g.last->sha256 + ")");
        }
        subheading("heading.drillRejected");
        if (d.rejected.empty())
            line(tr(lang, "drills.rejectedNone"));
        for (const auto& r : d.rejected)
            line("  " + r.file + ": " + r.problem);
    }

    heading("heading.assumptions");
    line(tr(lang, "assumptions.intro"));
    subheading("heading.waivers");
    if (in.assumptions.waivers.empty())
        line(tr(lang, "waivers.none"));
    else
        line(tr(lang, "waivers.intro"));
    for (const auto& wa : in.assumptions.waivers) {
        const model::Waiver& w = p.waivers[wa.waiver];
        out += "\n";
        line(facts::waiverHop(p, w) + "  " + in.sources.where(w.span));
        field("col.owner", w.owner.empty() ? tr(lang, "value.notStated") : w.owner);
        field("col.ticket", w.ticket);
        field("col.reason", w.because);
        std::string until = w.until.str() + " (" + trf(lang, "value.daysLeft", wa.daysLeft) + ")";
        if (!wa.live)
            until += " " + tr(lang, "waiver.expired");
        else if (!wa.matched)
            until += " " + tr(lang, "waiver.unused");
        field("col.until", until);
    }
    subheading("heading.isolated");
    if (in.assumptions.isolated.empty())
        line(tr(lang, "isolated.none"));
    else
        line(tr(lang, "isolated.intro"));
    for (const auto& ia : in.assumptions.isolated) {
        const model::Zone& z = p.zones[ia.zone];
        out += "\n";
        line(z.name + "  " + in.sources.where(z.span));
        field("col.groups", orNone(lang, joined(groupNames(p, ia.groups))));
        field("col.mustEnforce", trf(lang, "isolated.must", z.name));
    }
    subheading("heading.delegations");
    if (in.assumptions.delegations.empty())
        line(tr(lang, "delegations.none"));
    else
        line(tr(lang, "delegations.intro"));
    for (const auto& d : in.assumptions.delegations) {
        const model::Firewall& fw = p.firewalls[d.firewall];
        out += "\n";
        line(fw.name + "  " + in.sources.where(fw.span));
        field("col.trusted", d.trusted);
        field("col.backends",
              d.backends.empty() ? tr(lang, "delegations.noBackend") : joined(d.backends));
        if (!d.backends.empty())
            field("col.rules", orNone(lang, ruleNames(p, d.rules)));
    }
    subheading("heading.heldBack");
    if (in.assumptions.heldBack.empty()) {
        line(tr(lang, "heldBack.none"));
    } else {
        line(tr(lang, "heldBack.intro"));
        if (!in.assumptions.attributed)
            line(trf(lang, "heldBack.notAttributed", audit::kMaxAttributedAssumptions));
    }
    for (const auto& h : in.assumptions.heldBack) {
        out += "\n";
        line(in.sources.where(h.span) + ": " + h.id + ": " + h.message);
        field("col.heldBy", facts::assumptionRefs(p, lang, h));
    }

    heading("heading.calendar");
    auto cal = calendar(in, lang);
    if (cal.empty())
        line(tr(lang, "calendar.none"));
    for (const auto& c : cal)
        line(c.date + "  (" + trf(lang, "value.days", c.daysLeft) + ")  " + c.item + ": " +
             c.event);

    heading("heading.findings");
    if (lang == Lang::Ko)
        line(tr(lang, "findings.englishNote"));
    bool any = false;
    for (const auto& f : allFindings(in)) {
        any = true;
        line(in.sources.where(f.span) + ": " + severity(lang, f.severity) + "[" + f.id +
             "]: " + f.message);
    }
    if (!any)
        line(tr(lang, "findings.none"));

    heading("heading.rules");
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        line(fmt::format("{}  {:<7}  {}  {}", id, severity(lang, rule->severity),
                         trf(lang, "rules.counts", c.errors, c.warnings),
                         facts::ruleTitle(lang, id)));
    }
    return out;
}

// ---- JSON (English keys and values, whatever --lang says) -------------------

std::string auditJson(const AuditInput& in) {
    using nlohmann::ordered_json;
    const auto& a = in.audit;
    const model::Policy& p = in.policy;
    ordered_json j;
    j["policy"] = p.name;
    j["asOf"] = a.asOf.str();
    ordered_json prov;
    prov["netsepVersion"] = in.provenance.version;
    prov["policyDigest"] = in.provenance.digest;
    prov["files"] = ordered_json::array();
    for (const auto& [path, sha] : in.provenance.files)
        prov["files"].push_back({{"path", path}, {"sha256", sha}});
    j["provenance"] = std::move(prov);

    auto where = [&](SourceSpan span, ordered_json& o) {
        if (span.valid() && span.file < in.sources.size()) {
            o["file"] = in.sources.file(span.file).path;
            o["line"] = span.line;
            o["column"] = span.col;
        }
    };
    auto refsJson = [&](const audit::HeldBack& h) {
        ordered_json by = ordered_json::array();
        for (const auto& ref : h.by) {
            if (ref.kind == audit::AssumptionRef::Kind::Isolated)
                by.push_back({{"kind", "isolated"}, {"zone", p.zones[ref.index].name}});
            else
                by.push_back({{"kind", "waiver"},
                              {"hop", facts::waiverHop(p, p.waivers[ref.index])},
                              {"ticket", p.waivers[ref.index].ticket}});
        }
        return by;
    };

    ordered_json exceptions = ordered_json::array();
    for (const auto& f : facts::exceptions(in)) {
        ordered_json e;
        e["name"] = f.name;
        e["where"] = f.where;
        e["verdict"] = std::string(audit::verdictName(f.verdict));
        e["violations"] = f.violations;
        e["source"] = joined(f.sources);
        e["destination"] = joined(f.destinations);
        e["provider"] = joined(f.providers);
        e["networks"] = joined(f.networks);
        e["fqdns"] = joined(f.fqdns);
        e["services"] = f.services;
        e["purpose"] = f.purpose.empty() ? "(none)" : f.purpose;
        e["basis"] = f.basisKind.empty() && f.basisId.empty()
                         ? std::string("(none)")
                         : f.basisKind + (f.basisId.empty() ? "" : " " + f.basisId);
        e["letter"] = f.basisId;
        e["basisKind"] = f.basisKind;
        e["inlineBasis"] = f.inlineBasis;
        e["issued"] = f.letterIssued;
        e["validFrom"] = f.validFrom;
        e["validUntil"] = f.validUntil;
        e["expires"] = f.expires;
        if (f.daysLeft)
            e["daysLeft"] = *f.daysLeft;
        e["approvedBy"] = f.approvedBy.empty() ? "(none)" : f.approvedBy;
        e["killSwitch"] = f.killSwitch.empty() ? "(none)" : f.killSwitch;
        e["logged"] = f.logged;
        e["emitted"] = f.inForce;
        e["killSwitchEngaged"] = f.switchedOff;
        if (const audit::ExceptionDeployment* d = deploymentOf(in, f.rule)) {
            using Why = audit::ExceptionDeployment::NotEmitted;
            ordered_json dep;
            dep["emitted"] = d->emitted;
            dep["notEmitted"] = d->notEmitted == Why::None                ? ""
                                : d->notEmitted == Why::NotInForce        ? "not-in-force"
                                : d->notEmitted == Why::KillSwitchEngaged ? "kill-switch-engaged"
                                                                          : "no-firewall";
            ordered_json fws = ordered_json::array();
            for (const auto& fw : d->firewalls) {
                ordered_json x;
                x["firewall"] = fw.firewall;
                x["zonePairs"] = fw.zonePairs;
                x["rules"] = fw.loweredRules;
                x["conntrackBit"] = fw.markBit;
                ordered_json bs = ordered_json::array();
                for (const auto& b : fw.backends)
                    bs.push_back({{"backend", b.backend},
                                  {"deviceRules", b.rules},
                                  {"killSwitchFiles", b.killSwitchFiles}});
                x["backends"] = std::move(bs);
                fws.push_back(std::move(x));
            }
            dep["firewalls"] = std::move(fws);
            dep["killSwitchKeptOn"] = d->switchKeptOn;
            e["deployment"] = std::move(dep);
        }
        ordered_json held = ordered_json::array();
        for (const audit::HeldBack* h : f.heldBack)
            held.push_back({{"ruleId", h->id}, {"by", refsJson(*h)}});
        e["passesOnlyBecauseOf"] = std::move(held);
        exceptions.push_back(std::move(e));
    }
    j["exceptions"] = std::move(exceptions);

    ordered_json letters = ordered_json::array();
    for (const auto& l : facts::letters(in)) {
        ordered_json o;
        o["id"] = l.id;
        o["kind"] = l.kind;
        o["firm"] = l.firm;
        o["issued"] = l.issued;
        o["expires"] = l.expires;
        o["state"] = l.state == facts::LetterFacts::State::InForce  ? "in-force"
                     : l.state == facts::LetterFacts::State::Lapsed ? "lapsed"
                                                                    : "not-yet-in-force";
        ordered_json scope;
        for (const auto& [key, value] : l.scope)
            scope[key.substr(6)] = value; // "scope.purpose" -> "purpose"
        o["scope"] = std::move(scope);
        o["documentSha256"] = l.sha256;
        o["exceptions"] = l.exceptions;
        o["where"] = l.where;
        letters.push_back(std::move(o));
    }
    j["letters"] = std::move(letters);

    ordered_json switches = ordered_json::array();
    for (const auto& k : a.killSwitches) {
        ordered_json s;
        s["group"] = k.group;
        s["since"] = k.since.str();
        s["days"] = k.days;
        s["orderedBy"] = k.orderedBy;
        s["ticket"] = k.ticket;
        s["reason"] = k.reason;
        s["exceptions"] = k.exceptions;
        s["exceptionsValid"] = k.exceptionsInForce;
        s["undecided"] = k.undecided;
        s["where"] = in.sources.where(k.span);
        switches.push_back(std::move(s));
    }
    j["killSwitchesEngaged"] = std::move(switches);
    if (in.drills) {
        ordered_json d;
        d["dir"] = in.drills->dir;
        d["maxAgeDays"] = in.drills->maxAgeDays;
        ordered_json groups = ordered_json::array();
        for (const auto& g : in.drills->groups) {
            ordered_json o;
            o["group"] = g.group;
            o["state"] = drillStateName(g.state);
            o["drills"] = g.drills;
            if (g.last) {
                const auto& r = *g.last;
                ordered_json l;
                l["date"] = r.date;
                l["startedUtc"] = r.startedUtc;
                l["ageDays"] = g.ageDays;
                l["result"] = r.result;
                l["firewall"] = r.firewall;
                l["backend"] = r.backend;
                l["exceptions"] = r.exceptions;
                l["flows"] = r.flows.size();
                l["exceptionFlows"] = exceptionFlows(r);
                l["engageToCutMs"] =
                    r.engageToCutMs ? ordered_json(*r.engageToCutMs) : ordered_json(nullptr);
                l["policyDigest"] = r.policyDigest;
                l["samePolicy"] = g.samePolicy;
                l["operator"] = r.operatorName;
                l["ticket"] = r.ticket;
                l["failedChecks"] = r.failedChecks;
                l["file"] = r.file;
                l["recordSha256"] = r.sha256;
                o["lastDrill"] = std::move(l);
            } else {
                o["lastDrill"] = nullptr;
            }
            groups.push_back(std::move(o));
        }
        d["groups"] = std::move(groups);
        ordered_json rejected = ordered_json::array();
        for (const auto& r : in.drills->rejected)
            rejected.push_back({{"file", r.file}, {"problem", r.problem}});
        d["rejected"] = std::move(rejected);
        j["killSwitchDrills"] = std::move(d);
    }

    ordered_json as;
    ordered_json waivers = ordered_json::array();
    for (const auto& wa : in.assumptions.waivers) {
        const model::Waiver& w = p.waivers[wa.waiver];
        ordered_json o;
        o["hop"] = facts::waiverHop(p, w);
        o["owner"] = w.owner;
        o["ticket"] = w.ticket;
        o["reason"] = w.because;
        o["until"] = w.until.str();
        o["daysLeft"] = wa.daysLeft;
        o["live"] = wa.live;
        o["matched"] = wa.matched;
        where(w.span, o);
        waivers.push_back(std::move(o));
    }
    as["waivers"] = std::move(waivers);
    ordered_json isolated = ordered_json::array();
    for (const auto& ia : in.assumptions.isolated) {
        const model::Zone& z = p.zones[ia.zone];
        ordered_json o;
        o["zone"] = z.name;
        o["groups"] = groupNames(p, ia.groups);
        o["enforcedBy"] = "network";
        o["mustEnforce"] = trf(Lang::En, "isolated.must", z.name);
        where(z.span, o);
        isolated.push_back(std::move(o));
    }
    as["isolatedZones"] = std::move(isolated);
    ordered_json delegations = ordered_json::array();
    for (const auto& d : in.assumptions.delegations) {
        const model::Firewall& fw = p.firewalls[d.firewall];
        ordered_json o;
        o["firewall"] = fw.name;
        o["trusted"] = d.trusted;
        o["backendsWithoutIdentity"] = d.backends;
        std::vector<std::string> rules;
        for (uint32_t r : d.rules)
            rules.push_back(p.rules[r].name);
        o["rulesWithoutIdentity"] = rules;
        where(fw.span, o);
        delegations.push_back(std::move(o));
    }
    as["identityDelegations"] = std::move(delegations);
    ordered_json held = ordered_json::array();
    for (const auto& h : in.assumptions.heldBack) {
        ordered_json o;
        o["ruleId"] = h.id;
        o["message"] = h.message;
        where(h.span, o);
        if (h.exception)
            o["exception"] = p.rules[*h.exception].name;
        o["by"] = refsJson(h);
        o["jointly"] = h.jointly;
        held.push_back(std::move(o));
    }
    as["heldBack"] = std::move(held);
    as["attributedOneByOne"] = in.assumptions.attributed;
    j["assumptions"] = std::move(as);

    ordered_json cal = ordered_json::array();
    {
        for (const auto& c : calendar(in, Lang::En))
            cal.push_back({{"date", c.date},
                           {"daysLeft", std::stoi(c.daysLeft)},
                           {"kind", c.kind},
                           {"item", c.item},
                           {"event", c.event}});
    }
    j["expiryCalendar"] = std::move(cal);

    ordered_json findings = ordered_json::array();
    for (const auto& f : allFindings(in)) {
        ordered_json o;
        o["ruleId"] = f.id;
        o["severity"] = facts::severityName(f.severity);
        o["message"] = f.message;
        where(f.span, o);
        findings.push_back(std::move(o));
    }
    j["findings"] = std::move(findings);
    ordered_json summary = ordered_json::array();
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        summary.push_back({{"ruleId", id},
                           {"severity", facts::severityName(rule->severity)},
                           {"checks", rule->checks},
                           {"tracesTo", rule->tracesTo},
                           {"errors", c.errors},
                           {"warnings", c.warnings}});
    }
    j["summary"] = std::move(summary);
    ZoneMatrix m = zoneMatrix(p, in.graph);
    ordered_json matrix = ordered_json::array();
    for (size_t r = 0; r < m.rows.size(); ++r)
        for (size_t c = 0; c < m.cols.size(); ++c)
            if (!m.cells[r][c].empty())
                matrix.push_back(
                    {{"from", m.rows[r]}, {"to", m.cols[c]}, {"services", m.cells[r][c]}});
    j["zoneMatrix"] = std::move(matrix);
    return printableJson(j.dump(2)) + "\n";
}

// ---- HTML --------------------------------------------------------------------

std::string auditHtml(const AuditInput& in) {
    const Lang lang = in.lang;
    const auto& a = in.audit;
    const model::Policy& p = in.policy;
    const Tally t = tally(in);
    std::string o;
    auto T = [&](const char* key) { return html(tr(lang, key)); };
    // Short values (dates, counts, states) never wrap; everything else may
    // break anywhere, so no table is wider than the page.
    auto th = [&](std::initializer_list<const char*> keys) {
        static const std::set<std::string_view> narrow = {
            "col.verdict", "col.expires", "col.daysLeft", "col.issued",
            "col.state",   "col.date",    "col.until",    "col.severity"};
        o += "<tr>";
        for (const char* k : keys)
            o += std::string(narrow.count(k) ? "<th class=\"nw\">" : "<th>") + T(k) + "</th>";
        o += "</tr>\n";
    };
    auto nw = [](const std::string& cellHtml) { return "<td class=\"nw\">" + cellHtml + "</td>"; };
    auto h2 = [&](const char* id, const char* key) {
        o += std::string("<h2 id=\"") + id + "\">" + T(key) + "</h2>\n";
    };
    auto h3 = [&](const char* id, const char* key) {
        o += std::string("<h3 id=\"") + id + "\">" + T(key) + "</h3>\n";
    };
    auto para = [&](const std::string& text) { o += "<p>" + html(text) + "</p>\n"; };

    o += "<!DOCTYPE html>\n<html lang=\"";
    o += langTag(lang);
    o += "\">\n<head>\n<meta charset=\"utf-8\">\n";
    o += "<title>" + html(trf(lang, "report.title", p.name)) + " (" + a.asOf.str() + ")</title>\n";
    o += R"(<style>
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Malgun Gothic","Apple SD Gothic Neo",sans-serif;margin:2em auto;padding:0 1em;color:#1a1a1a;max-width:1200px}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #ddd;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .3em}h4{font-size:.95em;margin:1em 0 .3em}
p,td,li,code,h1,h2,h3,h4{overflow-wrap:anywhere}th{overflow-wrap:break-word}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}.detail th{width:12em}
.valid{background:#e3f6e3}.warning{background:#fff4d6}.invalid{background:#fbe0e0}
.error{color:#a40000;font-weight:bold}.warn{color:#8a5a00;font-weight:bold}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:7em}
.card b{display:block;font-size:1.6em}
.assume{border-left:4px solid #8a5a00;padding-left:.8em}
th.nw,td.nw{white-space:nowrap}
.matrix{table-layout:fixed}.matrix td,.matrix th{font-size:.8em}.matrix td.allow{background:#eef4ff}
nav ul{columns:2;padding-left:1.2em}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}nav{display:none}}
</style>
</head>
<body>
)";
    o += "<h1>" + html(trf(lang, "report.title", p.name)) + "</h1>\n";
    o += "<p>" + T("prov.asOf") + ": <b>" + a.asOf.str() + "</b>. " + T("report.generated");
    if (!p.owner.empty())
        o += " " + T("report.owner") + ": " + html(p.owner) + ".";
    o += "</p>\n";

    static const std::pair<const char*, const char*> sections[] = {
        {"provenance", "heading.provenance"},     {"summary", "heading.summary"},
        {"exceptions", "heading.exceptions"},     {"letters", "heading.letters"},
        {"killswitches", "heading.killSwitches"}, {"assumptions", "heading.assumptions"},
        {"calendar", "heading.calendar"},         {"matrix", "heading.matrix"},
        {"findings", "heading.findings"},         {"rules", "heading.rules"}};
    o += "<nav><ul>\n";
    for (const auto& [id, key] : sections) {
        o += std::string("<li><a href=\"#") + id + "\">" + T(key) + "</a></li>\n";
        if (in.drills && std::string_view(id) == "killswitches")
            o += "<li><a href=\"#drills\">" + T("heading.drills") + "</a></li>\n";
    }
    o += "</ul></nav>\n";

    h2("provenance", "heading.provenance");
    o += "<table class=\"detail\">\n";
    auto row2 = [&](const std::string& label, const std::string& valueHtml) {
        o += "<tr><th>" + label + "</th><td>" + valueHtml + "</td></tr>\n";
    };
    row2(T("prov.policy"), html(p.name));
    row2(T("prov.asOf"), a.asOf.str());
    row2(T("prov.version"), html(in.provenance.version));
    row2(T("prov.digest"), in.provenance.digest.empty()
                               ? T("prov.noDigest")
                               : "<code>" + html(in.provenance.digest) + "</code>");
    std::string files;
    for (const auto& [path, sha] : in.provenance.files)
        files += "<code>" + html(sha) + "  " + html(path) + "</code><br>";
    row2(T("prov.files"), files);
    o += "</table>\n";
    para(tr(lang, "prov.digestNote"));

    h2("summary", "heading.summary");
    o += "<div class=\"cards\">\n";
    auto card = [&](const char* cls, size_t n, const std::string& label) {
        o += fmt::format("<div class=\"card{}\"><b>{}</b>{}</div>\n", cls, n, label);
    };
    card("", a.exceptions.size(), T("card.exceptions"));
    card(" valid", t.valid, T("verdict.valid"));
    card(" warning", t.warning, T("verdict.warning"));
    card(" invalid", t.invalid, T("verdict.invalid"));
    card("", t.errors, T("card.errors"));
    card("", t.warnings, T("card.warnings"));
    card("", assumptionCount(in), T("card.assumptions"));
    card("", in.assumptions.heldBack.size(), T("card.heldBack"));
    o += "</div>\n";

    h2("exceptions", "heading.exceptions");
    auto rows = facts::exceptions(in);
    o += "<table>\n";
    th({"col.exception", "col.verdict", "col.source", "col.destination", "col.expires",
        "col.daysLeft", "col.killSwitch", "col.violations"});
    for (const auto& f : rows) {
        std::string v = audit::verdictName(f.verdict);
        o += "<tr class=\"" + v + "\"><td><a href=\"#x-" + html(f.name) + "\">" + html(f.name) +
             "</a></td>" + nw(html(verdict(lang, f.verdict))) + "<td>" + html(joined(f.sources)) +
             "</td><td>" + html(joined(f.destinations)) + "</td>" + nw(html(f.validUntil)) +
             nw(f.daysLeft ? std::to_string(*f.daysLeft) : std::string()) + "<td>" +
             html(orNone(lang, f.killSwitch)) + "</td><td>" +
             html(orNone(lang, joined(f.violations))) + "</td></tr>\n";
    }
    if (rows.empty())
        o += "<tr><td colspan=\"8\">" + T("exceptions.none") + "</td></tr>\n";
    o += "</table>\n";
    for (const auto& f : rows) {
        std::string v = audit::verdictName(f.verdict);
        o += "<h3 id=\"x-" + html(f.name) + "\">" + html(f.name) + " <small>(" +
             html(verdict(lang, f.verdict)) + ", <code>" + html(f.where) +
             "</code>)</small></h3>\n<table class=\"detail " + v + "\">\n";
        auto field = [&](const char* key, const std::string& value) { row2(T(key), html(value)); };
        field("col.source", joined(f.sources));
        field("col.destination", joined(f.destinations));
        field("field.provider", f.providers.empty() ? "-" : joined(f.providers));
        field("field.networks", f.networks.empty() ? "-" : joined(f.networks));
        field("field.fqdns", f.fqdns.empty() ? "-" : joined(f.fqdns));
        field("field.services", f.services);
        field("field.purpose", orNone(lang, f.purpose));
        field("field.basis", basisText(lang, f));
        field("field.inForce", periodText(lang, f));
        field("field.approvedBy", orNone(lang, f.approvedBy));
        field("field.killSwitch", orNone(lang, f.killSwitch));
        field("field.logged", tr(lang, f.logged ? "value.yes" : "value.no"));
        field("field.emitted", emittedText(lang, f));
        if (auto lines = deploymentLines(in, lang, f); !lines.empty()) {
            std::string cell;
            for (const auto& l : lines)
                cell += (cell.empty() ? "" : "<br>") + html(l);
            row2(T("field.deployed"), cell);
        }
        field("col.violations", orNone(lang, joined(f.violations)));
        if (!f.heldBack.empty())
            field("field.assumes", heldBackText(in, f));
        o += "</table>\n";
    }

    h2("letters", "heading.letters");
    auto letters = facts::letters(in);
    if (letters.empty()) {
        para(tr(lang, "letters.none"));
    } else {
        o += "<table>\n";
        th({"col.letter", "col.kind", "col.firm", "col.issued", "col.expires", "col.state",
            "col.scope", "col.document", "col.exceptions"});
        for (const auto& l : letters)
            o += "<tr><td>" + html(l.id) + "</td><td>" + html(tr(lang, "kind." + l.kind)) +
                 "</td><td>" + html(l.firm) + "</td>" + nw(html(l.issued)) + nw(html(l.expires)) +
                 nw(html(letterState(lang, l.state))) + "<td>" + html(scopeText(lang, l, "; ")) +
                 "</td><td><code>" + html(l.sha256) + "</code></td><td>" +
                 html(joined(l.exceptions)) + "</td></tr>\n";
        o += "</table>\n";
    }

    h2("killswitches", "heading.killSwitches");
    if (a.killSwitches.empty()) {
        para(tr(lang, "killSwitches.none"));
    } else {
        o += "<table>\n";
        th({"col.group", "col.since", "col.daysEngaged", "col.orderedBy", "col.ticket",
            "col.reason", "col.switchExceptions", "col.location"});
        for (const auto& k : a.killSwitches)
            o += std::string("<tr") + (k.undecided ? " class=\"warning\"" : "") + "><td>" +
                 html(k.group) + "</td>" + nw(k.since.str()) + "<td>" + html(engagedDays(lang, k)) +
                 "</td><td>" + html(k.orderedBy) + "</td><td>" + html(k.ticket) + "</td><td>" +
                 html(orNone(lang, k.reason)) + "</td><td>" + html(switchExceptions(k)) +
                 "</td><td><code>" + html(in.sources.where(k.span)) + "</code></td></tr>\n";
        o += "</table>\n";
    }

    if (in.drills) {
        const audit::DrillEvidence& d = *in.drills;
        h2("drills", "heading.drills");
        para(trf(lang, "drills.intro", d.dir, d.maxAgeDays));
        if (d.groups.empty()) {
            para(tr(lang, "drills.noGroups"));
        } else {
            o += "<table>\n<tr><th>" + T("col.group") + "</th><th class=\"nw\">" + T("col.state") +
                 "</th>";
            for (const char* c : drillColumns())
                o += "<th>" + T(c) + "</th>";
            o += "</tr>\n";
            for (const auto& g : d.groups) {
                const char* cls = g.state == audit::GroupDrill::State::Current  ? "valid"
                                  : g.state == audit::GroupDrill::State::Failed ? "invalid"
                                                                                : "warning";
                o += std::string("<tr class=\"") + cls + "\"><td>" + html(g.group) + "</td>" +
                     nw(T(drillStateKey(g.state).c_str()));
                auto cells = drillCells(lang, g);
                for (const auto& c : cells)
                    o += "<td>" + html(c) + "</td>";
                o += "</tr>\n";
            }
            o += "</table>\n";
        }
        h3("drill-rejected", "heading.drillRejected");
        if (d.rejected.empty())
            para(tr(lang, "drills.rejectedNone"));
        else {
            o += "<ul>\n";
            for (const auto& r : d.rejected)
                o += "<li class=\"error\"><code>" + html(r.file) + "</code>: " + html(r.problem) +
                     "</li>\n";
            o += "</ul>\n";
        }
    }

    h2("assumptions", "heading.assumptions");
    o += "<div class=\"assume\">\n";
    para(tr(lang, "assumptions.intro"));
    h3("waivers", "heading.waivers");
    if (in.assumptions.waivers.empty()) {
        para(tr(lang, "waivers.none"));
    } else {
        para(tr(lang, "waivers.intro"));
        o += "<table>\n";
        th({"col.hop", "col.owner", "col.ticket", "col.reason", "col.until", "col.daysLeft",
            "col.location"});
        for (const auto& wa : in.assumptions.waivers) {
            const model::Waiver& w = p.waivers[wa.waiver];
            std::string state = !wa.live      ? " " + tr(lang, "waiver.expired")
                                : !wa.matched ? " " + tr(lang, "waiver.unused")
                                              : std::string();
            o += "<tr><td>" + html(facts::waiverHop(p, w)) + "</td><td>" +
                 html(w.owner.empty() ? tr(lang, "value.notStated") : w.owner) + "</td><td>" +
                 html(w.ticket) + "</td><td>" + html(w.because) + "</td>" + nw(w.until.str()) +
                 nw(std::to_string(wa.daysLeft) + html(state)) + "<td><code>" +
                 html(in.sources.where(w.span)) + "</code></td></tr>\n";
        }
        o += "</table>\n";
    }
    h3("isolated", "heading.isolated");
    if (in.assumptions.isolated.empty()) {
        para(tr(lang, "isolated.none"));
    } else {
        para(tr(lang, "isolated.intro"));
        o += "<table>\n";
        th({"col.zone", "col.groups", "col.mustEnforce", "col.location"});
        for (const auto& ia : in.assumptions.isolated) {
            const model::Zone& z = p.zones[ia.zone];
            o += "<tr><td>" + html(z.name) + "</td><td>" +
                 html(orNone(lang, joined(groupNames(p, ia.groups)))) + "</td><td>" +
                 html(trf(lang, "isolated.must", z.name)) + "</td><td><code>" +
                 html(in.sources.where(z.span)) + "</code></td></tr>\n";
        }
        o += "</table>\n";
    }
    h3("delegations", "heading.delegations");
    if (in.assumptions.delegations.empty()) {
        para(tr(lang, "delegations.none"));
    } else {
        para(tr(lang, "delegations.intro"));
        o += "<table>\n";
        th({"col.firewall", "col.trusted", "col.backends", "col.rules", "col.location"});
        for (const auto& d : in.assumptions.delegations) {
            const model::Firewall& fw = p.firewalls[d.firewall];
            o += "<tr><td>" + html(fw.name) + "</td><td>" + html(d.trusted) + "</td><td>" +
                 html(d.backends.empty() ? tr(lang, "delegations.noBackend") : joined(d.backends)) +
                 "</td><td>" + html(ruleNames(p, d.rules)) + "</td><td><code>" +
                 html(in.sources.where(fw.span)) + "</code></td></tr>\n";
        }
        o += "</table>\n";
    }
    h3("held-back", "heading.heldBack");
    if (in.assumptions.heldBack.empty()) {
        para(tr(lang, "heldBack.none"));
    } else {
        para(tr(lang, "heldBack.intro"));
        if (!in.assumptions.attributed)
            para(trf(lang, "heldBack.notAttributed", audit::kMaxAttributedAssumptions));
        o += "<table>\n";
        th({"col.rule", "col.location", "col.finding", "col.heldBy"});
        for (const auto& h : in.assumptions.heldBack)
            o += "<tr><td><code>" + html(h.id) + "</code></td><td><code>" +
                 html(in.sources.where(h.span)) + "</code></td><td>" + html(h.message) +
                 "</td><td>" + html(facts::assumptionRefs(p, lang, h)) + "</td></tr>\n";
        o += "</table>\n";
    }
    o += "</div>\n";

    h2("calendar", "heading.calendar");
    auto cal = calendar(in, lang);
    if (cal.empty()) {
        para(tr(lang, "calendar.none"));
    } else {
        o += "<table>\n";
        th({"col.date", "col.daysLeft", "col.item", "col.event"});
        for (const auto& c : cal)
            o += "<tr>" + nw(c.date) + nw(c.daysLeft) + "<td>" + html(c.item) + "</td><td>" +
                 html(c.event) + "</td></tr>\n";
        o += "</table>\n";
    }

    ZoneMatrix m = zoneMatrix(p, in.graph);
    h2("matrix", "heading.matrix");
    para(tr(lang, "matrix.intro"));
    o += "<table class=\"matrix\">\n<tr><th>" + T("matrix.corner") + "</th>";
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

    h2("findings", "heading.findings");
    if (lang == Lang::Ko)
        para(tr(lang, "findings.englishNote"));
    o += "<table>\n";
    th({"col.rule", "col.title", "col.severity", "col.location", "col.finding"});
    auto findings = allFindings(in);
    for (const auto& f : findings)
        o += "<tr><td><code>" + html(f.id) + "</code></td><td>" +
             html(facts::ruleTitle(lang, f.id)) + "</td><td class=\"nw " +
             (f.severity == Severity::Error ? "error" : "warn") + "\">" +
             html(severity(lang, f.severity)) + "</td><td><code>" + html(in.sources.where(f.span)) +
             "</code></td><td>" + html(f.message) + "</td></tr>\n";
    if (findings.empty())
        o += "<tr><td colspan=\"5\">" + T("findings.none") + "</td></tr>\n";
    o += "</table>\n";

    h2("rules", "heading.rules");
    o += "<table>\n";
    th({"col.rule", "col.severity", "col.title", "col.tracesTo", "col.errors", "col.warnings"});
    for (const auto& [id, c] : countsByRule(a)) {
        const audit::AuditRule* rule = audit::findAuditRule(id);
        o += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                         "<td>{}</td></tr>\n",
                         id, html(severity(lang, rule->severity)), html(facts::ruleTitle(lang, id)),
                         html(facts::ruleTraces(lang, id)), c.errors, c.warnings);
    }
    o += "</table>\n</body>\n</html>\n";
    return o;
}

// ---- SARIF notes ------------------------------------------------------------

std::vector<Diagnostic> assumptionNotes(const AuditInput& in) {
    const model::Policy& p = in.policy;
    std::vector<Diagnostic> out;
    auto note = [&](const char* code, SourceSpan span, std::string message) {
        Diagnostic d;
        d.severity = Severity::Note;
        d.code = code;
        d.span = span;
        d.message = std::move(message);
        out.push_back(std::move(d));
    };
    for (const auto& wa : in.assumptions.waivers) {
        const model::Waiver& w = p.waivers[wa.waiver];
        note("ASM-001", w.span,
             "risk acceptance: waived hop " + facts::waiverHop(p, w) + ", owner " +
                 (w.owner.empty() ? std::string("(not stated)") : w.owner) + ", ticket " +
                 w.ticket + ", reason \"" + w.because + "\", until " + w.until.str() + " (" +
                 std::to_string(wa.daysLeft) + " days left" + (wa.live ? "" : ", expired") +
                 "): the traffic passes, the analysis does not count it as lateral movement");
    }
    for (const auto& ia : in.assumptions.isolated) {
        const model::Zone& z = p.zones[ia.zone];
        note("ASM-002", z.span,
             "assumption: zone " + z.name +
                 " is isolated; no emitted rule enforces it, the network must: " +
                 trf(Lang::En, "isolated.must", z.name));
    }
    for (const auto& d : in.assumptions.delegations) {
        const model::Firewall& fw = p.firewalls[d.firewall];
        note("ASM-003", fw.span,
             "identity delegation: on firewall " + fw.name + ", " +
                 (d.backends.empty() ? std::string("no backend drops identity")
                                     : "backends " + joined(d.backends) +
                                           " emit rules without their identity condition (" +
                                           ruleNames(p, d.rules) + ")") +
                 "; " + d.trusted + " is trusted to enforce identity");
    }
    for (const auto& h : in.assumptions.heldBack) {
        note("ASM-004", h.span,
             "passes only because of assumptions (" + facts::assumptionRefs(p, Lang::En, h) +
                 "): " + h.id + " " + h.message);
    }
    return out;
}

} // namespace netsep::report
