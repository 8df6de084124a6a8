#include "deploy/QuarantinePlan.hpp"

#include "sema/Suggest.hpp"

#include <algorithm>

namespace netsep::deploy {

namespace {

using model::Endpoint;
using model::Family;

std::string didYouMean(const std::string& word, const std::vector<std::string>& names) {
    std::string near = sema::closestName(word, names);
    return near.empty() ? std::string() : "; did you mean '" + near + "'?";
}

std::vector<std::string> zoneAndGroupNames(const model::Policy& p) {
    std::vector<std::string> names;
    for (const auto& z : p.zones)
        names.push_back(z.name);
    for (const auto& g : p.groups)
        names.push_back(g.name);
    return names;
}

std::optional<Endpoint> findTarget(const model::Policy& p, const std::string& name) {
    for (uint32_t i = 0; i < p.zones.size(); ++i)
        if (p.zones[i].name == name)
            return Endpoint{Endpoint::Kind::Zone, i};
    for (uint32_t i = 0; i < p.groups.size(); ++i)
        if (p.groups[i].name == name)
            return Endpoint{Endpoint::Kind::Group, i};
    return std::nullopt;
}

uint32_t zoneOf(const model::Policy& p, const Endpoint& e) {
    return e.kind == Endpoint::Kind::Zone ? e.index : p.groups[e.index].zone;
}

std::vector<std::string> interfacesIn(const model::Firewall& fw, uint32_t zone) {
    std::vector<std::string> out;
    for (const auto& i : fw.interfaces)
        if (i.zone == zone)
            out.push_back(i.name);
    return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (const auto& s : v)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

} // namespace

std::string targetText(const model::Policy& policy, const Endpoint& e) {
    if (e.kind == Endpoint::Kind::Zone)
        return "zone " + policy.zones[e.index].name;
    const auto& g = policy.groups[e.index];
    return "group " + g.name + " (zone " + policy.zones[g.zone].name + ")";
}

std::optional<QuarantinePlan> planQuarantine(const model::Policy& policy,
                                             const QuarantineRequest& request,
                                             DiagnosticEngine& diags) {
    QuarantinePlan plan;
    const size_t errorsBefore = diags.errorCount();
    for (const auto& name : request.targets) {
        auto t = findTarget(policy, name);
        if (!t) {
            bool saas = std::any_of(policy.saas.begin(), policy.saas.end(),
                                    [&](const model::Saas& s) { return s.name == name; });
            diags.error("E510", policy.span,
                        saas ? "'" + name +
                                   "' is a saas endpoint: a quarantine isolates a zone or a "
                                   "group of this policy (cut a saas endpoint with a deny rule "
                                   "or its kill switch)"
                             : "no zone or group named '" + name + "' to quarantine" +
                                   didYouMean(name, zoneAndGroupNames(policy)));
            continue;
        }
        if (std::find(plan.targets.begin(), plan.targets.end(), *t) == plan.targets.end())
            plan.targets.push_back(*t);
    }
    // A group inside a zone that is quarantined too adds nothing.
    std::vector<Endpoint> kept;
    for (const auto& t : plan.targets) {
        bool covered = t.kind == Endpoint::Kind::Group &&
                       std::find(plan.targets.begin(), plan.targets.end(),
                                 Endpoint{Endpoint::Kind::Zone, policy.groups[t.index].zone}) !=
                           plan.targets.end();
        if (covered)
            plan.notes.push_back(targetText(policy, t) + " is inside a quarantined zone");
        else
            kept.push_back(t);
    }
    plan.targets = std::move(kept);

    // Zones that keep access: the command's, else the policy's.
    if (!request.noAccess) {
        std::vector<std::string> names = request.allowFrom;
        if (names.empty()) {
            plan.accessFromPolicy = true;
            for (const auto& z : policy.zones)
                if (z.quarantineAccess)
                    names.push_back(z.name);
        }
        for (const auto& name : names) {
            auto e = findTarget(policy, name);
            if (!e || e->kind != Endpoint::Kind::Zone) {
                std::vector<std::string> zones;
                for (const auto& z : policy.zones)
                    zones.push_back(z.name);
                diags.error("E511", policy.span,
                            e ? "'" + name +
                                    "' is a group: access during a quarantine is "
                                    "given to zones"
                              : "no zone named '" + name + "' for quarantine access" +
                                    didYouMean(name, zones));
                continue;
            }
            bool clash =
                std::any_of(plan.targets.begin(), plan.targets.end(),
                            [&](const Endpoint& t) { return zoneOf(policy, t) == e->index; });
            if (clash) {
                diags.error("E511", policy.zones[e->index].span,
                            "zone '" + name +
                                "' cannot keep access to a quarantine of itself or of one of its "
                                "groups (its hosts reach them without crossing a firewall)");
                continue;
            }
            if (std::find(plan.accessZones.begin(), plan.accessZones.end(), e->index) ==
                plan.accessZones.end())
                plan.accessZones.push_back(e->index);
        }
    }

    std::vector<bool> policed(plan.targets.size(), false);
    for (uint32_t f = 0; f < policy.firewalls.size(); ++f) {
        const model::Firewall& fw = policy.firewalls[f];
        FirewallQuarantine fq;
        fq.firewall = f;
        for (size_t t = 0; t < plan.targets.size(); ++t) {
            const Endpoint& e = plan.targets[t];
            uint32_t zone = zoneOf(policy, e);
            auto ifs = interfacesIn(fw, zone);
            if (ifs.empty())
                continue;
            policed[t] = true;
            const model::AddressSet& addrs = policy.endpointAddresses(e);
            fq.q.targets.push_back({policy.endpointName(e), e.kind == Endpoint::Kind::Group,
                                    policy.zones[zone].name, ifs, addrs.prefixes(Family::V4),
                                    addrs.prefixes(Family::V6)});
        }
        if (fq.q.targets.empty())
            continue;
        for (uint32_t z : plan.accessZones) {
            auto ifs = interfacesIn(fw, z);
            if (ifs.empty()) {
                fq.notes.push_back("zone " + policy.zones[z].name +
                                   " has no interface here: its access cannot pass this firewall");
                continue;
            }
            const model::AddressSet& addrs = policy.zones[z].addresses;
            fq.q.access.push_back({policy.zones[z].name, ifs, addrs.prefixes(Family::V4),
                                   addrs.prefixes(Family::V6)});
        }
        std::vector<std::string> what, access;
        for (const auto& t : fq.q.targets)
            what.push_back((t.group ? "group " : "zone ") + t.name);
        for (const auto& a : fq.q.access)
            access.push_back("zone " + a.zone);
        // Printed into artifact headers and comments: only characters that
        // every backend's comments keep ([A-Za-z0-9 _.:/@-]).
        fq.q.summary = joined(what, " / ") + ". Access kept: " +
                       (access.empty() ? std::string("none") : joined(access, " / "));
        plan.firewalls.push_back(std::move(fq));
    }
    for (size_t t = 0; t < plan.targets.size(); ++t)
        if (!policed[t]) {
            const Endpoint& e = plan.targets[t];
            uint32_t zone = zoneOf(policy, e);
            diags.error("E513",
                        e.kind == Endpoint::Kind::Zone ? policy.zones[zone].span
                                                       : policy.groups[e.index].span,
                        "no firewall polices " + targetText(policy, e) +
                            ": none has an interface in zone '" + policy.zones[zone].name +
                            "', so netsep cannot quarantine it");
        }
    if (diags.errorCount() != errorsBefore)
        return std::nullopt;
    return plan;
}

} // namespace netsep::deploy
