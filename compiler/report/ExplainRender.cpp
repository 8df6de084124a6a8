// `netsep explain` renderers: text and JSON.
#include "report/Review.hpp"

#include "diag/Printable.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace netsep::report {

namespace {

using json = nlohmann::ordered_json;
using review::DecidingRule;
using review::Decision;
using review::Explanation;
using review::FlowEnd;
using review::Outcome;
using review::Verdict;

const char* kindWord(model::RuleKind k) {
    switch (k) {
    case model::RuleKind::Access:
        return "access";
    case model::RuleKind::Deny:
        return "deny";
    case model::RuleKind::Exception:
        return "exception";
    }
    return "access";
}

const char* outcomeKey(Outcome o) {
    switch (o) {
    case Outcome::Allowed:
        return "allowed";
    case Outcome::Denied:
        return "denied";
    case Outcome::Partial:
        return "partial";
    case Outcome::SameZone:
        return "same-zone";
    case Outcome::NoFirewall:
        return "no-firewall";
    case Outcome::NotOwned:
        return "not-owned";
    }
    return "denied";
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? sep : "") + v[i];
    return out;
}

std::string ruleText(const DecidingRule& r) {
    std::string out = fmt::format("{} {} ({})", kindWord(r.kind), r.policyRule, r.where);
    if (!r.identity.empty())
        out += fmt::format(", as {} (group \"{}\" at {})", r.identity, r.identityGroup,
                           r.identityProvider);
    if (!r.killSwitch.empty())
        out += ", kill-switch group " + r.killSwitch;
    if (r.log)
        out += ", logged";
    return out;
}

std::string servicesText(const Explanation& e, const Decision& d, bool last) {
    if (last && !d.rule && e.serviceText == "any" && d.services != e.services)
        return "everything else";
    return d.services.str();
}

std::string endText(const FlowEnd& end) {
    std::string addr = model::formatAddress(end.address.family, end.address.addr);
    return end.byName ? fmt::format("{} (host {} stands for it)", end.text, addr) : addr;
}

json ruleJson(const DecidingRule& r) {
    return {{"name", r.policyRule},
            {"where", r.where},
            {"kind", kindWord(r.kind)},
            {"log", r.log},
            {"killSwitch", r.killSwitch.empty() ? json(nullptr) : json(r.killSwitch)},
            {"identity", r.identity.empty() ? json(nullptr)
                                            : json({{"name", r.identity},
                                                    {"group", r.identityGroup},
                                                    {"provider", r.identityProvider}})}};
}

} // namespace

std::string explainText(const Explanation& e, const std::string& policyPath) {
    std::string out;
    out += fmt::format("flow {} -> {} service {}\n", e.query.src, e.query.dst,
                       e.query.service.empty() ? "any" : e.query.service);
    if (!e.error.empty())
        return out + "error: " + e.error + "\n";
    // Describing owners needs the policy; the explanation carries names.
    auto owner = [&](const FlowEnd& end) {
        return end.ownerText.empty() ? std::string("no zone or saas endpoint") : end.ownerText;
    };
    out += fmt::format("  from {}: {}\n", endText(e.src), owner(e.src));
    out += fmt::format("  to   {}: {}\n", endText(e.dst), owner(e.dst));
    out += fmt::format("  service {}\n", e.serviceText);
    out += fmt::format("verdict: {}\n", review::outcomeName(e.outcome));
    if (!e.note.empty())
        out += "  " + e.note + "\n";

    std::vector<std::string> identityLines;
    for (const auto& pass : e.firewalls) {
        out += fmt::format("\nfirewall {} ({}): zone pair {} -> {} ({} -> {})\n", pass.firewall,
                           join(pass.backends), pass.fromZone, pass.toZone, join(pass.inInterfaces),
                           join(pass.outInterfaces));
        if (!pass.zonePair)
            out += "  no rule for this zone pair: the firewall drops it (default deny)\n";
        for (size_t i = 0; i < pass.decisions.size(); ++i) {
            const Decision& d = pass.decisions[i];
            std::string what = servicesText(e, d, i + 1 == pass.decisions.size());
            if (!d.rule) {
                if (pass.zonePair)
                    out += fmt::format("  {}: deny, default deny (no rule of {} -> {} matches)\n",
                                       what, pass.fromZone, pass.toZone);
                continue;
            }
            out += fmt::format("  {}: {} by {}\n", what, review::verdictName(d.verdict),
                               ruleText(*d.rule));
            for (const auto& o : d.overridden)
                out += fmt::format("    deny overrides {} {} ({}), which would allow it\n",
                                   kindWord(o.kind), o.policyRule, o.where);
            if (!d.rule->identity.empty()) {
                std::string who =
                    pass.identityEnforcedBy
                        ? "enforced by " + *pass.identityEnforcedBy + " (identity-enforced-by)"
                        : std::string("enforced by nothing: compile fails (E501) until the "
                                      "firewall says identity-enforced-by");
                identityLines.push_back(fmt::format(
                    "  {}: only identity {} (group \"{}\" at {}); {} matches addresses only, {}",
                    d.rule->policyRule, d.rule->identity, d.rule->identityGroup,
                    d.rule->identityProvider, pass.firewall, who));
            }
        }
    }
    if (!identityLines.empty())
        out += "\nidentity:\n" + join(identityLines, "\n") + "\n";
    if (!e.exceptions.empty()) {
        out += "\nexceptions:\n";
        for (const auto& x : e.exceptions) {
            std::string state =
                x.inForce
                    ? fmt::format("in force, expires {} ({} days left)", x.expires, x.daysLeft)
                    : (x.daysLeft < 0 ? fmt::format("expired on {}, not emitted", x.expires)
                                      : fmt::format("not yet issued ({}), not emitted", x.issued));
            out += fmt::format("  {} ({}): {}{}\n", x.rule, x.where, state,
                               x.decides ? "; it allows this flow" : "; it would allow this flow");
            std::vector<std::string> parts;
            if (!x.purpose.empty())
                parts.push_back("purpose " + x.purpose);
            if (!x.basis.empty())
                parts.push_back("basis " + x.basis +
                                (x.issued.empty() ? "" : " issued " + x.issued));
            if (!x.approvedBy.empty())
                parts.push_back("approved by " + x.approvedBy);
            if (!parts.empty())
                out += "    " + join(parts, "; ") + "\n";
            if (!x.killSwitch.empty())
                out += fmt::format("    kill-switch group {}: armed; cut it with netsep killswitch "
                                   "{} {} -o DIR\n",
                                   x.killSwitch, policyPath, x.killSwitch);
            else
                out += "    no kill-switch group: it cannot be cut on its own (AIX-009)\n";
            if (!x.verdict.empty())
                out += fmt::format("    audit: {}{}\n", x.verdict,
                                   x.ids.empty() ? "" : " (" + join(x.ids) + ")");
        }
    }
    if (!e.waivers.empty()) {
        out += "\nwaivers (accepted lateral-movement risk on this hop):\n";
        for (const auto& w : e.waivers)
            out += fmt::format("  waive hop {} ({}): ticket {}, {} {} ({} days {}): {}\n", w.hop,
                               w.where, w.ticket, w.live ? "until" : "expired on", w.until,
                               std::abs(w.daysLeft), w.live ? "left" : "ago", w.because);
    }
    if (e.suggestion) {
        const auto& s = *e.suggestion;
        out += "\nsmallest change that would allow it:\n";
        out += "  " + s.text + "\n";
        if (!s.statement.empty())
            out += "    " + s.statement + "\n";
        if (!s.firewalls.empty())
            out += "  lands on: " + join(s.firewalls) + "\n";
        if (s.raises.empty()) {
            out += "  it raises no finding\n";
        } else {
            out += "  it would raise:\n";
            for (const auto& f : s.raises)
                out += fmt::format("    {}[{}]: {}\n",
                                   f.severity == Severity::Error     ? "error"
                                   : f.severity == Severity::Warning ? "warning"
                                                                     : "note",
                                   f.code, f.message);
        }
    } else if (e.outcome == Outcome::Denied && e.serviceText == "any") {
        out += "\n(name a service to get the smallest change that would allow it)\n";
    }
    return printable(out, true);
}

namespace {

json explainObject(const Explanation& e) {
    json j;
    j["query"] = {{"source", e.query.src},
                  {"destination", e.query.dst},
                  {"service", e.query.service.empty() ? json("any") : json(e.query.service)}};
    if (!e.error.empty()) {
        j["error"] = e.error;
        return j;
    }
    j["error"] = nullptr;
    auto end = [](const FlowEnd& f) {
        return json{{"address", model::formatAddress(f.address.family, f.address.addr)},
                    {"byName", f.byName},
                    {"zone", f.zoneName.empty() ? json(nullptr) : json(f.zoneName)},
                    {"groups", f.groupNames},
                    {"saas", f.saasName.empty() ? json(nullptr) : json(f.saasName)},
                    {"endpoint", f.endpointName.empty() ? json(nullptr) : json(f.endpointName)}};
    };
    j["source"] = end(e.src);
    j["destination"] = end(e.dst);
    j["service"] = e.services.str();
    j["verdict"] = outcomeKey(e.outcome);
    j["note"] = e.note.empty() ? json(nullptr) : json(e.note);
    json fws = json::array();
    for (const auto& pass : e.firewalls) {
        json ds = json::array();
        for (const auto& d : pass.decisions) {
            json over = json::array();
            for (const auto& o : d.overridden)
                over.push_back(ruleJson(o));
            ds.push_back({{"services", d.services.str()},
                          {"verdict", review::verdictName(d.verdict)},
                          {"rule", d.rule ? ruleJson(*d.rule) : json(nullptr)},
                          {"overrides", over}});
        }
        fws.push_back({{"name", pass.firewall},
                       {"backends", pass.backends},
                       {"fromZone", pass.fromZone},
                       {"toZone", pass.toZone},
                       {"in", pass.inInterfaces},
                       {"out", pass.outInterfaces},
                       {"zonePair", pass.zonePair},
                       {"verdict", pass.allowsAll()   ? "allow"
                                   : pass.deniesAll() ? "deny"
                                                      : "partial"},
                       {"identityEnforcedBy",
                        pass.identityEnforcedBy ? json(*pass.identityEnforcedBy) : json(nullptr)},
                       {"decisions", ds}});
    }
    j["firewalls"] = fws;
    json xs = json::array();
    for (const auto& x : e.exceptions)
        xs.push_back({{"name", x.rule},
                      {"where", x.where},
                      {"inForce", x.inForce},
                      {"decides", x.decides},
                      {"issued", x.issued.empty() ? json(nullptr) : json(x.issued)},
                      {"expires", x.expires},
                      {"daysLeft", x.daysLeft},
                      {"basis", x.basis},
                      {"purpose", x.purpose},
                      {"approvedBy", x.approvedBy},
                      {"killSwitch", x.killSwitch.empty() ? json(nullptr) : json(x.killSwitch)},
                      {"audit", x.verdict},
                      {"auditRules", x.ids}});
    j["exceptions"] = xs;
    json ws = json::array();
    for (const auto& w : e.waivers)
        ws.push_back({{"hop", w.hop},
                      {"where", w.where},
                      {"ticket", w.ticket},
                      {"because", w.because},
                      {"until", w.until},
                      {"daysLeft", w.daysLeft},
                      {"live", w.live}});
    j["waivers"] = ws;
    if (e.suggestion) {
        const auto& s = *e.suggestion;
        json raises = json::array();
        for (const auto& f : s.raises)
            raises.push_back({{"code", f.code},
                              {"severity", f.severity == Severity::Error     ? "error"
                                           : f.severity == Severity::Warning ? "warning"
                                                                             : "note"},
                              {"message", f.message}});
        const char* kind = s.kind == review::Suggestion::Kind::AddRule      ? "add-rule"
                           : s.kind == review::Suggestion::Kind::WidenRule  ? "widen-rule"
                           : s.kind == review::Suggestion::Kind::NarrowDeny ? "narrow-deny"
                                                                            : "renew-exception";
        j["suggestion"] = {{"kind", kind},   {"text", s.text},           {"statement", s.statement},
                           {"rule", s.rule}, {"firewalls", s.firewalls}, {"raises", raises}};
    } else {
        j["suggestion"] = nullptr;
    }
    return j;
}

} // namespace

std::string explainJson(const Explanation& e) {
    return printableJson(explainObject(e).dump(2)) + "\n";
}

std::string explainJsonArray(const std::vector<Explanation>& es) {
    json a = json::array();
    for (const auto& e : es)
        a.push_back(explainObject(e));
    return printableJson(a.dump(2)) + "\n";
}

} // namespace netsep::report
