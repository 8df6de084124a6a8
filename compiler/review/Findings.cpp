#include "review/Findings.hpp"

#include "analysis/WaivedPaths.hpp"
#include "audit/GraphPathOracle.hpp"

#include <algorithm>
#include <map>

namespace netsep::review {

namespace {

std::string names(const model::Policy& policy, const std::vector<model::Endpoint>& es) {
    std::string out;
    for (size_t i = 0; i < es.size(); ++i)
        out += (i ? ", " : "") + policy.endpointName(es[i]);
    return out;
}

std::string serviceNames(const model::Policy& policy, const std::vector<uint32_t>& services,
                         bool any) {
    if (any)
        return "any";
    std::vector<std::string> v;
    for (uint32_t s : services)
        v.push_back(policy.services.at(s).name);
    std::sort(v.begin(), v.end());
    std::string out;
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + v[i];
    return out;
}

// Keys in the order analysis::report emits its diagnostics.
std::vector<std::string> analysisKeys(const model::Policy& policy, const analysis::Result& r) {
    using namespace analysis;
    std::vector<std::string> keys;
    for (const PathSet& ps : r.lateral)
        if (ps.finding)
            keys.push_back(std::string(codes::kLateral) + " " +
                           policy.endpointName(r.exposed[ps.from].endpoint) + " -> " +
                           policy.endpointName(r.targets[ps.to].endpoint));
    for (const PathSet& ps : r.exfiltration)
        keys.push_back(std::string(codes::kExfil) + " " +
                       policy.endpointName(r.exfilSources[ps.from].endpoint) + " -> " +
                       policy.endpointName(r.exfilSinks[ps.to].endpoint));
    for (const ExpectationResult& er : r.expectations) {
        if (er.passed)
            continue;
        const model::Expectation& x = policy.expectations[er.index];
        const char* code = x.kind == model::Expectation::Kind::Allow  ? codes::kExpectAllow
                           : x.kind == model::Expectation::Kind::Deny ? codes::kExpectDeny
                                                                      : codes::kExpectNoPath;
        keys.push_back(std::string(code) + " " + names(policy, x.from) + " -> " +
                       names(policy, x.to) + " service " +
                       serviceNames(policy, x.services, x.serviceAny));
    }
    for (const Anomaly& a : r.anomalies)
        keys.push_back(
            std::string(a.kind == Anomaly::Kind::Dead ? codes::kDeadRule : codes::kRedundant) +
            " " + policy.rules[a.rule].name);
    for (const WaiverResult& w : r.waivers) {
        if (w.live && w.matched)
            continue;
        const model::Waiver& x = policy.waivers[w.index];
        keys.push_back(std::string(w.live ? codes::kWaiverUnused : codes::kWaiverExpired) + " " +
                       waiverHopText(policy, x) + " ticket " + x.ticket);
    }
    return keys;
}

} // namespace

std::vector<Finding> collectFindings(const model::Policy& policy, const analysis::Result& analysis,
                                     const audit::AuditResult& audit) {
    std::vector<Finding> out;
    SourceManager none;
    DiagnosticEngine diags(none);
    analysis::report(analysis, policy, diags);
    const auto keys = analysisKeys(policy, analysis);
    for (size_t i = 0; i < diags.all().size(); ++i) {
        const Diagnostic& d = diags.all()[i];
        std::string key = i < keys.size() ? keys[i] : d.code + " " + d.message;
        out.push_back({std::move(key), d.code, d.severity, d.message, d.span});
    }
    for (const audit::Finding& f : audit.findings) {
        std::string key =
            f.id + (f.rule ? " " + policy.rules[*f.rule].name : std::string()) + ": " + f.message;
        out.push_back({std::move(key), f.id, f.severity, f.message, f.span});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Finding& a, const Finding& b) { return a.key < b.key; });
    // Two findings with one key (rare: two identical messages) stay apart.
    std::map<std::string, int> seen;
    for (Finding& f : out)
        if (int n = seen[f.key]++; n > 0)
            f.key += " #" + std::to_string(n + 1);
    std::stable_sort(out.begin(), out.end(),
                     [](const Finding& a, const Finding& b) { return a.key < b.key; });
    return out;
}

Checked checkModel(const model::Policy& policy, model::Date asOf) {
    analysis::Options opts;
    opts.asOf = asOf;
    opts.k = 1;
    Checked c;
    c.analysis = std::make_shared<analysis::Result>(analysis::analyze(policy, opts));
    audit::GraphPathOracle oracle(*c.analysis->graph, policy);
    c.audit = std::make_shared<audit::AuditResult>(audit::runAudit(policy, asOf, &oracle));
    return c;
}

FindingsDelta diffFindings(const std::vector<Finding>& before, const std::vector<Finding>& after) {
    FindingsDelta d;
    size_t i = 0, j = 0;
    while (i < before.size() || j < after.size()) {
        if (j == after.size() || (i < before.size() && before[i].key < after[j].key)) {
            d.disappeared.push_back(before[i++]);
        } else if (i == before.size() || after[j].key < before[i].key) {
            d.appeared.push_back(after[j++]);
        } else {
            if (before[i].severity != after[j].severity || before[i].message != after[j].message)
                d.changed.push_back({before[i], after[j]});
            ++i;
            ++j;
        }
    }
    return d;
}

} // namespace netsep::review
