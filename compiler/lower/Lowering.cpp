#include "lower/Lowering.hpp"

#include "lower/Parallel.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace netsep::lower {

namespace {

using model::Endpoint;
using model::Proto;

constexpr uint32_t kNone = UINT32_MAX;

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

// What every firewall shares: the rule order, each rule's matches and
// trace, and which rules have a source in which zone. Computed once, read
// by all firewalls (in parallel), so the work per firewall is proportional
// to the rules that touch its zones rather than to the whole policy.
struct Shared {
    Shared(const model::Policy& p, const SourceManager& s, const LoweringOptions& o,
           const std::vector<const model::Firewall*>& firewalls)
        : policy(p), options(o) {
        const auto& rules = p.rules;
        // Denies first, then allows, then exceptions by kill-switch group:
        // deny-overrides without depending on statement order.
        std::vector<uint32_t> order;
        for (auto kind : {model::RuleKind::Deny, model::RuleKind::Access})
            for (uint32_t r = 0; r < rules.size(); ++r)
                if (rules[r].kind == kind)
                    order.push_back(r);
        // Every exception takes part, emitted or not: one that is expired or
        // whose group is engaged still gives its group a switch on the
        // firewalls it would land on (LoweredFirewall::switchGroups).
        std::set<std::string> engaged;
        for (const auto& k : p.killSwitches)
            engaged.insert(k.group);
        emitted.assign(rules.size(), 1);
        std::vector<uint32_t> exceptions;
        for (uint32_t r = 0; r < rules.size(); ++r)
            if (rules[r].kind == model::RuleKind::Exception) {
                exceptions.push_back(r);
                emitted[r] = model::inForce(rules[r], o.asOf) &&
                             !engaged.count(rules[r].exception->killSwitch);
            }
        std::stable_sort(exceptions.begin(), exceptions.end(), [&](uint32_t a, uint32_t b) {
            return rules[a].exception->killSwitch < rules[b].exception->killSwitch;
        });
        order.insert(order.end(), exceptions.begin(), exceptions.end());

        // Matches, memoised by service list (most rules share a few lists).
        matchIndex.assign(rules.size(), kNone);
        where.resize(rules.size());
        std::map<std::pair<bool, std::vector<uint32_t>>, uint32_t> seen;
        for (uint32_t r : order) {
            const model::Rule& rule = rules[r];
            auto [it, fresh] =
                seen.emplace(std::make_pair(rule.serviceAny, rule.services), uint32_t(0));
            if (fresh) {
                it->second = uint32_t(matches.size());
                matches.push_back(lowerServices(p, rule));
            }
            matchIndex[r] = it->second;
            where[r] = s.where(rule.span);
        }
        assignRules(order, firewalls);
        findCatchAll();
    }

    // The zone that declares a family's /0 owns what nobody else owns; its
    // object is negated (AddressObject) when that is not the whole family.
    void findCatchAll() {
        for (uint32_t z = 0; z < policy.zones.size(); ++z)
            for (const auto& n : policy.zones[z].networks)
                if (n.len == 0)
                    catchAll[size_t(n.family)].zone = z;
        for (model::Family f : {model::Family::V4, model::Family::V6}) {
            CatchAll& c = catchAll[size_t(f)];
            if (c.zone == kNone)
                continue;
            const model::AddressSet& owned = policy.zones[c.zone].addresses;
            c.declared = owned.complement(f).prefixes(f);
            if (!owned.hasFamily(f) || c.declared.empty())
                c.zone = kNone; // owns nothing, or everything: list it out
        }
    }

    // rulesOf[f]: the rules with a source and a destination zone on firewall
    // f, in lowering order. For each rule the firewalls are found from the
    // side (sources or destinations) that sits on fewer firewalls, so a hub
    // zone on every firewall (the internet) costs nothing per rule.
    void assignRules(const std::vector<uint32_t>& order,
                     const std::vector<const model::Firewall*>& firewalls) {
        const size_t nz = policy.zones.size();
        const size_t words = (nz + 63) / 64;
        std::vector<std::vector<uint32_t>> zoneFws(nz);
        std::vector<uint32_t> internetFws;
        std::vector<uint64_t> onFw(firewalls.size() * words, 0); // zone bitmap per firewall
        for (uint32_t f = 0; f < firewalls.size(); ++f) {
            bool internet = false;
            for (const auto& i : firewalls[f]->interfaces) {
                uint64_t& bits = onFw[f * words + i.zone / 64];
                uint64_t bit = uint64_t(1) << (i.zone % 64);
                if (!(bits & bit)) {
                    bits |= bit;
                    zoneFws[i.zone].push_back(f);
                }
                auto kind = policy.zones[i.zone].kind;
                internet = internet || (kind && *kind == model::ZoneKind::Internet);
            }
            if (internet)
                internetFws.push_back(f);
        }
        static const std::vector<uint32_t> none;
        // The firewalls an endpoint sits on, and whether it sits on one.
        auto fwsOf = [&](const Endpoint& e) -> const std::vector<uint32_t>& {
            std::optional<uint32_t> z = policy.endpointZone(e);
            if (e.kind == Endpoint::Kind::Saas && !z)
                return internetFws; // reached through the firewall's internet zone
            return z ? zoneFws[*z] : none;
        };
        auto isOn = [&](const Endpoint& e, uint32_t f) -> bool {
            std::optional<uint32_t> z = policy.endpointZone(e);
            if (e.kind == Endpoint::Kind::Saas && !z)
                return std::binary_search(internetFws.begin(), internetFws.end(), f);
            return z && ((onFw[f * words + *z / 64] >> (*z % 64)) & 1);
        };
        rulesOf.resize(firewalls.size());
        std::vector<uint32_t> stamp(firewalls.size(), kNone);
        for (uint32_t r : order) { // so every list comes out in lowering order
            const model::Rule& rule = policy.rules[r];
            size_t fromCost = 0, toCost = 0;
            for (const Endpoint& e : rule.from)
                fromCost += fwsOf(e).size();
            for (const Endpoint& e : rule.to)
                toCost += fwsOf(e).size();
            const auto& probe = fromCost <= toCost ? rule.from : rule.to;
            const auto& other = fromCost <= toCost ? rule.to : rule.from;
            for (const Endpoint& e : probe)
                for (uint32_t f : fwsOf(e)) {
                    if (stamp[f] == r)
                        continue;
                    stamp[f] = r;
                    for (const Endpoint& o : other)
                        if (isOn(o, f)) {
                            rulesOf[f].push_back(r);
                            break;
                        }
                }
        }
    }

    const model::Policy& policy;
    const LoweringOptions& options;
    // Per rule: 1 if it is emitted; 0 for an exception out of force on the
    // as-of date or of an engaged kill-switch group.
    std::vector<uint8_t> emitted;
    std::vector<uint32_t> matchIndex; // into matches
    std::vector<std::vector<Match>> matches;
    std::vector<std::string> where;             // "file:line" per rule
    std::vector<std::vector<uint32_t>> rulesOf; // per selected firewall, in lowering order
    struct CatchAll {
        uint32_t zone = kNone;                 // the zone declaring the family's /0
        std::vector<model::IpPrefix> declared; // what it does not own
    };
    std::array<CatchAll, 2> catchAll; // by model::Family
};

// Scratch space reused across the firewalls one worker lowers.
struct Scratch {
    std::vector<uint32_t> slot; // per zone: index into zoneOrder, or kNone
    std::vector<std::pair<const model::Endpoint*, uint32_t>> attached; // a rule's, with slots
};

class FirewallLowering {
public:
    FirewallLowering(const Shared& sh, const model::Firewall& fw, Scratch& scratch)
        : sh_(sh), policy_(sh.policy), fw_(fw), scratch_(scratch) {
        auto& slot = scratch_.slot;
        if (slot.size() != policy_.zones.size())
            slot.assign(policy_.zones.size(), kNone);
        for (const auto& i : fw.interfaces) {
            if (slot[i.zone] == kNone) {
                slot[i.zone] = uint32_t(zoneOrder_.size());
                zoneOrder_.push_back(i.zone);
                zoneIfaces_.emplace_back();
            }
            zoneIfaces_[slot[i.zone]].push_back(i.name);
            auto kind = policy_.zones[i.zone].kind;
            if (!internetZone_ && kind && *kind == model::ZoneKind::Internet)
                internetZone_ = i.zone;
        }
    }

    ~FirewallLowering() {
        for (uint32_t z : zoneOrder_)
            scratch_.slot[z] = kNone;
    }

    ZoneAddresses zoneAddresses(uint32_t z) const {
        ZoneAddresses out{policy_.zones[z].name, {}, {}};
        for (model::Family f : {model::Family::V4, model::Family::V6}) {
            auto& list = f == model::Family::V4 ? out.v4 : out.v6;
            if (sh_.catchAll[size_t(f)].zone == z)
                list = {model::IpPrefix{f, 0, 0}};
            else
                list = policy_.zones[z].addresses.prefixes(f);
        }
        return out;
    }

    LoweredFirewall run(uint32_t fwNumber) {
        LoweredFirewall out;
        out.name = fw_.name;
        out.policyName = policy_.name;
        out.provenance = sh_.options.provenance;
        out.backends = fw_.backends;
        for (const auto& i : fw_.interfaces) {
            out.interfaces.push_back({i.name, policy_.zones[i.zone].name});
            const bool seen = std::any_of(
                out.zoneAddresses.begin(), out.zoneAddresses.end(),
                [&](const ZoneAddresses& z) { return z.zone == out.interfaces.back().zone; });
            if (!seen)
                out.zoneAddresses.push_back(zoneAddresses(i.zone));
        }

        std::map<std::pair<uint32_t, uint32_t>, ZonePair> pairs; // by interface order of zones
        for (uint32_t r : sh_.rulesOf[fwNumber])
            lowerRule(r, pairs);

        for (const AddressObject& o : objects_) {
            if (o.negatedV4 && out.declaredV4.empty())
                out.declaredV4 = sh_.catchAll[size_t(model::Family::V4)].declared;
            if (o.negatedV6 && out.declaredV6.empty())
                out.declaredV6 = sh_.catchAll[size_t(model::Family::V6)].declared;
        }
        out.objects = std::move(objects_);
        std::vector<std::string> groups;
        for (auto& [key, pair] : pairs) {
            for (const auto& r : pair.rules)
                if (!r.killSwitch.empty())
                    groups.push_back(r.killSwitch);
            out.pairs.push_back(std::move(pair));
        }
        std::sort(groups.begin(), groups.end());
        groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
        out.killSwitchGroups = groups;
        out.switchGroups = std::move(groups);
        for (const auto& g : dormantGroups_)
            out.switchGroups.push_back(g);
        std::sort(out.switchGroups.begin(), out.switchGroups.end());
        out.switchGroups.erase(std::unique(out.switchGroups.begin(), out.switchGroups.end()),
                               out.switchGroups.end());
        for (const auto& g : out.switchGroups)
            if (policy_.engagedSwitch(g))
                out.engagedGroups.push_back(g);
        out.forwardPolicyDrop = fw_.forwardPolicyDrop;
        return out;
    }

private:
    // The zone an endpoint is reached through on this firewall, if any.
    uint32_t attachment(const Endpoint& e) const {
        std::optional<uint32_t> z;
        if (e.kind == Endpoint::Kind::Saas && !policy_.saas[e.index].behindZone)
            z = internetZone_;
        else
            z = policy_.endpointZone(e);
        return z ? scratch_.slot[*z] : kNone;
    }

    // Whether some source and destination of `r` sit behind different zones
    // of this firewall (the rule would get a zone pair here).
    bool landsHere(const model::Rule& r) const {
        for (const Endpoint& src : r.from) {
            uint32_t ss = attachment(src);
            if (ss == kNone)
                continue;
            for (const Endpoint& dst : r.to) {
                uint32_t ds = attachment(dst);
                if (ds != kNone && ds != ss)
                    return true;
            }
        }
        return false;
    }

    uint32_t object(const Endpoint& e) {
        auto [it, fresh] = objectIndex_.emplace(e, uint32_t(objects_.size()));
        if (fresh) {
            const model::AddressSet& a = policy_.endpointAddresses(e);
            AddressObject o;
            o.name = objectName(policy_, e);
            const bool zone = e.kind == Endpoint::Kind::Zone;
            auto negated = [&](model::Family f) {
                return zone && sh_.catchAll[size_t(f)].zone == e.index;
            };
            o.negatedV4 = negated(model::Family::V4);
            o.negatedV6 = negated(model::Family::V6);
            if (!o.negatedV4)
                o.v4 = a.prefixes(model::Family::V4);
            if (!o.negatedV6)
                o.v6 = a.prefixes(model::Family::V6);
            if (e.kind == Endpoint::Kind::Saas)
                o.fqdns = policy_.saas[e.index].fqdns;
            objects_.push_back(std::move(o));
        }
        return it->second;
    }

    void lowerRule(uint32_t ri, std::map<std::pair<uint32_t, uint32_t>, ZonePair>& pairs) {
        const model::Rule& r = policy_.rules[ri];
        if (!sh_.emitted[ri]) {
            // Not emitted, but its group keeps its switch here.
            if (r.exception && !r.exception->killSwitch.empty() && landsHere(r))
                dormantGroups_.insert(r.exception->killSwitch);
            return;
        }
        const std::vector<Match>& matches = sh_.matches[sh_.matchIndex[ri]];
        // The destinations behind this firewall, looked up once: a rule to
        // `any` lists every zone of the policy, most of them elsewhere.
        std::vector<std::pair<const Endpoint*, uint32_t>>& here = scratch_.attached;
        here.clear();
        for (const Endpoint& dst : r.to)
            if (uint32_t ds = attachment(dst); ds != kNone)
                here.emplace_back(&dst, ds);
        for (const Endpoint& src : r.from) {
            uint32_t ss = attachment(src);
            if (ss == kNone)
                continue;
            for (const auto& [dstp, ds] : here) {
                const Endpoint& dst = *dstp;
                if (ss == ds)
                    continue;
                ZonePair& pair = pairs[{ss, ds}];
                if (pair.rules.empty()) {
                    pair.fromZone = policy_.zones[zoneOrder_[ss]].name;
                    pair.toZone = policy_.zones[zoneOrder_[ds]].name;
                    pair.inInterfaces = zoneIfaces_[ss];
                    pair.outInterfaces = zoneIfaces_[ds];
                }
                uint32_t so = object(src), d = object(dst);
                const AddressObject& sobj = objects_[so];
                const AddressObject& dobj = objects_[d];
                for (const Match& m : matches) {
                    bool v4 = sobj.has(model::Family::V4) && dobj.has(model::Family::V4) &&
                              m.proto != Proto::Icmpv6;
                    bool v6 = sobj.has(model::Family::V6) && dobj.has(model::Family::V6) &&
                              m.proto != Proto::Icmp;
                    bool fqdnOnly = !dobj.fqdns.empty() && dobj.v4.empty() && dobj.v6.empty();
                    if (!v4 && !v6 && !fqdnOnly)
                        continue; // no address family in common: nothing can match
                    LoweredRule& lr = pair.rules.emplace_back();
                    lr.action = r.kind == model::RuleKind::Deny ? Action::Drop : Action::Accept;
                    lr.kind = r.kind;
                    lr.policyRule = r.name;
                    lr.where = sh_.where[ri];
                    lr.span = r.span;
                    lr.src = so;
                    lr.dst = d;
                    lr.match = m;
                    lr.log = r.log;
                    lr.v4 = v4;
                    lr.v6 = v6;
                    lr.global =
                        r.kind == model::RuleKind::Deny && r.fromAny && r.toAny && !r.identity;
                    if (r.exception)
                        lr.killSwitch = r.exception->killSwitch;
                    if (r.identity) {
                        const model::Identity& id = policy_.identities[*r.identity];
                        lr.identity = id.name;
                        lr.identityGroup = id.group;
                        lr.identityProvider = id.idp;
                    }
                }
            }
        }
    }

    const Shared& sh_;
    const model::Policy& policy_;
    const model::Firewall& fw_;
    Scratch& scratch_;
    std::vector<uint32_t> zoneOrder_;                  // zones in interface order
    std::vector<std::vector<std::string>> zoneIfaces_; // per slot
    std::optional<uint32_t> internetZone_;
    std::map<Endpoint, uint32_t> objectIndex_;
    std::vector<AddressObject> objects_;
    std::set<std::string> dormantGroups_; // groups of rules not emitted that land here
};

} // namespace

std::vector<Match> lowerServices(const model::Policy& policy, const model::Rule& rule) {
    if (rule.serviceAny)
        return {Match{}};
    // One slot per protocol, in Proto order (the order the matches come out).
    constexpr size_t kProtos = size_t(Proto::Icmpv6) + 1;
    std::array<Match, kProtos> byProto;
    std::array<bool, kProtos> present{}, everything{};
    for (uint32_t s : rule.services) {
        for (const auto& e : policy.services[s].entries) {
            size_t k = size_t(e.proto);
            Match& m = byProto[k];
            present[k] = true;
            m.proto = e.proto;
            if (e.proto == Proto::Tcp || e.proto == Proto::Udp) {
                if (e.ports.all())
                    everything[k] = true;
                else
                    m.ports.push_back(e.ports);
            } else if (e.proto == Proto::Icmp || e.proto == Proto::Icmpv6) {
                if (e.icmpType < 0) {
                    everything[k] = true;
                } else if (std::find(m.icmpTypes.begin(), m.icmpTypes.end(), e.icmpType) ==
                           m.icmpTypes.end()) {
                    m.icmpTypes.push_back(e.icmpType);
                    m.icmpNames.push_back(e.icmpName);
                }
            }
        }
    }
    std::vector<Match> out;
    for (size_t k = 0; k < kProtos; ++k) {
        if (!present[k])
            continue;
        Match& m = byProto[k];
        if (everything[k]) {
            m.ports.clear();
            m.icmpTypes.clear();
            m.icmpNames.clear();
        }
        m.ports = mergePorts(std::move(m.ports));
        // icmp types in numeric order for stable output
        std::vector<size_t> idx(m.icmpTypes.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        const auto& types = m.icmpTypes;
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

struct FirewallLowerer::State {
    State(const model::Policy& policy, const SourceManager& sources, const LoweringOptions& options,
          std::vector<const model::Firewall*> fws, unsigned workers)
        : options(options), selected(std::move(fws)),
          shared(policy, sources, this->options, selected), scratch(workers) {}
    LoweringOptions options; // Shared keeps a reference
    std::vector<const model::Firewall*> selected;
    Shared shared;
    // One per worker; reused across the firewalls a worker lowers.
    mutable std::vector<Scratch> scratch;
};

namespace {
std::vector<const model::Firewall*> selectedFirewalls(const model::Policy& policy,
                                                      const LoweringOptions& options) {
    std::vector<const model::Firewall*> selected;
    for (const auto& fw : policy.firewalls)
        if (options.firewalls.empty() ||
            std::find(options.firewalls.begin(), options.firewalls.end(), fw.name) !=
                options.firewalls.end())
            selected.push_back(&fw);
    return selected;
}
} // namespace

FirewallLowerer::FirewallLowerer(const model::Policy& policy, const SourceManager& sources,
                                 const LoweringOptions& options, unsigned workers)
    : state_(std::make_unique<State>(policy, sources, options, selectedFirewalls(policy, options),
                                     std::max(workers, 1u))) {}

FirewallLowerer::~FirewallLowerer() = default;

size_t FirewallLowerer::size() const {
    return state_->selected.size();
}

LoweredFirewall FirewallLowerer::lower(size_t i, unsigned worker) const {
    return FirewallLowering(state_->shared, *state_->selected[i], state_->scratch.at(worker))
        .run(uint32_t(i));
}

std::vector<LoweredFirewall> lowerPolicy(const model::Policy& policy, const SourceManager& sources,
                                         const LoweringOptions& options) {
    // Firewalls are independent: lower them on several threads, each result
    // in its own slot, so the output does not depend on scheduling.
    unsigned workers = workerCount(policy.firewalls.size(), options.threads);
    FirewallLowerer lowerer(policy, sources, options, workers);
    std::vector<LoweredFirewall> out(lowerer.size());
    parallelFor(out.size(), workerCount(out.size(), workers),
                [&](size_t i, unsigned w) { out[i] = lowerer.lower(i, w); });
    return out;
}

} // namespace netsep::lower
