#include "audit/DeploymentView.hpp"

#include "backends/Backend.hpp"
#include "backends/InterfaceNames.hpp"
#include "backends/common/KillSwitchMark.hpp"
#include "lower/Lowering.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace netsep::audit {

namespace {

bool isLinux(const std::string& backend) {
    return backend == "nftables" || backend == "iptables";
}

} // namespace

std::vector<ExceptionDeployment> deploymentView(const model::Policy& policy,
                                                const SourceManager& sources, model::Date asOf) {
    std::vector<ExceptionDeployment> out;
    std::map<std::string, size_t> byRule; // exception name -> index into out
    for (uint32_t i = 0; i < policy.rules.size(); ++i)
        if (policy.rules[i].kind == model::RuleKind::Exception) {
            byRule.emplace(policy.rules[i].name, out.size());
            out.push_back({i, false, ExceptionDeployment::NotEmitted::None, {}, {}});
        }
    if (out.empty())
        return out;

    std::set<std::pair<std::string, std::string>> linuxSwitches; // (firewall, group)
    std::set<std::string> engaged;
    for (const auto& k : policy.killSwitches)
        engaged.insert(k.group);

    for (const lower::LoweredFirewall& fw : lower::lowerPolicy(policy, sources, {asOf, {}, 0})) {
        const auto decl = std::find_if(policy.firewalls.begin(), policy.firewalls.end(),
                                       [&](const model::Firewall& f) { return f.name == fw.name; });
        std::map<size_t, FirewallDeployment> here; // by index into out
        for (const auto& pair : fw.pairs)
            for (const auto& r : pair.rules) {
                auto it = byRule.find(r.policyRule);
                if (r.kind != model::RuleKind::Exception || it == byRule.end())
                    continue;
                FirewallDeployment& d = here[it->second];
                d.firewall = fw.name;
                const std::string zp = pair.fromZone + " -> " + pair.toZone;
                if (std::find(d.zonePairs.begin(), d.zonePairs.end(), zp) == d.zonePairs.end())
                    d.zonePairs.push_back(zp);
                ++d.loweredRules;
            }
        // Per backend, how its device shows each policy rule (once per
        // firewall). A backend that cannot print this firewall is reported
        // by check and compile, not here: it shows nothing.
        std::map<std::string, std::map<std::string, std::set<std::string>>> labels;
        if (!here.empty() && decl != policy.firewalls.end())
            for (const std::string& name : fw.backends)
                if (const backends::Backend* backend = backends::findBackend(name))
                    try {
                        std::optional<lower::LoweredFirewall> renamed;
                        labels[name] =
                            backend->ruleLabels(backends::interfacesFor(fw, *decl, name, renamed));
                    } catch (const std::exception&) {
                    }
        for (auto& [index, d] : here) {
            const model::Rule& rule = policy.rules[out[index].rule];
            const std::string& group = rule.exception->killSwitch;
            for (const std::string& name : fw.backends) {
                BackendDeployment b{name, {}, {}};
                if (auto it = labels[name].find(rule.name); it != labels[name].end())
                    b.rules.assign(it->second.begin(), it->second.end());
                const backends::Backend* backend = backends::findBackend(name);
                if (backend && !group.empty() && decl != policy.firewalls.end()) {
                    std::optional<lower::LoweredFirewall> renamed;
                    // The paths only (see above).
                    try {
                        const auto& view = backends::interfacesFor(fw, *decl, name, renamed);
                        if (auto ks = backend->killSwitchArtifacts(view, group))
                            for (const auto& a : *ks)
                                b.killSwitchFiles.push_back(fw.name + "/" + a.path);
                    } catch (const std::exception&) {
                    }
                }
                if (isLinux(name) && !group.empty() && d.markBit.empty())
                    try {
                        d.markBit = backends::killSwitchBitText(fw, group);
                    } catch (const std::exception&) {
                    }
                d.backends.push_back(std::move(b));
            }
            out[index].emitted = true;
            out[index].firewalls.push_back(std::move(d));
        }
        for (const std::string& g : fw.switchGroups)
            if (std::any_of(fw.backends.begin(), fw.backends.end(), isLinux))
                linuxSwitches.insert({fw.name, g});
    }

    if (std::all_of(out.begin(), out.end(), [](const ExceptionDeployment& e) { return e.emitted; }))
        return out;
    // Where each exception would run if it were in force and its group on:
    // the same lowering of a copy in which every exception is valid on the
    // date and no kill switch is engaged.
    model::Policy all = policy;
    all.killSwitches.clear();
    for (auto& r : all.rules)
        if (r.exception) {
            r.exception->validFrom = asOf;
            r.exception->validUntil = asOf;
            r.exception->expires = asOf;
        }
    std::vector<std::set<std::string>> potential(out.size());
    for (const lower::LoweredFirewall& fw : lower::lowerPolicy(all, sources, {asOf, {}, 0}))
        for (const auto& pair : fw.pairs)
            for (const auto& r : pair.rules)
                if (auto it = byRule.find(r.policyRule);
                    r.kind == model::RuleKind::Exception && it != byRule.end())
                    potential[it->second].insert(fw.name);

    for (auto& e : out) {
        if (e.emitted)
            continue;
        const model::Rule& rule = policy.rules[e.rule];
        const size_t index = static_cast<size_t>(&e - out.data());
        // A group's Linux switch stays on a firewall whatever the dates, so
        // that an operator can still cut what the device keeps open.
        for (const std::string& fw : potential[index])
            if (linuxSwitches.count({fw, rule.exception->killSwitch}))
                e.switchKeptOn.push_back(fw);
        if (potential[index].empty())
            e.notEmitted = ExceptionDeployment::NotEmitted::NoFirewall;
        else if (!model::inForce(rule, asOf))
            e.notEmitted = ExceptionDeployment::NotEmitted::NotInForce;
        else if (engaged.count(rule.exception->killSwitch))
            e.notEmitted = ExceptionDeployment::NotEmitted::KillSwitchEngaged;
    }
    return out;
}

} // namespace netsep::audit
