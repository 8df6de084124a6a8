#include "review/Explain.hpp"

#include "analysis/Analysis.hpp"
#include "analysis/WaivedPaths.hpp"
#include "lower/Lowering.hpp"
#include "review/FlowMatch.hpp"
#include "sema/ServiceSpec.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace netsep::review {

namespace {

using analysis::ServiceSpace;
using model::Endpoint;
using model::Family;

// Does one of `ends` name the zone, a group or the saas endpoint of `o`?
bool covers(const std::vector<Endpoint>& ends, const Owner& o) {
    for (const Endpoint& e : ends) {
        switch (e.kind) {
        case Endpoint::Kind::Zone:
            if (o.zone && *o.zone == e.index)
                return true;
            break;
        case Endpoint::Kind::Group:
            if (std::find(o.groups.begin(), o.groups.end(), e.index) != o.groups.end())
                return true;
            break;
        case Endpoint::Kind::Saas:
            if (o.saas && *o.saas == e.index)
                return true;
            break;
        }
    }
    return false;
}

ServiceSpace spaceOfRule(const model::Policy& p, const model::Rule& r) {
    if (r.serviceAny)
        return ServiceSpace::all();
    ServiceSpace s;
    for (uint32_t i : r.services)
        s = s.unite(ServiceSpace::of(p.services.at(i)));
    return s;
}

DecidingRule decidingRule(const lower::LoweredRule& r) {
    return {r.policyRule, r.where,    r.kind,          r.log,
            r.killSwitch, r.identity, r.identityGroup, r.identityProvider};
}

std::string escapeName(std::string s) {
    // Rule names in suggestions: a policy name ([A-Za-z0-9_][A-Za-z0-9_.:/*-]*).
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            c = '-';
    return s;
}

} // namespace

bool FirewallPass::allowsAll() const {
    return !decisions.empty() && std::all_of(decisions.begin(), decisions.end(), [](const auto& d) {
        return d.verdict == Verdict::Allow;
    });
}

bool FirewallPass::deniesAll() const {
    return std::all_of(decisions.begin(), decisions.end(),
                       [](const auto& d) { return d.verdict == Verdict::Deny; });
}

const char* verdictName(Verdict v) {
    return v == Verdict::Allow ? "allow" : "deny";
}

const char* outcomeName(Outcome o) {
    switch (o) {
    case Outcome::Allowed:
        return "allowed";
    case Outcome::Denied:
        return "denied";
    case Outcome::Partial:
        return "partly allowed";
    case Outcome::SameZone:
        return "same zone";
    case Outcome::NoFirewall:
        return "no firewall";
    case Outcome::NotOwned:
        return "not in the policy";
    }
    return "denied";
}

struct Explainer::State {
    State(const model::Policy& p, const SourceManager& s, model::Date d)
        : policy(p), sources(s), asOf(d), index(p),
          lowered(lower::lowerPolicy(p, s, lower::LoweringOptions{d, {}, 0})) {
        for (size_t f = 0; f < lowered.size(); ++f) {
            matchers.emplace_back(lowered[f]);
            const auto& fw = lowered[f];
            auto decl = std::find_if(p.firewalls.begin(), p.firewalls.end(),
                                     [&](const model::Firewall& x) { return x.name == fw.name; });
            decls.push_back(&*decl);
        }
    }

    const model::Policy& policy;
    const SourceManager& sources;
    model::Date asOf;
    AddressIndex index;
    std::vector<lower::LoweredFirewall> lowered;
    std::vector<FirewallMatcher> matchers;
    std::vector<const model::Firewall*> decls;
    bool suggestions = true;

    // The checks of the unchanged policy, for exception verdicts and as the
    // baseline of a suggestion's new findings; computed on first use.
    mutable std::once_flag baselineOnce;
    mutable Checked baseline;
    mutable std::vector<Finding> baselineFindings;
    mutable std::mutex memoLock;
    mutable std::map<std::string, std::vector<Finding>> raisedMemo; // by change

    const Checked& checked() const {
        std::call_once(baselineOnce, [&] {
            baseline = checkModel(policy, asOf);
            baselineFindings = collectFindings(policy, *baseline.analysis, *baseline.audit);
        });
        return baseline;
    }

    bool resolve(FlowEnd& end, std::optional<Family> family, std::string& error) const;
    std::optional<uint32_t> attachZone(const model::Firewall& fw, const Owner& o) const;
    std::optional<Suggestion> suggest(const Explanation& e, const ServiceSpace& denied,
                                      const std::optional<uint32_t>& namedService,
                                      const std::optional<model::ServiceEntry>& clause) const;
    std::vector<Finding> raisedBy(const std::string& key, const model::Policy& changed) const;
};

Explainer::Explainer(const model::Policy& policy, const SourceManager& sources, model::Date asOf,
                     bool suggest)
    : s_(std::make_unique<State>(policy, sources, asOf)) {
    s_->suggestions = suggest;
}

Explainer::~Explainer() = default;

bool Explainer::State::resolve(FlowEnd& end, std::optional<Family> family,
                               std::string& error) const {
    if (auto host = parseHost(end.text)) {
        end.address = *host;
    } else if (auto ep = analysis::findEndpoint(policy, end.text)) {
        auto rep = index.representative(*ep, family);
        if (!rep && family)
            rep = index.representative(*ep);
        if (!rep) {
            error = "'" + end.text +
                    "' has no addresses (an FQDN-only saas endpoint cannot be "
                    "matched by address)";
            return false;
        }
        end.byName = true;
        end.address = *rep;
    } else {
        error = "'" + end.text +
                "' is neither a host address nor a zone, group or saas endpoint of the policy";
        return false;
    }
    end.owner = index.ownerOf(end.address.family, end.address.addr);
    end.endpoint = AddressIndex::mostSpecific(end.owner);
    if (end.owner.owned())
        end.ownerText = index.describe(end.owner);
    if (end.owner.zone)
        end.zoneName = policy.zones[*end.owner.zone].name;
    if (end.owner.saas)
        end.saasName = policy.saas[*end.owner.saas].name;
    for (uint32_t g : end.owner.groups)
        end.groupNames.push_back(policy.groups[g].name);
    if (end.endpoint)
        end.endpointName = policy.endpointName(*end.endpoint);
    return true;
}

std::optional<uint32_t> Explainer::State::attachZone(const model::Firewall& fw,
                                                     const Owner& o) const {
    auto onFirewall = [&](uint32_t z) {
        return std::any_of(fw.interfaces.begin(), fw.interfaces.end(),
                           [&](const model::Interface& i) { return i.zone == z; });
    };
    if (o.zone)
        return onFirewall(*o.zone) ? o.zone : std::nullopt;
    if (o.saas) {
        // As lowering attaches it: its `behind` zone, else the firewall's
        // first interface in an internet zone.
        if (auto behind = policy.saas[*o.saas].behindZone)
            return onFirewall(*behind) ? behind : std::nullopt;
        for (const auto& i : fw.interfaces) {
            auto kind = policy.zones[i.zone].kind;
            if (kind && *kind == model::ZoneKind::Internet)
                return i.zone;
        }
    }
    return std::nullopt;
}

std::vector<Finding> Explainer::State::raisedBy(const std::string& key,
                                                const model::Policy& changed) const {
    {
        std::lock_guard<std::mutex> lock(memoLock);
        if (auto it = raisedMemo.find(key); it != raisedMemo.end())
            return it->second;
    }
    checked();
    Checked after = checkModel(changed, asOf);
    auto delta =
        diffFindings(baselineFindings, collectFindings(changed, *after.analysis, *after.audit));
    std::vector<Finding> raised = delta.appeared;
    for (const auto& c : delta.changed)
        if (c.after.severity > c.before.severity)
            raised.push_back(c.after);
    std::lock_guard<std::mutex> lock(memoLock);
    raisedMemo.emplace(key, raised);
    return raised;
}

std::optional<Suggestion>
Explainer::State::suggest(const Explanation& e, const ServiceSpace& denied,
                          const std::optional<uint32_t>& namedService,
                          const std::optional<model::ServiceEntry>& clause) const {
    if (!e.src.endpoint || !e.dst.endpoint)
        return std::nullopt;
    const std::string srcName = policy.endpointName(*e.src.endpoint);
    const std::string dstName = policy.endpointName(*e.dst.endpoint);
    Suggestion s;
    for (const auto& pass : e.firewalls)
        s.firewalls.push_back(pass.firewall);
    model::Policy changed = policy;
    // The service the change adds: the one asked for by name, a policy
    // service that is exactly the denied part, or the clause as typed.
    std::optional<uint32_t> service = namedService;
    std::string serviceText;
    if (!service)
        for (uint32_t i = 0; i < policy.services.size() && !service; ++i)
            if (!policy.services[i].isInline && ServiceSpace::of(policy.services[i]) == denied)
                service = i;
    if (service) {
        serviceText = policy.services[*service].name;
    } else if (clause) {
        model::Service inl;
        inl.name = e.query.service;
        inl.entries = {*clause};
        inl.isInline = true;
        service = uint32_t(changed.services.size());
        changed.services.push_back(std::move(inl));
        serviceText = e.query.service;
    } else {
        return std::nullopt;
    }
    auto addService = [&](model::Rule& r) {
        if (!r.serviceAny &&
            std::find(r.services.begin(), r.services.end(), *service) == r.services.end())
            r.services.push_back(*service);
    };

    // Denies that decide part of it: an allow alone would not get through.
    std::vector<std::string> denies;
    for (const auto& pass : e.firewalls)
        for (const auto& d : pass.decisions)
            if (d.verdict == Verdict::Deny && d.rule && d.rule->kind == model::RuleKind::Deny &&
                std::find(denies.begin(), denies.end(), d.rule->policyRule) == denies.end())
                denies.push_back(d.rule->policyRule);
    auto withoutDenies = [&](std::string text) {
        for (const auto& name : denies) {
            text += ", and narrow deny " + name + " (deny overrides allow)";
            auto& rules = changed.rules;
            rules.erase(std::remove_if(rules.begin(), rules.end(),
                                       [&](const model::Rule& r) { return r.name == name; }),
                        rules.end());
        }
        return text;
    };

    // 1. A deny decides and an allow would let it through: narrow the deny.
    for (const auto& pass : e.firewalls)
        for (const auto& d : pass.decisions)
            if (d.verdict == Verdict::Deny && d.rule && d.rule->kind == model::RuleKind::Deny &&
                !d.overridden.empty()) {
                s.kind = Suggestion::Kind::NarrowDeny;
                s.rule = d.rule->policyRule;
                s.where = d.rule->where;
                s.text = "narrow deny " + s.rule + " so that it no longer covers " + srcName +
                         " -> " + dstName + " " + serviceText + " (deny overrides " +
                         d.overridden.front().policyRule +
                         "); the findings below are those of "
                         "removing it altogether, an upper bound";
                s.statement = "deny " + s.rule + " (" + s.where + ")";
                auto& rules = changed.rules;
                rules.erase(std::remove_if(rules.begin(), rules.end(),
                                           [&](const model::Rule& r) { return r.name == s.rule; }),
                            rules.end());
                s.raises = raisedBy("narrow " + s.rule, changed);
                return s;
            }

    // 2. An exception would allow it but is not in force: renew it.
    for (uint32_t i = 0; i < policy.rules.size(); ++i) {
        const model::Rule& r = policy.rules[i];
        if (r.kind != model::RuleKind::Exception || model::inForce(r, asOf) ||
            !covers(r.from, e.src.owner) || !covers(r.to, e.dst.owner) ||
            spaceOfRule(policy, r).intersect(denied).empty())
            continue;
        s.kind = Suggestion::Kind::RenewException;
        s.rule = r.name;
        s.where = sources.where(r.span);
        s.text = "exception " + r.name + " would allow it but is not in force on " + asOf.str() +
                 ": renew it (a new basis and expiry), or issue it";
        s.statement = "exception " + r.name + " (" + s.where + ")";
        model::Rule& c = changed.rules[i];
        if (c.exception->basis && c.exception->basis->issued && asOf < *c.exception->basis->issued)
            c.exception->basis->issued = asOf;
        if (c.exception->expires < asOf)
            c.exception->expires = asOf;
        s.raises = raisedBy("renew " + r.name, changed);
        return s;
    }

    // 3. An access rule covers both ends with other services: widen it.
    for (uint32_t i = 0; i < policy.rules.size(); ++i) {
        const model::Rule& r = policy.rules[i];
        if (r.kind != model::RuleKind::Access || !covers(r.from, e.src.owner) ||
            !covers(r.to, e.dst.owner))
            continue;
        s.kind = Suggestion::Kind::WidenRule;
        s.rule = r.name;
        s.where = sources.where(r.span);
        s.statement = "access " + r.name + " { ... service ..., " + serviceText + " }";
        addService(changed.rules[i]);
        s.text = withoutDenies("add service " + serviceText + " to access " + r.name);
        s.raises = raisedBy(s.text, changed);
        return s;
    }

    // 4. A new access rule between the most specific endpoints.
    s.kind = Suggestion::Kind::AddRule;
    std::string name = escapeName("allow-" + srcName + "-to-" + dstName);
    for (int n = 2; std::any_of(policy.rules.begin(), policy.rules.end(),
                                [&](const model::Rule& r) { return r.name == name; });
         ++n)
        name = escapeName("allow-" + srcName + "-to-" + dstName) + "-" + std::to_string(n);
    s.rule = name;
    s.text = "add an access rule from " + srcName + " to " + dstName + " for " + serviceText;
    s.statement = "access " + name + " { from " + srcName + " to " + dstName + " service " +
                  serviceText + "\n    justification \"...\" owner \"...\" }";
    model::Rule r;
    r.kind = model::RuleKind::Access;
    r.name = name;
    r.from = {*e.src.endpoint};
    r.to = {*e.dst.endpoint};
    r.services = {*service};
    r.justification = "suggested by netsep explain";
    r.owner = "netsep explain";
    changed.rules.push_back(std::move(r));
    s.text = withoutDenies(s.text);
    s.raises = raisedBy(s.text, changed);
    return s;
}

Explanation Explainer::explain(const FlowQuery& q) const {
    const State& st = *s_;
    const model::Policy& policy = st.policy;
    Explanation e;
    e.query = q;
    e.src.text = q.src;
    e.dst.text = q.dst;

    // Service: a policy service, a protocol clause, or everything.
    std::optional<uint32_t> named;
    std::optional<model::ServiceEntry> clause;
    if (q.service.empty() || q.service == "any") {
        e.services = ServiceSpace::all();
        e.serviceText = "any";
    } else {
        for (uint32_t i = 0; i < policy.services.size() && !named; ++i)
            if (!policy.services[i].isInline && policy.services[i].name == q.service)
                named = i;
        if (named) {
            e.services = ServiceSpace::of(policy.services[*named]);
            e.serviceText = q.service + " (" + e.services.str() + ")";
        } else if (sema::looksLikeServiceSpec(q.service)) {
            std::string err;
            clause = sema::parseServiceEntry(q.service, err);
            if (!clause) {
                e.error = "service '" + q.service + "': " + err;
                return e;
            }
            e.services = ServiceSpace::of(*clause);
            e.serviceText = e.services.str();
        } else {
            e.error = "'" + q.service +
                      "' is neither a service of the policy nor a clause such as tcp/443";
            return e;
        }
    }

    // Ends: addresses first, so a name takes a host of the other's family.
    std::optional<Family> family;
    if (auto h = parseHost(q.src))
        family = h->family;
    else if (auto h2 = parseHost(q.dst))
        family = h2->family;
    if (!st.resolve(e.src, family, e.error))
        return e;
    if (!st.resolve(e.dst, e.src.address.family, e.error))
        return e;
    if (e.src.address.family != e.dst.address.family) {
        e.error = "source and destination are of different address families";
        return e;
    }
    const Family fam = e.src.address.family;
    // icmp applies to IPv4 packets only, icmpv6 to IPv6 ones.
    model::ServiceEntry otherIcmp;
    otherIcmp.proto = fam == Family::V4 ? model::Proto::Icmpv6 : model::Proto::Icmp;
    e.services = e.services.subtract(ServiceSpace::of(otherIcmp));
    if (e.services.empty()) {
        e.error = "service '" + q.service + "' cannot occur between IPv" +
                  (fam == Family::V4 ? "4" : "6") + " addresses";
        return e;
    }

    // Exceptions and waivers around the flow (whatever the firewalls say).
    const Checked& base = st.checked();
    for (uint32_t i = 0; i < policy.rules.size(); ++i) {
        const model::Rule& r = policy.rules[i];
        if (r.kind != model::RuleKind::Exception || !covers(r.from, e.src.owner) ||
            !covers(r.to, e.dst.owner) || spaceOfRule(policy, r).intersect(e.services).empty())
            continue;
        ExceptionNote n;
        const model::ExceptionInfo& x = *r.exception;
        n.rule = r.name;
        n.where = st.sources.where(r.span);
        n.inForce = model::inForce(r, st.asOf);
        n.expires = x.expires.str();
        n.daysLeft = x.expires - st.asOf;
        n.killSwitch = x.killSwitch;
        n.purpose = x.purpose;
        n.approvedBy = x.approvedBy;
        if (x.basis) {
            n.basis = x.basis->id.empty() ? std::string("saas-general") : x.basis->id;
            if (x.basis->issued)
                n.issued = x.basis->issued->str();
        }
        for (const auto& status : base.audit->exceptions)
            if (status.rule == i) {
                n.verdict = status.verdict == audit::ExceptionStatus::Verdict::Valid ? "valid"
                            : status.verdict == audit::ExceptionStatus::Verdict::Warning
                                ? "warning"
                                : "invalid";
                n.ids = status.ids;
            }
        e.exceptions.push_back(std::move(n));
    }
    for (const model::Waiver& w : policy.waivers) {
        if (!covers(w.from, e.src.owner) || !covers(w.to, e.dst.owner))
            continue;
        ServiceSpace ws;
        if (w.serviceAny)
            ws = ServiceSpace::all();
        for (uint32_t s : w.services)
            ws = ws.unite(ServiceSpace::of(policy.services.at(s)));
        if (ws.intersect(e.services).empty())
            continue;
        e.waivers.push_back({analysis::waiverHopText(policy, w), w.ticket, w.because, w.until.str(),
                             st.sources.where(w.span), w.until - st.asOf, st.asOf <= w.until});
    }

    if (!e.src.owner.owned() || !e.dst.owner.owned()) {
        e.outcome = Outcome::NotOwned;
        e.note = std::string(e.src.owner.owned() ? "the destination" : "the source") +
                 " belongs to no zone or saas endpoint: no firewall of the policy has a zone "
                 "pair for it, so each one drops it (default deny)";
        return e;
    }
    if (e.src.owner.zone && e.dst.owner.zone && *e.src.owner.zone == *e.dst.owner.zone) {
        const model::Zone& z = policy.zones[*e.src.owner.zone];
        e.outcome = Outcome::SameZone;
        e.note = "both hosts are in zone " + z.name +
                 ": no firewall lies between them, every service reaches";
        if (z.isolated)
            e.note += "; the zone is declared isolated, an assumption the network must enforce "
                      "(private VLAN, host firewall): no rule netsep emits does";
        return e;
    }

    // Every firewall with interfaces in both zones, from its lowered rules.
    for (size_t f = 0; f < st.lowered.size(); ++f) {
        const model::Firewall& decl = *st.decls[f];
        auto from = st.attachZone(decl, e.src.owner);
        auto to = st.attachZone(decl, e.dst.owner);
        if (!from || !to || *from == *to)
            continue;
        const lower::LoweredFirewall& fw = st.lowered[f];
        FirewallPass pass;
        pass.firewall = fw.name;
        pass.backends = fw.backends;
        pass.fromZone = policy.zones[*from].name;
        pass.toZone = policy.zones[*to].name;
        for (const auto& i : decl.interfaces) {
            if (i.zone == *from)
                pass.inInterfaces.push_back(i.name);
            if (i.zone == *to)
                pass.outInterfaces.push_back(i.name);
        }
        pass.identityEnforcedBy = decl.identityEnforcedBy;
        const lower::ZonePair* pair = st.matchers[f].pair(pass.fromZone, pass.toZone);
        pass.zonePair = pair != nullptr;
        ServiceSpace rest = e.services;
        if (pair) {
            for (size_t k = 0; k < pair->rules.size() && !rest.empty(); ++k) {
                const lower::LoweredRule& r = pair->rules[k];
                if (!st.matchers[f].matches(r, e.src.address, e.dst.address))
                    continue;
                ServiceSpace hit = rest.intersect(spaceOfMatch(r.match));
                if (hit.empty())
                    continue;
                Decision d;
                d.services = hit;
                d.verdict = r.action == lower::Action::Accept ? Verdict::Allow : Verdict::Deny;
                d.rule = decidingRule(r);
                if (d.verdict == Verdict::Deny)
                    for (size_t later = k + 1; later < pair->rules.size(); ++later) {
                        const lower::LoweredRule& a = pair->rules[later];
                        if (a.action == lower::Action::Accept &&
                            st.matchers[f].matches(a, e.src.address, e.dst.address) &&
                            !hit.intersect(spaceOfMatch(a.match)).empty() &&
                            std::none_of(d.overridden.begin(), d.overridden.end(),
                                         [&](const DecidingRule& o) {
                                             return o.policyRule == a.policyRule;
                                         }))
                            d.overridden.push_back(decidingRule(a));
                    }
                pass.decisions.push_back(std::move(d));
                rest = rest.subtract(hit);
            }
        }
        if (!rest.empty())
            pass.decisions.push_back({rest, Verdict::Deny, std::nullopt, {}});
        e.firewalls.push_back(std::move(pass));
    }
    for (auto& n : e.exceptions)
        for (const auto& pass : e.firewalls)
            for (const auto& d : pass.decisions)
                if (d.rule && d.rule->policyRule == n.rule && d.verdict == Verdict::Allow)
                    n.decides = true;

    if (e.firewalls.empty()) {
        e.outcome = Outcome::NoFirewall;
        e.note =
            "no firewall of the policy has interfaces in both zones (" +
            policy.endpointName(e.src.owner.zone ? Endpoint{Endpoint::Kind::Zone, *e.src.owner.zone}
                                                 : *e.src.endpoint) +
            ", " +
            policy.endpointName(e.dst.owner.zone ? Endpoint{Endpoint::Kind::Zone, *e.dst.owner.zone}
                                                 : *e.dst.endpoint) +
            "): netsep emits no rule for this flow; whatever lies between decides";
        return e;
    }
    bool allAllow = true, allDeny = true;
    ServiceSpace denied;
    for (const auto& pass : e.firewalls) {
        allAllow = allAllow && pass.allowsAll();
        allDeny = allDeny && pass.deniesAll();
        for (const auto& d : pass.decisions)
            if (d.verdict == Verdict::Deny)
                denied = denied.unite(d.services);
    }
    e.outcome = allAllow ? Outcome::Allowed : allDeny ? Outcome::Denied : Outcome::Partial;
    if (st.suggestions && !denied.empty() && !(q.service.empty() || q.service == "any"))
        e.suggestion = st.suggest(e, denied, named, clause);
    return e;
}

} // namespace netsep::review
