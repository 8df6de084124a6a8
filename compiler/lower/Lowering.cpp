#include "lower/Lowering.hpp"

#include <algorithm>
#include <map>

namespace netsep::lower {

namespace {

using model::Endpoint;
using model::Proto;

std::string objectName(const model::Policy& p, const Endpoint& e) {
    switch (e.kind) {
    case Endpoint::Kind::Zone:
        return "zone-" + p.zones[e.index].name;
    case Endpoint::Kind::Group:
        return "group-" + p.groups[e.index].name;
    case Endpoint::Kind::Saas:
        return "saas-" + p.saas[e.index].name;
    }
    return {};
}

// Merges overlapping and adjacent ranges so backends print minimal lists.
std::vector<model::PortRange> mergePorts(std::vector<model::PortRange> v) {
    std::sort(v.begin(), v.end());
    std::vector<model::PortRange> out;
    for (const auto& r : v) {
        if (!out.empty() && uint32_t(r.lo) <= uint32_t(out.back().hi) + 1)
            out.back().hi = std::max(out.back().hi, r.hi);
        else
            out.push_back(r);
    }
    return out;
}

class FirewallLowering {
public:
    FirewallLowering(const model::Policy& p, const SourceManager& s, const model::Firewall& fw,
                     const LoweringOptions& o)
        : policy_(p), sources_(s), fw_(fw), options_(o) {
        for (const auto& i : fw.interfaces) {
            if (!zoneIfaces_.count(i.zone))
                zoneOrder_.push_back(i.zone);
            zoneIfaces_[i.zone].push_back(i.name);
            auto kind = p.zones[i.zone].kind;
            if (!internetZone_ && kind && *kind == model::ZoneKind::Internet)
                internetZone_ = i.zone;
        }
    }

    LoweredFirewall run() {
        LoweredFirewall out;
        out.name = fw_.name;
        out.policyName = policy_.name;
        out.backends = fw_.backends;
        for (const auto& i : fw_.interfaces)
            out.interfaces.push_back({i.name, policy_.zones[i.zone].name});

        // Denies first, then allows, then exceptions by kill-switch group:
        // deny-overrides without depending on statement order.
        std::vector<const model::Rule*> order;
        for (auto kind : {model::RuleKind::Deny, model::RuleKind::Access})
            for (const auto& r : policy_.rules)
                if (r.kind == kind)
                    order.push_back(&r);
        std::vector<const model::Rule*> exceptions;
        for (const auto& r : policy_.rules)
            if (r.kind == model::RuleKind::Exception && model::inForce(r, options_.asOf))
                exceptions.push_back(&r);
        std::stable_sort(exceptions.begin(), exceptions.end(),
                         [](const model::Rule* a, const model::Rule* b) {
                             return a->exception->killSwitch < b->exception->killSwitch;
                         });
        order.insert(order.end(), exceptions.begin(), exceptions.end());

        std::map<std::pair<uint32_t, uint32_t>, ZonePair> pairs;
        for (const model::Rule* r : order)
            lowerRule(*r, pairs);

        out.objects = std::move(objects_);
        // Pairs in interface order of their zones: stable and readable.
        auto rank = [&](uint32_t z) {
            return std::find(zoneOrder_.begin(), zoneOrder_.end(), z) - zoneOrder_.begin();
        };
        std::vector<std::pair<uint32_t, uint32_t>> keys;
        for (const auto& [k, _] : pairs)
            keys.push_back(k);
        std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
            return std::make_pair(rank(a.first), rank(a.second)) <
                   std::make_pair(rank(b.first), rank(b.second));
        });
        std::vector<std::string> groups;
        for (const auto& k : keys) {
            for (const auto& r : pairs[k].rules)
                if (!r.killSwitch.empty())
                    groups.push_back(r.killSwitch);
            out.pairs.push_back(std::move(pairs[k]));
        }
        std::sort(groups.begin(), groups.end());
        groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
        out.killSwitchGroups = std::move(groups);
        return out;
    }

private:
    std::optional<uint32_t> attachment(const Endpoint& e) const {
        if (e.kind == Endpoint::Kind::Saas && !policy_.saas[e.index].behindZone)
            return internetZone_;
        return policy_.endpointZone(e);
    }

    uint32_t object(const Endpoint& e) {
        auto [it, fresh] = objectIndex_.emplace(e, uint32_t(objects_.size()));
        if (fresh) {
            const model::AddressSet& a = policy_.endpointAddresses(e);
            AddressObject o;
            o.name = objectName(policy_, e);
            o.v4 = a.prefixes(model::Family::V4);
            o.v6 = a.prefixes(model::Family::V6);
            if (e.kind == Endpoint::Kind::Saas)
                o.fqdns = policy_.saas[e.index].fqdns;
            objects_.push_back(std::move(o));
        }
        return it->second;
    }

    void lowerRule(const model::Rule& r, std::map<std::pair<uint32_t, uint32_t>, ZonePair>& pairs) {
        std::vector<Match> matches = lowerServices(policy_, r);
        for (const Endpoint& src : r.from) {
            auto sz = attachment(src);
            if (!sz || !zoneIfaces_.count(*sz))
                continue;
            for (const Endpoint& dst : r.to) {
                auto dz = attachment(dst);
                if (!dz || !zoneIfaces_.count(*dz) || *sz == *dz)
                    continue;
                ZonePair& pair = pairs[{*sz, *dz}];
                if (pair.rules.empty()) {
                    pair.fromZone = policy_.zones[*sz].name;
                    pair.toZone = policy_.zones[*dz].name;
                    pair.inInterfaces = zoneIfaces_[*sz];
                    pair.outInterfaces = zoneIfaces_[*dz];
                }
                uint32_t so = object(src), d = object(dst);
                const AddressObject& sobj = objects_[so];
                const AddressObject& dobj = objects_[d];
                for (const Match& m : matches) {
                    LoweredRule lr;
                    lr.action = r.kind == model::RuleKind::Deny ? Action::Drop : Action::Accept;
                    lr.kind = r.kind;
                    lr.policyRule = r.name;
                    lr.where = sources_.where(r.span);
                    lr.span = r.span;
                    lr.src = so;
                    lr.dst = d;
                    lr.match = m;
                    lr.log = r.log;
                    lr.v4 = !sobj.v4.empty() && !dobj.v4.empty() && m.proto != Proto::Icmpv6;
                    lr.v6 = !sobj.v6.empty() && !dobj.v6.empty() && m.proto != Proto::Icmp;
                    bool fqdnOnly = !dobj.fqdns.empty() && dobj.v4.empty() && dobj.v6.empty();
                    if (!lr.v4 && !lr.v6 && !fqdnOnly)
                        continue; // no address family in common: nothing can match
                    if (r.exception)
                        lr.killSwitch = r.exception->killSwitch;
                    if (r.identity)
                        lr.identity = policy_.identities[*r.identity].name;
                    pair.rules.push_back(std::move(lr));
                }
            }
        }
    }

    const model::Policy& policy_;
    const SourceManager& sources_;
    const model::Firewall& fw_;
    const LoweringOptions& options_;
    std::map<uint32_t, std::vector<std::string>> zoneIfaces_;
    std::vector<uint32_t> zoneOrder_;
    std::optional<uint32_t> internetZone_;
    std::map<Endpoint, uint32_t> objectIndex_;
    std::vector<AddressObject> objects_;
};

} // namespace

std::vector<Match> lowerServices(const model::Policy& policy, const model::Rule& rule) {
    if (rule.serviceAny)
        return {Match{}};
    std::map<Proto, Match> byProto;
    std::map<Proto, bool> everything;
    for (uint32_t s : rule.services) {
        for (const auto& e : policy.services[s].entries) {
            Match& m = byProto[e.proto];
            m.proto = e.proto;
            if (e.proto == Proto::Tcp || e.proto == Proto::Udp) {
                if (e.ports.all())
                    everything[e.proto] = true;
                else
                    m.ports.push_back(e.ports);
            } else if (e.proto == Proto::Icmp || e.proto == Proto::Icmpv6) {
                if (e.icmpType < 0) {
                    everything[e.proto] = true;
                } else if (std::find(m.icmpTypes.begin(), m.icmpTypes.end(), e.icmpType) ==
                           m.icmpTypes.end()) {
                    m.icmpTypes.push_back(e.icmpType);
                    m.icmpNames.push_back(e.icmpName);
                }
            }
        }
    }
    std::vector<Match> out;
    for (auto& [proto, m] : byProto) {
        if (everything[proto]) {
            m.ports.clear();
            m.icmpTypes.clear();
            m.icmpNames.clear();
        }
        m.ports = mergePorts(std::move(m.ports));
        // icmp types in numeric order for stable output
        std::vector<size_t> idx(m.icmpTypes.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        const auto& types = m.icmpTypes; // clang 14 cannot capture a structured binding
        std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return types[a] < types[b]; });
        Match sorted = m;
        for (size_t i = 0; i < idx.size(); ++i) {
            sorted.icmpTypes[i] = m.icmpTypes[idx[i]];
            sorted.icmpNames[i] = m.icmpNames[idx[i]];
        }
        out.push_back(std::move(sorted));
    }
    return out;
}

std::vector<LoweredFirewall> lowerPolicy(const model::Policy& policy, const SourceManager& sources,
                                         const LoweringOptions& options) {
    std::vector<LoweredFirewall> out;
    for (const auto& fw : policy.firewalls) {
        if (!options.firewalls.empty() &&
            std::find(options.firewalls.begin(), options.firewalls.end(), fw.name) ==
                options.firewalls.end())
            continue;
        out.push_back(FirewallLowering(policy, sources, fw, options).run());
    }
    return out;
}

} // namespace netsep::lower
