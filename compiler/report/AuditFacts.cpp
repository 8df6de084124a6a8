#include "report/AuditFacts.hpp"

#include "audit/AuditRule.hpp"

#include <algorithm>

namespace netsep::report::facts {

namespace {

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

std::string serviceText(const model::Policy& p, bool any, const std::vector<uint32_t>& services) {
    if (any)
        return "any";
    std::vector<std::string> parts;
    for (uint32_t s : services) {
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

std::string endpointNames(const model::Policy& p, const std::vector<model::Endpoint>& es) {
    std::vector<std::string> names;
    for (const auto& e : es)
        names.push_back(p.endpointName(e));
    return joined(names);
}

} // namespace

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

const char* severityName(Severity s) {
    return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

std::string ruleTitle(Lang lang, const std::string& id) {
    if (const audit::AuditRule* r = audit::findAuditRule(id))
        return lang == Lang::Ko ? tr(lang, "rule." + id + ".checks") : r->checks;
    std::string key = "code." + id;
    return hasTranslation(lang, key) ? tr(lang, key) : std::string();
}

std::string ruleTraces(Lang lang, const std::string& id) {
    if (const audit::AuditRule* r = audit::findAuditRule(id))
        return lang == Lang::Ko ? tr(lang, "rule." + id + ".traces") : r->tracesTo;
    return {};
}

std::string waiverHop(const model::Policy& p, const model::Waiver& w) {
    std::string hop = endpointNames(p, w.from) + " -> " + endpointNames(p, w.to);
    if (!w.serviceAny) {
        std::vector<std::string> names;
        for (uint32_t s : w.services)
            names.push_back(p.services[s].name);
        hop += " service " + joined(names);
    }
    return hop;
}

std::string assumptionRefs(const model::Policy& p, Lang lang, const audit::HeldBack& h) {
    std::vector<std::string> parts;
    for (const auto& ref : h.by) {
        if (ref.kind == audit::AssumptionRef::Kind::Isolated) {
            parts.push_back(trf(lang, "ref.isolated", p.zones[ref.index].name));
        } else {
            const model::Waiver& w = p.waivers[ref.index];
            parts.push_back(trf(lang, "ref.waiver", waiverHop(p, w), w.ticket));
        }
    }
    std::string out = joined(parts, "; ");
    if (h.jointly && h.by.size() > 1)
        out += " (" + tr(lang, "ref.jointly") + ")";
    return out;
}

std::vector<ExceptionFacts> exceptions(const AuditInput& in) {
    const model::Policy& p = in.policy;
    std::vector<ExceptionFacts> out;
    for (const auto& st : in.audit.exceptions) {
        const model::Rule& r = p.rules[st.rule];
        const model::ExceptionInfo& x = *r.exception;
        ExceptionFacts f;
        f.rule = st.rule;
        f.name = r.name;
        f.where = in.sources.where(r.span);
        f.verdict = st.verdict;
        f.violations = st.ids;
        if (r.fromAny)
            f.sources.push_back("any");
        else
            for (const auto& e : r.from)
                f.sources.push_back(endpointText(p, e));
        if (r.identity)
            f.sources.push_back("as identity " + p.identities[*r.identity].name);
        if (r.toAny)
            f.destinations.push_back("any");
        for (const auto& e : r.to) {
            if (!r.toAny)
                f.destinations.push_back(endpointText(p, e));
            if (e.kind != model::Endpoint::Kind::Saas)
                continue;
            const auto& s = p.saas[e.index];
            f.endpoints.push_back(s.name);
            if (!s.provider.empty() &&
                std::find(f.providers.begin(), f.providers.end(), s.provider) == f.providers.end())
                f.providers.push_back(s.provider);
            for (const auto& n : s.networks)
                f.networks.push_back(n.str());
            f.fqdns.insert(f.fqdns.end(), s.fqdns.begin(), s.fqdns.end());
        }
        f.services = serviceText(p, r.serviceAny, r.services);
        f.purpose = x.purpose;
        if (x.basis) {
            static const char* kinds[] = {"no-action-letter", "sandbox", "saas-general"};
            f.basisId = x.basis->id;
            f.inlineBasis = x.basis->kind != model::LegalBasis::Kind::Letter;
            if (f.inlineBasis)
                f.basisKind = kinds[int(x.basis->kind)];
        }
        if (x.letter) {
            const model::Letter& l = p.letters[*x.letter];
            f.letter = x.letter;
            f.basisKind = model::letterKindName(l.kind);
            f.basisId = l.id;
            f.firm = l.firm;
            f.letterIssued = l.issued ? l.issued->str() : "";
            f.letterExpires = l.expires ? l.expires->str() : "";
            f.letterSha256 = l.documentSha256;
        } else if (x.basis && x.basis->issued) {
            f.letterIssued = x.basis->issued->str();
        }
        if (x.validFrom)
            f.validFrom = x.validFrom->str();
        model::Date end = x.validUntil ? std::min(x.expires, *x.validUntil) : x.expires;
        f.validUntil = end.str();
        f.expires = x.expires.str();
        f.daysLeft = st.daysLeft;
        f.approvedBy = x.approvedBy;
        f.killSwitch = x.killSwitch;
        f.logged = r.log;
        f.inForce = st.inForce;
        f.switchedOff = st.switchedOff;
        for (const auto& h : in.assumptions.heldBack)
            if (h.exception && *h.exception == st.rule)
                f.heldBack.push_back(&h);
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<LetterFacts> letters(const AuditInput& in) {
    const model::Policy& p = in.policy;
    std::vector<LetterFacts> out;
    for (uint32_t i = 0; i < p.letters.size(); ++i) {
        const model::Letter& l = p.letters[i];
        LetterFacts f;
        f.index = i;
        f.id = l.id;
        f.kind = model::letterKindName(l.kind);
        f.firm = l.firm;
        f.issued = l.issued ? l.issued->str() : "";
        f.expires = l.expires ? l.expires->str() : "";
        f.sha256 = l.documentSha256;
        f.where = in.sources.where(l.span);
        const model::Date asOf = in.audit.asOf;
        if (l.expires && asOf > *l.expires)
            f.state = LetterFacts::State::Lapsed;
        else if (l.issued && asOf < *l.issued)
            f.state = LetterFacts::State::NotYet;
        if (l.scope) {
            const model::LetterScope& s = *l.scope;
            f.scope.emplace_back("scope.purpose", joined(s.purposes));
            f.scope.emplace_back("scope.from", endpointNames(p, s.from));
            if (!s.to.empty())
                f.scope.emplace_back("scope.to", endpointNames(p, s.to));
            if (!s.providers.empty())
                f.scope.emplace_back("scope.provider", joined(s.providers));
            if (!s.services.empty())
                f.scope.emplace_back("scope.service", serviceText(p, false, s.services));
        }
        for (const auto& r : p.rules)
            if (r.exception && r.exception->letter == i)
                f.exceptions.push_back(r.name);
        out.push_back(std::move(f));
    }
    return out;
}

} // namespace netsep::report::facts
