#include "audit/Assumptions.hpp"

#include "audit/AuditRule.hpp"
#include "audit/GraphPathOracle.hpp"
#include "backends/Backend.hpp"
#include "lower/Lowering.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace netsep::audit {

namespace {

using analysis::PathSet;
using analysis::Unit;

// The findings of one run that assumptions can hide, by a key that does not
// depend on which witness path was found: the lateral-movement and
// exfiltration path sets by their two ends, the audit's path rules by rule
// id and location.
using Findings = std::map<std::string, HeldBack>;

std::string endpointKey(const model::Endpoint& e) {
    return std::to_string(int(e.kind)) + ":" + std::to_string(e.index);
}

SourceSpan endpointSpan(const model::Policy& p, const model::Endpoint& e) {
    switch (e.kind) {
    case model::Endpoint::Kind::Zone:
        return p.zones[e.index].span;
    case model::Endpoint::Kind::Group:
        return p.groups[e.index].span;
    case model::Endpoint::Kind::Saas:
        return p.saas[e.index].span;
    }
    return {};
}

void pathSets(const model::Policy& p, const analysis::Result& r, const std::vector<PathSet>& sets,
              const std::vector<Unit>& from, const std::vector<Unit>& to, const char* id,
              const char* what, Findings& out) {
    for (const PathSet& ps : sets) {
        const Unit& src = from[ps.from];
        const Unit& dst = to[ps.to];
        HeldBack h;
        h.id = id;
        h.message = std::string(what) + ": " + p.endpointName(src.endpoint) + " reaches " +
                    p.endpointName(dst.endpoint);
        if (!ps.paths.empty() && !ps.paths[0].hops.empty())
            h.message += ": " + analysis::pathText(r, p, ps.paths[0]);
        h.span = endpointSpan(p, src.endpoint);
        if (!src.exceptions.empty()) {
            h.exception = src.exceptions.front();
            h.span = p.rules[src.exceptions.front()].span;
        }
        out.emplace(std::string(id) + "|" + endpointKey(src.endpoint) + "|" +
                        endpointKey(dst.endpoint),
                    std::move(h));
    }
}

Findings findingsOf(const model::Policy& p, const analysis::Result& r, const AuditResult& a) {
    Findings out;
    pathSets(p, r, r.lateral, r.exposed, r.targets, analysis::codes::kLateral, "lateral movement",
             out);
    pathSets(p, r, r.exfiltration, r.exfilSources, r.exfilSinks, analysis::codes::kExfil,
             "exfiltration", out);
    for (const Finding& f : a.findings) {
        const AuditRule* rule = findAuditRule(f.id);
        if (!rule || !rule->needsPaths)
            continue;
        HeldBack h;
        h.id = f.id;
        h.message = f.message;
        h.span = f.span;
        if (f.rule && p.rules[*f.rule].exception)
            h.exception = f.rule;
        std::string key = f.id + "|" + std::to_string(f.span.file) + ":" +
                          std::to_string(f.span.line) + ":" + std::to_string(f.span.col);
        out.emplace(std::move(key), std::move(h));
    }
    return out;
}

Findings run(const model::Policy& p, model::Date asOf) {
    analysis::Options o;
    o.asOf = asOf;
    o.k = 1;
    o.minimumCut = false;
    analysis::Result r = analysis::analyze(p, o);
    GraphPathOracle oracle(*r.graph, p);
    AuditResult a = runAudit(p, asOf, &oracle);
    return findingsOf(p, r, a);
}

// Takes the assumptions away from a copy of the policy.
void relax(model::Policy& p, const std::vector<AssumptionRef>& refs, model::Date asOf) {
    for (const AssumptionRef& ref : refs) {
        if (ref.kind == AssumptionRef::Kind::Isolated)
            p.zones[ref.index].isolated = false;
        else
            p.waivers[ref.index].until = model::Date{asOf.days - 1};
    }
}

std::vector<IdentityDelegation> delegations(const model::Policy& p, const SourceManager& sources,
                                            model::Date asOf) {
    std::vector<IdentityDelegation> out;
    std::vector<std::string> lowered; // firewalls whose rules lose their identity somewhere
    for (uint32_t f = 0; f < p.firewalls.size(); ++f) {
        const model::Firewall& fw = p.firewalls[f];
        if (!fw.identityEnforcedBy)
            continue;
        IdentityDelegation d;
        d.firewall = f;
        d.trusted = *fw.identityEnforcedBy;
        for (const auto& name : fw.backends)
            if (const backends::Backend* b = backends::findBackend(name);
                b && !b->capabilities().identity)
                d.backends.push_back(name);
        if (!d.backends.empty())
            lowered.push_back(fw.name);
        out.push_back(std::move(d));
    }
    if (lowered.empty())
        return out;
    // One lowering of every such firewall: which identity rules land there.
    std::unordered_map<std::string, uint32_t> ruleIndex, firewallIndex;
    for (uint32_t r = 0; r < p.rules.size(); ++r)
        if (p.rules[r].identity)
            ruleIndex.emplace(p.rules[r].name, r);
    for (uint32_t k = 0; k < out.size(); ++k)
        firewallIndex.emplace(p.firewalls[out[k].firewall].name, k);
    for (const auto& fw : lower::lowerPolicy(p, sources, {asOf, lowered, 0})) {
        std::set<uint32_t> rules;
        for (const auto& pair : fw.pairs)
            for (const auto& rule : pair.rules)
                if (!rule.identity.empty())
                    rules.insert(ruleIndex.at(rule.policyRule));
        out[firewallIndex.at(fw.name)].rules.assign(rules.begin(), rules.end());
    }
    return out;
}

} // namespace

Assumptions collectAssumptions(const model::Policy& policy, const SourceManager& sources,
                               const analysis::Result& baseline, const AuditResult& audit,
                               model::Date asOf) {
    Assumptions out;
    std::vector<AssumptionRef> refs; // those in effect on the as-of date
    for (uint32_t w = 0; w < policy.waivers.size(); ++w) {
        WaiverAssumption wa;
        wa.waiver = w;
        wa.live = asOf <= policy.waivers[w].until;
        wa.daysLeft = policy.waivers[w].until - asOf;
        if (baseline.graph && w < baseline.graph->waivers.size())
            wa.matched = baseline.graph->waivers[w].matched;
        out.waivers.push_back(wa);
        if (wa.live)
            refs.push_back({AssumptionRef::Kind::Waiver, w});
    }
    for (uint32_t z = 0; z < policy.zones.size(); ++z) {
        if (!policy.zones[z].isolated)
            continue;
        IsolationAssumption ia;
        ia.zone = z;
        for (uint32_t g = 0; g < policy.groups.size(); ++g)
            if (policy.groups[g].zone == z)
                ia.groups.push_back(g);
        out.isolated.push_back(std::move(ia));
        refs.push_back({AssumptionRef::Kind::Isolated, z});
    }
    out.delegations = delegations(policy, sources, asOf);
    if (refs.empty() || !baseline.graph)
        return out;

    const Findings base = findingsOf(policy, baseline, audit);
    std::map<std::string, HeldBack> held;
    out.attributed = refs.size() <= kMaxAttributedAssumptions;
    if (out.attributed)
        for (const AssumptionRef& ref : refs) {
            model::Policy relaxed = policy;
            relax(relaxed, {ref}, asOf);
            for (auto& [key, h] : run(relaxed, asOf)) {
                if (base.count(key))
                    continue;
                auto it = held.emplace(key, std::move(h)).first;
                it->second.by.push_back(ref);
            }
        }
    model::Policy relaxed = policy;
    relax(relaxed, refs, asOf);
    std::vector<std::string> joint; // held back only by several assumptions together
    for (auto& [key, h] : run(relaxed, asOf)) {
        if (base.count(key) || held.count(key))
            continue;
        h.jointly = true;
        joint.push_back(key);
        held.emplace(key, std::move(h));
    }
    // Which ones: keep one assumption and take the others away; the findings
    // that stay hidden need the one kept.
    if (out.attributed && !joint.empty())
        for (const AssumptionRef& ref : refs) {
            std::vector<AssumptionRef> others;
            for (const AssumptionRef& o : refs)
                if (!(o == ref))
                    others.push_back(o);
            model::Policy kept = policy;
            relax(kept, others, asOf);
            Findings seen = run(kept, asOf);
            for (const std::string& key : joint)
                if (!seen.count(key))
                    held[key].by.push_back(ref);
        }
    for (const std::string& key : joint)
        if (held[key].by.empty())
            held[key].by = refs; // any one of several would do: name them all
    for (auto& [key, h] : held)
        out.heldBack.push_back(std::move(h));
    std::stable_sort(out.heldBack.begin(), out.heldBack.end(),
                     [](const HeldBack& a, const HeldBack& b) {
                         return std::tie(a.span.file, a.span.line, a.span.col, a.id, a.message) <
                                std::tie(b.span.file, b.span.line, b.span.col, b.id, b.message);
                     });
    return out;
}

} // namespace netsep::audit
